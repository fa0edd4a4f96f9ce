// "May the recipient see what this notification is about, now?", asked when a notification is created and
// again whenever it is listed, counted, sent live or mailed. The answer is the policy's (decideGroup,
// decidePost); this module only says which question each type asks.
import { Types } from 'mongoose';
import type { NotificationType } from '../../shared/notifications';
import { Post, type PostFields } from '../models/post';
import {
  accessTo,
  decideGroup,
  decidePost,
  loadGroupRef,
  readsByModeratorOverride,
  type GroupAccess,
  type GroupAction,
} from '../policy';
import type { Viewer } from '../policy/viewer';

/** What a notification points at. */
export interface NotificationSubject {
  type: NotificationType;
  postId?: Types.ObjectId | null;
  groupId?: Types.ObjectId | null;
}

export type SubjectPost = Pick<PostFields, '_id' | 'groupId' | 'parentId' | 'authorId' | 'bodyText' | 'hiddenAt' | 'parentHiddenAt' | 'deletedAt'> & {
  membersOnly?: boolean | null;
};

export interface Judgement {
  /** The post, only when the recipient may read it now (its excerpt may be shown). */
  post: SubjectPost | null;
}

/** Types that are about a post the recipient must be able to read. */
const ABOUT_A_READABLE_POST: ReadonlySet<NotificationType> = new Set(['reply', 'mention', 'like', 'post_restored']);

/** What the recipient must be allowed to do with the group, for notifications about a group and not (only) a post. */
const GROUP_QUESTION: Partial<Record<NotificationType, GroupAction>> = {
  join_request: 'manage',
  join_approved: 'read',
  invited: 'view',
  post_hidden: 'read',
  report_resolved: 'read',
  role_changed: 'read',
};

/** What the rules read of a post; counting needs no more, showing adds its text (up to 20,000 characters). */
const RULE_FIELDS = { groupId: 1, parentId: 1, authorId: 1, hiddenAt: 1, parentHiddenAt: 1, deletedAt: 1, membersOnly: 1 } as const;
const POST_FIELDS = { ...RULE_FIELDS, bodyText: 1 } as const;

/**
 * A site moderator may read a closed group they are not in only with a stated, audited reason; a notification
 * gives none, so it treats them as the outsider they are there.
 */
function allows(access: GroupAccess, decision: string): boolean {
  return decision === 'allow' && !readsByModeratorOverride(access);
}

/**
 * Of these notifications, the ones the viewer may see now, each with the post it may read (if any). One
 * query for the posts; groups and the viewer's memberships come from the policy's read cache. `threads`, when
 * given, gets the top-level post of every reply looked at, readable or not.
 */
export async function judgeNotifications<Row extends NotificationSubject & { _id: Types.ObjectId }>(
  viewer: Viewer,
  rows: readonly Row[],
  options: { withText?: boolean; threads?: Set<string> } = {},
): Promise<Map<string, Judgement>> {
  const postIds = [...new Set(rows.flatMap((row) => (row.postId ? [String(row.postId)] : [])))];
  const posts = postIds.length
    ? await Post.find({ _id: { $in: postIds } }, options.withText === false ? RULE_FIELDS : POST_FIELDS).lean<SubjectPost[]>()
    : [];
  // Whether a reply may be seen depends on its top-level post too (a hidden thread hides its replies).
  if (options.threads) for (const post of posts) if (post.parentId) options.threads.add(String(post.parentId));
  const postById = new Map(posts.map((post) => [String(post._id), post]));
  const accessByGroup = new Map<string, Promise<GroupAccess | null>>();
  const accessOf = (groupId: Types.ObjectId): Promise<GroupAccess | null> => {
    const key = String(groupId);
    let found = accessByGroup.get(key);
    if (!found) {
      found = loadGroupRef(groupId).then((group) => (group ? accessTo(viewer, group) : null));
      accessByGroup.set(key, found);
    }
    return found;
  };

  const judged = new Map<string, Judgement>();
  await Promise.all(
    rows.map(async (row) => {
      const judgement = await judge(row, row.postId ? (postById.get(String(row.postId)) ?? null) : null, accessOf);
      if (judgement) judged.set(String(row._id), judgement);
    }),
  );
  return judged;
}

async function judge(
  row: NotificationSubject,
  post: SubjectPost | null,
  accessOf: (groupId: Types.ObjectId) => Promise<GroupAccess | null>,
): Promise<Judgement | null> {
  if (!row.groupId) return { post: null };
  const access = await accessOf(row.groupId);
  if (!access) return null;
  const readable = post !== null && !post.deletedAt && allows(access, decidePost(access, post, 'read')) ? post : null;
  if (ABOUT_A_READABLE_POST.has(row.type)) return readable ? { post: readable } : null;
  const question = GROUP_QUESTION[row.type];
  if (!question || !allows(access, decideGroup(access, question))) return null;
  return { post: readable };
}

/** Stands in for the id of a notification not written yet. */
const ZERO_ID = new Types.ObjectId('000000000000000000000000');

/** One notification, for one would-be recipient (at creation). */
export async function maySee(viewer: Viewer, subject: NotificationSubject): Promise<boolean> {
  return (await judgeNotifications(viewer, [{ ...subject, _id: ZERO_ID }])).size === 1;
}
