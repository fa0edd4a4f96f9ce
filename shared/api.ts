// The HTTP contract's shapes (../shared/API.md), used by the server's presenters and the client alike.

export type Id = string;
/** ISO-8601 timestamp. */
export type IsoTime = string;

export interface ErrorBody {
  /** `field` names the (first) invalid field; `fields` lists every invalid field of the request with its problem in words. */
  error: { code: ErrorCode; message: string; field?: string; fields?: FieldProblem[] };
}

export interface FieldProblem {
  /** The request's key, dotted for nested ones (`scope.id`). */
  field: string;
  /** A sentence for showing beside the field, e.g. "Must be at least 12 characters." */
  message: string;
}

export type ErrorCode =
  | 'invalid_input'
  | 'invalid_json'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'rate_limited'
  | 'parental_consent_pending'
  | 'email_unverified'
  | 'account_suspended'
  | 'approval_pending'
  | 'invitation_required'
  | 'invitation_invalid'
  | 'internal';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** `GET /api/feed/public`: the posts and, so visitors see where each was posted, their groups' names. */
export interface PublicFeedPage extends Page<Post> {
  groups: { id: Id; name: string }[];
}

/** `GET /api/health`: `ok: false` (with 503) names what cannot serve. */
export type Health = { ok: true; db: 'embedded' | 'mongodb' } | { ok: false; db: 'embedded' | 'mongodb'; failing: string[] };

export const ROLES = ['admin', 'moderator'] as const;
export type Role = (typeof ROLES)[number];

export interface ContactPreferences {
  email: boolean;
  sms: boolean;
  whatsapp: boolean;
  phone: boolean;
  post: boolean;
}
export const CONTACT_CHANNELS = ['email', 'sms', 'whatsapp', 'phone', 'post'] as const;
export type ContactChannel = (typeof CONTACT_CHANNELS)[number];

/** What any signed-in user may learn about another: never e-mail, legal name, birth date, membership, roles or consents. */
export interface PublicUser {
  id: Id;
  displayName: string;
  avatarUrl: string | null;
  bio: string;
  joinedAt: IsoTime;
}

/** Minimal identity: all that anonymous visitors (and broadcast live payloads) are shown of an author. */
export type AuthorCard = Pick<PublicUser, 'id' | 'displayName' | 'avatarUrl'>;

/** The caller's own account, private fields included. */
export interface Me extends PublicUser {
  email: string;
  name: string;
  roles: Role[];
  isMember: boolean;
  dateOfBirth: string;
  preferences: ContactPreferences;
  restricted: boolean;
  emailVerified: boolean;
  /** BCP 47 tag of the language messages and pages use for this person. */
  language: string;
}

export interface AuthResult {
  user: Me;
  token: string;
}

/**
 * `202` answer to every registration, whether or not the address was known: no token until the address
 * is verified (and, under 18, a parent confirmed) through the e-mailed links.
 */
export interface PendingRegistration {
  status: 'verification_sent' | 'pending_parental_consent';
}

/** `202` answer to resend and password-reset requests: the same for every address. */
export interface MailRequested {
  status: 'sent_if_known';
}

/** Answer to `POST /api/auth/parental-consent`: the account can now sign in. */
export interface ParentalConsentConfirmed {
  status: 'confirmed';
}

/**
 * Answer to `POST /api/auth/parental-consent/decline`: the pending account is being erased, and no
 * further requests will be sent to the parent's address (`furtherRequests`) until its owner allows them
 * again from their own account (`PUT /api/me/parental-consent-requests`).
 */
export interface ParentalConsentDeclined {
  status: 'declined';
  furtherRequests: 'not_sent';
}

/**
 * Answer to `POST /api/auth/parental-consent/lookup`: what a parent's link is for. `pending`: the parent
 * may still agree or decline; `confirmed`: they agreed already. Only the child's display name is told.
 */
export interface ParentalConsentLink {
  state: 'pending' | 'confirmed';
  child: { displayName: string };
  organisation: { name: string };
  expiresAt: string;
}

export interface AvatarResult {
  avatarUrl: string;
}

export type GroupVisibility = 'public' | 'closed';
export type JoinPolicy = 'open' | 'request' | 'invite';
export type MembershipStatus = 'none' | 'pending' | 'invited' | 'member' | 'moderator' | 'owner';

export interface Group {
  id: Id;
  name: string;
  slug: string;
  description: string;
  /** Plain text; may be empty. */
  rules: string;
  visibility: GroupVisibility;
  joinPolicy: JoinPolicy;
  memberCount: number;
  myStatus: MembershipStatus;
  can: GroupPermissions;
}

/** What the viewer may do with a group, decided by the server's policy; clients restate no rule. */
export interface GroupPermissions {
  /** Read its posts (public groups for everyone signed in, closed ones for members). */
  read: boolean;
  post: boolean;
  /** Approve requests, list and remove members. */
  manage: boolean;
  /** Change the group's settings and members' roles (owner). */
  update: boolean;
  invite: boolean;
  join: boolean;
  /** Leave, withdraw a request or decline an invitation. */
  leave: boolean;
  /** Hide, restore and delete the group's posts, review its reports. */
  moderate: boolean;
}

/** What the viewer may do with a post, decided by the server's policy. */
export interface PostPermissions {
  edit: boolean;
  delete: boolean;
  reply: boolean;
  like: boolean;
  report: boolean;
  hide: boolean;
  /** The post is hidden and the viewer may restore it (only moderators ever see a hidden post). */
  restore: boolean;
}

/** A row of a group's member-management list (owner and group moderators only). */
export interface GroupMember extends PublicUser {
  status: Exclude<MembershipStatus, 'none'>;
}

export interface PostImage {
  /** Signed URL of the large (≤ 1280 px) image; width and height are its size. */
  url: string;
  width: number;
  height: number;
  /** Signed URL of the small (≤ 320 px) version, for thumbnails. */
  thumbnailUrl: string;
}

export interface Post {
  id: Id;
  groupId: Id;
  /** null once the author erased their account; only an AuthorCard for anonymous visitors. */
  author: PublicUser | AuthorCard | null;
  body: string;
  bodyText: string;
  parentId: Id | null;
  images: PostImage[];
  likeCount: number;
  likedByMe: boolean;
  replyCount: number;
  createdAt: IsoTime;
  editedAt: IsoTime | null;
  can: PostPermissions;
}

export interface LikeState {
  likeCount: number;
  likedByMe: boolean;
}

/** GET /api/search `type`. */
export type SearchType = 'posts' | 'groups' | 'people';

/** A post found by search; `highlight` is an excerpt of `bodyText`, HTML-escaped, the matched words in `<mark>`. */
export interface PostSearchHit extends Post {
  highlight: string;
}
