// Typed calls for every route of the contract (../shared/API.md) the browser uses.
import type { AuthResult, AvatarResult, ContactPreferences, Group, GroupMember, GroupVisibility, Health, JoinPolicy, LikeState, MailRequested, Me, Page, ParentalConsentConfirmed, ParentalConsentDeclined, ParentalConsentLink, PendingRegistration, Post, PostSearchHit, PublicFeedPage, PublicUser, SearchType } from '../../shared/api';
import type { AuditEntry, AuditVerification, CreateDisclosureRequest, CreateHoldRequest, DisclosureCreated, Hold, HoldWithItems, Report, ReportStatus, Suspension } from '../../shared/moderation';
import type { EmailChangeRequested, ErasureAccepted, ParentalConsentRequests, PrivacyAccessGranted, RestrictionState, UnsubscribeResult } from '../../shared/privacy';
import type { Notification, NotificationSettings, NotificationType, NotificationSetting, UnreadCount } from '../../shared/notifications';
import { moderatorReason } from '../moderator-reason';
import { download, query, request, upload } from './http';

export { ApiError } from './http';

/** What each search tab lists. */
export interface SearchResult {
  posts: PostSearchHit;
  groups: Group;
  people: PublicUser;
}

export interface PageRequest {
  cursor?: string | null;
  limit?: number;
}

export interface RegisterRequest {
  email: string;
  password: string;
  name: string;
  dateOfBirth: string;
  acceptTerms: true;
  parentEmail?: string;
  /** The token of an invitation link. */
  invitation?: string;
}

/** Never a token: the account opens through the e-mailed link. */
export type RegisterResult = PendingRegistration;

/** The member lists an owner or group moderator can read. */
export type MemberListStatus = 'member' | 'pending' | 'invited';

export interface NewGroup {
  name: string;
  description: string;
  visibility: GroupVisibility;
  joinPolicy: JoinPolicy;
}

const id = encodeURIComponent;

function exportFilename(): string {
  return `my-forum-data-${new Date().toISOString().slice(0, 10)}.json`;
}

/** A site moderator's stated reason travels in a header (never the address bar or logs of links). */
function withReason(): Record<string, string> {
  const reason = moderatorReason.get();
  return reason ? { 'X-Moderation-Reason': reason } : {};
}

