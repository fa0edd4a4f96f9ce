// Moderation shapes of the contract (../shared/API.md, Moderation): reports, holds, disclosures, audit.
import type { Id, IsoTime, Post, PublicUser } from './api';

export const MODERATION_LIMITS = {
  reason: 1000,
  reference: 200,
  legalBasis: 500,
  recipient: 300,
} as const;

export type ReportStatus = 'open' | 'resolved' | 'dismissed';

export interface ReportResolution {
  /** `hide`, `restore`, `delete`, `suspend`, `dismiss`, or `post_deleted` when the author deleted the post. */
  action: string;
  /** The moderator's id; null when the author's own deletion closed the report. */
  by: Id | null;
  reason: string | null;
  at: IsoTime;
}

/** A report as moderators see it. */
export interface Report {
  id: Id;
  /** null once the post is gone for good. */
  post: Post | null;
  /** Whether the post is hidden right now (moderators only). */
  postHidden: boolean;
  /**
   * The post (then null) is in a closed group the site moderator is not in: the queue shows it only when
   * the request states the moderator's reason (`X-Moderation-Reason` or `?reason=`), which is audited.
   */
  postWithheld: boolean;
  reason: string;
  reporter: PublicUser | null;
  status: ReportStatus;
  createdAt: IsoTime;
  resolution: ReportResolution | null;
}

/** What the reporter gets back. */
export interface FiledReport {
  id: Id;
  postId: Id;
  reason: string;
  status: ReportStatus;
  createdAt: IsoTime;
}

/** Result of hide and restore. */
export interface PostModeration {
  id: Id;
  hidden: boolean;
  hiddenAt: IsoTime | null;
  hiddenReason: string | null;
}

export interface Suspension {
  groupId: Id;
  userId: Id;
  suspended: boolean;
}

export type HoldScopeType = 'post' | 'user' | 'group';

export interface PreservedImage {
  variant: string;
  sha256: string;
  width: number;
  height: number;
}

export interface PreservedItem {
  id: Id;
  /** What was preserved; posts (with their revisions, likes and images) are the unit of preservation. */
  kind: 'post';
  postId: Id;
  groupId: Id;
  authorId: Id | null;
  /** What caused this version: the hold's creation, or an edit, deletion, hide or account erasure. */
  cause: 'hold' | 'edit' | 'delete' | 'hide' | 'erasure';
  preservedAt: IsoTime;
  sha256: string;
  /** The snapshot itself (parsed from the preserved text). */
  data: PreservedPost;
  images: PreservedImage[];
}

/** The snapshot of a post inside a preserved item. */
export interface PreservedPost {
  postId: Id;
  groupId: Id;
  authorId: Id | null;
  parentId: Id | null;
  body: string;
  bodyText: string;
  createdAt: IsoTime;
  editedAt: IsoTime | null;
  deletedAt: IsoTime | null;
  hidden: { at: IsoTime; by: Id | null; reason: string | null } | null;
  revisions: { editorId: Id; body: string; bodyText: string; replacedAt: IsoTime }[];
  likes: { userId: Id; at: IsoTime }[];
  images: { width: number; height: number }[];
}

export interface HoldScope {
  type: HoldScopeType;
  id: Id;
}

export interface CreateHoldRequest {
  scope: HoldScope;
  reason: string;
  /** The case, warrant or ticket this hold answers to. */
  reference: string;
}

export interface Hold {
  id: Id;
  scope: HoldScope;
  reason: string;
  reference: string;
  status: 'active' | 'released';
  createdBy: Id;
  createdAt: IsoTime;
  releasedAt: IsoTime | null;
  releasedBy: Id | null;
  releaseReason: string | null;
}

export interface HoldWithItems extends Hold {
  items: PreservedItem[];
}

export interface CreateDisclosureRequest {
  holdId: Id;
  legalBasis: string;
  reference: string;
  recipient: string;
  /** Defaults to true; false requires `withholdReason`. */
  notifyUser?: boolean;
  withholdReason?: string;
}

export interface Disclosure {
  id: Id;
  holdId: Id;
  legalBasis: string;
  reference: string;
  recipient: string;
  notifyUser: boolean;
  withholdReason: string | null;
  createdBy: Id;
  createdAt: IsoTime;
  itemCount: number;
  downloadUrl: string;
}

/** What `POST /api/mod/disclosures` answers (the whole disclosure; `id` and `downloadUrl` are the contract's). */
export type DisclosureCreated = Disclosure;

export interface PackageManifestItem {
  id: string;
  type: 'post' | 'image';
  sha256: string;
}

/**
 * A disclosure package. Each item's `data` is served as text (`utf-8`) or base64 (`base64`); `sha256` is
 * over the decoded bytes, so a recipient verifies an item by hashing what they decode.
 */
export interface DisclosurePackage {
  manifest: {
    hold: Hold;
    disclosure: Omit<Disclosure, 'downloadUrl'>;
    producedAt: IsoTime;
    hashAlgorithm: 'sha256';
    items: PackageManifestItem[];
  };
  items: {
    id: string;
    type: 'post' | 'image';
    mediaType: 'application/json' | 'image/webp';
    encoding: 'utf-8' | 'base64';
    data: string;
    sha256: string;
  }[];
}

/** A disclosure as the affected user sees it in their data export. */
export interface DisclosureNotice {
  id: Id;
  disclosedAt: IsoTime;
  legalBasis: string;
  reference: string;
  recipient: string;
  /** How many preserved versions of the user's posts were disclosed. */
  itemCount: number;
}

/** A moderation action on the user's content, as their data export lists it. */
export interface ModerationNotice {
  action: string;
  groupId: Id;
  postId: Id | null;
  reason: string | null;
  at: IsoTime;
}

export interface AuditEntry {
  seq: number;
  at: IsoTime;
  actor: string;
  action: string;
  target: string;
  reason: string | null;
  hash: string;
  prevHash: string;
}

export interface AuditVerification {
  ok: boolean;
  entries: number;
  brokenAt: number | null;
}
