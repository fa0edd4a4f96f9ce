// Moderation shapes of the contract (../shared/API.md, "Moderation"): reports, holds, disclosures, audit.
import type { Id, IsoTime, Post, PublicUser } from './api';

export type ReportStatus = 'open' | 'resolved' | 'dismissed';

export interface Report {
  id: Id;
  post: Post;
  reason: string;
  reporter: PublicUser;
  status: ReportStatus;
  createdAt: IsoTime;
}

export type HoldScopeType = 'post' | 'user' | 'group';

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

/** One preserved copy: a post, one of its revisions, a like, an image or the held user's profile. */
export interface PreservedItem {
  id: Id;
  kind: string;
  preservedAt: IsoTime;
  /** The preserved record as it was when copied; its shape depends on `kind`. */
  data: unknown;
}

export interface Hold {
  id: Id;
  scope: HoldScope;
  reason: string;
  reference: string;
  createdAt: IsoTime;
  releasedAt: IsoTime | null;
}

export interface HoldWithItems extends Hold {
  items: PreservedItem[];
}

export interface CreateDisclosureRequest {
  holdId: Id;
  legalBasis: string;
  reference: string;
  recipient: string;
  notifyUser: boolean;
  /** Required when `notifyUser` is false: why the person concerned is not told. */
  withholdReason?: string;
}

export interface DisclosureCreated {
  id: Id;
  downloadUrl: string;
}

export interface AuditEntry {
  seq: number;
  at: IsoTime;
  actor: PublicUser | Id | null;
  action: string;
  target: unknown;
  reason: string | null;
  hash: string;
  prevHash: string | null;
}

export interface AuditVerification {
  ok: boolean;
  entries: number;
  brokenAt: number | null;
}