export const api = {
  health: () => request<Health>('GET', '/api/health'),

  register: (body: RegisterRequest) => request<RegisterResult>('POST', '/api/auth/register', body),
  login: (email: string, password: string) => request<AuthResult>('POST', '/api/auth/login', { email, password }),
  logout: () => request<void>('POST', '/api/auth/logout'),
  confirmParentalConsent: (token: string) => request<ParentalConsentConfirmed>('POST', '/api/auth/parental-consent', { token }),
  lookUpParentalConsent: (token: string) => request<ParentalConsentLink>('POST', '/api/auth/parental-consent/lookup', { token }),
  declineParentalConsent: (token: string) => request<ParentalConsentDeclined>('POST', '/api/auth/parental-consent/decline', { token }),
  verifyEmail: (token: string, password?: string) => request<AuthResult>('POST', '/api/auth/verify-email', { token, password }),
  resendVerification: (email: string) => request<MailRequested>('POST', '/api/auth/verify-email/resend', { email }),
  requestPasswordReset: (email: string) => request<MailRequested>('POST', '/api/auth/password-reset', { email }),
  confirmPasswordReset: (token: string, newPassword: string) => request<AuthResult>('POST', '/api/auth/password-reset/confirm', { token, newPassword }),

  me: () => request<Me>('GET', '/api/me'),
  updateMe: (changes: { displayName?: string; bio?: string; language?: string }) => request<Me>('PATCH', '/api/me', changes),
  /** Answers with a fresh token: the old ones stop working. */
  changePassword: (currentPassword: string, newPassword: string) => request<AuthResult>('PUT', '/api/me/password', { currentPassword, newPassword }),
  uploadAvatar: (image: Blob, onProgress?: (fraction: number) => void) => {
    const form = new FormData();
    form.append('image', image, 'avatar.png');
    return upload<AvatarResult>('PUT', '/api/me/avatar', form, onProgress);
  },

  search: <T extends SearchType>(q: string, type: T, page: PageRequest = {}) =>
    request<Page<SearchResult[T]>>('GET', `/api/search${query({ q, type, ...page })}`),

  user: (userId: string) => request<PublicUser>('GET', `/api/users/${id(userId)}`),
  userPosts: (userId: string, page: PageRequest = {}) => request<Page<Post>>('GET', `/api/users/${id(userId)}/posts${query({ ...page })}`),
  userLikes: (userId: string, page: PageRequest = {}) => request<Page<Post>>('GET', `/api/users/${id(userId)}/likes${query({ ...page })}`),

  groups: (page: PageRequest = {}) => request<Page<Group>>('GET', `/api/groups${query({ ...page })}`),
  group: (groupId: string) => request<Group>('GET', `/api/groups/${id(groupId)}`),
  createGroup: (group: NewGroup) => request<Group>('POST', '/api/groups', group),
  updateGroup: (groupId: string, changes: Partial<Pick<Group, 'name' | 'description' | 'rules' | 'joinPolicy'>>) => request<Group>('PATCH', `/api/groups/${id(groupId)}`, changes),
  joinGroup: (groupId: string) => request<Group>('POST', `/api/groups/${id(groupId)}/join`),
  removeMember: (groupId: string, userId: string) => request<void>('DELETE', `/api/groups/${id(groupId)}/members/${id(userId)}`),
  approveMember: (groupId: string, userId: string) => request<unknown>('POST', `/api/groups/${id(groupId)}/members/${id(userId)}/approve`),
  inviteMember: (groupId: string, userId: string) => request<unknown>('POST', `/api/groups/${id(groupId)}/invites`, { userId }),
  setMemberRole: (groupId: string, userId: string, role: 'member' | 'moderator') => request<unknown>('PUT', `/api/groups/${id(groupId)}/members/${id(userId)}/role`, { role }),
  groupMembers: (groupId: string, status: MemberListStatus, page: PageRequest = {}) => request<Page<GroupMember>>('GET', `/api/groups/${id(groupId)}/members${query({ status, ...page })}`),
  groupPosts: (groupId: string, page: PageRequest = {}) => request<Page<Post>>('GET', `/api/groups/${id(groupId)}/posts${query({ ...page })}`, undefined, withReason()),

  createPost: (groupId: string, body: string, images: File[], parentId: string | null, onProgress?: (fraction: number) => void) => {
    if (images.length === 0) return request<Post>('POST', `/api/groups/${id(groupId)}/posts`, parentId ? { body, parentId } : { body });
    const form = new FormData();
    form.append('body', body);
    if (parentId) form.append('parentId', parentId);
    for (const image of images) form.append('images', image, image.name);
    return upload<Post>('POST', `/api/groups/${id(groupId)}/posts`, form, onProgress);
  },
  post: (postId: string) => request<Post>('GET', `/api/posts/${id(postId)}`, undefined, withReason()),
  replies: (postId: string, page: PageRequest = {}) => request<Page<Post>>('GET', `/api/posts/${id(postId)}/replies${query({ ...page })}`, undefined, withReason()),
  editPost: (postId: string, body: string) => request<Post>('PATCH', `/api/posts/${id(postId)}`, { body }),
  deletePost: (postId: string) => request<void>('DELETE', `/api/posts/${id(postId)}`),
  like: (postId: string) => request<LikeState>('PUT', `/api/posts/${id(postId)}/like`),
  unlike: (postId: string) => request<LikeState>('DELETE', `/api/posts/${id(postId)}/like`),
  report: (postId: string, reason: string) => request<unknown>('POST', `/api/posts/${id(postId)}/reports`, { reason }),

  feed: (page: PageRequest = {}) => request<Page<Post>>('GET', `/api/feed${query({ ...page })}`),
  publicFeed: () => request<PublicFeedPage>('GET', '/api/feed/public'),

  /** With `reason`, a site moderator's stated (and audited) reason to see closed groups' posts they are not in. */
  reports: (status: ReportStatus | 'all', page: PageRequest = {}, reason?: string) =>
    request<Page<Report>>('GET', `/api/mod/reports${query({ status, ...page })}`, undefined, reason ? { 'X-Moderation-Reason': reason } : {}),
  hidePost: (postId: string, reason: string) => request<unknown>('POST', `/api/mod/posts/${id(postId)}/hide`, { reason }),
  restorePost: (postId: string) => request<unknown>('POST', `/api/mod/posts/${id(postId)}/restore`),
  dismissReport: (reportId: string, reason: string) => request<void>('POST', `/api/mod/reports/${id(reportId)}/dismiss`, { reason }),
  /** Deletes for everyone and closes the post's reports, with the reason recorded. */
  moderatorDeletePost: (postId: string, reason: string) => request<void>('POST', `/api/mod/posts/${id(postId)}/delete`, { reason }),
  suspendMember: (groupId: string, userId: string, reason: string) => request<Suspension>('POST', `/api/mod/groups/${id(groupId)}/members/${id(userId)}/suspend`, { reason }),
  liftSuspension: (groupId: string, userId: string) => request<Suspension>('DELETE', `/api/mod/groups/${id(groupId)}/members/${id(userId)}/suspend`, {}),
  holds: (page: PageRequest = {}) => request<Page<Hold>>('GET', `/api/mod/holds${query({ ...page })}`),
  createHold: (hold: CreateHoldRequest) => request<Hold>('POST', '/api/mod/holds', hold),
  hold: (holdId: string) => request<HoldWithItems>('GET', `/api/mod/holds/${id(holdId)}`),
  releaseHold: (holdId: string, reason: string) => request<unknown>('DELETE', `/api/mod/holds/${id(holdId)}`, { reason }),
  createDisclosure: (disclosure: CreateDisclosureRequest) => request<DisclosureCreated>('POST', '/api/mod/disclosures', disclosure),
  /** `downloadUrl` as the server returned it when the disclosure was created. */
  downloadDisclosure: (disclosure: DisclosureCreated) => download(disclosure.downloadUrl || `/api/mod/disclosures/${id(disclosure.id)}/package`, `disclosure-${disclosure.id}.json`),
  audit: (page: PageRequest = {}) => request<Page<AuditEntry>>('GET', `/api/mod/audit${query({ ...page })}`),
  verifyAudit: () => request<AuditVerification>('GET', '/api/mod/audit/verify'),

  downloadExport: () => download('/api/me/export', exportFilename()),
  /** A suspended account's pass to its export and erasure (the only two routes that take it). */
  requestPrivacyAccess: (email: string, password: string) => request<PrivacyAccessGranted>('POST', '/api/auth/privacy-access', { email, password }),
  downloadExportWithPass: (pass: string) => download('/api/me/export', exportFilename(), { Authorization: `Bearer ${pass}` }),
  eraseWithPass: (pass: string, password: string) => request<ErasureAccepted>('DELETE', '/api/me', { password }, { Authorization: `Bearer ${pass}` }),
  preferences: () => request<ContactPreferences>('GET', '/api/me/preferences'),
  setPreferences: (preferences: ContactPreferences) => request<ContactPreferences>('PUT', '/api/me/preferences', preferences),
  setRestricted: (restricted: boolean) => request<RestrictionState | undefined>('PUT', '/api/me/restriction', { restricted }),
  parentalConsentRequests: () => request<ParentalConsentRequests>('GET', '/api/me/parental-consent-requests'),
  setParentalConsentRequests: (refused: boolean) => request<ParentalConsentRequests>('PUT', '/api/me/parental-consent-requests', { refused }),
  deleteAccount: (password: string) => request<void>('DELETE', '/api/me', { password }),
  /** One click from a marketing message, no sign-in: turns off the one channel the token was made for. */
  unsubscribe: (token: string) => request<UnsubscribeResult>('POST', '/api/unsubscribe', { token }),
  /** Sends a confirmation link to the new address; nothing changes until it is used. */
  requestEmailChange: (email: string, password: string) => request<EmailChangeRequested>('PUT', '/api/me/email', { email, password }),
  confirmEmailChange: (token: string) => request<Me>('POST', '/api/me/email/confirm', { token }),

  notifications: (page: PageRequest & { unread?: boolean } = {}) =>
    request<Page<Notification>>('GET', `/api/notifications${query({ cursor: page.cursor, limit: page.limit, unread: page.unread ? 'true' : undefined })}`),
  unreadCount: () => request<UnreadCount>('GET', '/api/notifications/unread-count'),
  markRead: (ids: string[] | 'all') => request<UnreadCount>('POST', '/api/notifications/read', ids === 'all' ? { all: true } : { ids }),
  notificationSettings: () => request<NotificationSettings>('GET', '/api/me/notification-settings'),
  setNotificationSettings: (change: Partial<Record<NotificationType, Partial<NotificationSetting>>>) =>
    request<NotificationSettings>('PUT', '/api/me/notification-settings', change),
  mentionable: (groupId: string, q: string) => request<Page<PublicUser>>('GET', `/api/groups/${id(groupId)}/mentionable${query({ q })}`),
};
