// The one policy module: per-object rules (can/authorize*), query scopes for lists, and the moderator-read hook.
export * from './viewer';
export {
  accessFrom,
  accessTo,
  accessToPost,
  isActiveMember,
  loadGroupRef,
  loadGroupRefs,
  managesGroup,
  membershipsOf,
  ownsGroup,
  readsByModeratorOverride,
  readsGroup,
  type GroupAccess,
  type GroupRef,
} from './access';
export {
  authorizeGroup,
  authorizePost,
  can,
  decideGroup,
  decidePost,
  filterViewers,
  forbiddenMessage,
  refuseUnknownPost,
  type AuthorizeOptions,
  type Decision,
  type GroupAction,
  type PostAction,
  type PostRef,
} from './rules';
export {
  canSubscribe,
  LISTABLE_POST,
  LISTABLE_TOP_LEVEL_POST,
  LISTED_IN_THREAD,
  SHARED_POST,
  memberGroupIds,
  moderatedGroupIds,
  publicGroupIds,
  readableGroupIds,
  readablePostsIn,
  visiblePostsFilter,
} from './scopes';
export { recordModeratorRead, type ModeratorRead, type ModeratorReadAuditor } from './moderator-reads';
export { imagesLongLived, postImageServable } from './images';
export { groupPermissions, postPermissions, seesMemberCount } from './permissions';
export {
  authorizeGroupModeration,
  authorizeHoldRelease,
  authorizeRemoval,
  authorizeSiteModeration,
  authorizeSuspension,
  decideGroupModeration,
  decideReport,
  inReviewScope,
  moderatorReadTouchesContent,
  requireModeratorReadReason,
  reviewScope,
  type GroupModerationAction,
  type ReviewScope,
  type SiteModerationAction,
} from './moderation';
export { authorizeRoleChange, ownsMailbox, requireAdmin } from './accounts';
export { checkGroupSettings, effectiveJoinPolicy, groupSettingsAfter, joinStep, type JoinStep } from './joining';
