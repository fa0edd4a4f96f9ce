// Moderation shapes, for moderators only: reports, holds with preserved items, disclosures, notices.
import type { Types } from 'mongoose';
import type {
  Disclosure as DisclosureShape,
  DisclosureNotice,
  Hold as HoldShape,
  HoldWithItems,
  ModerationNotice,
  PreservedItem as PreservedItemShape,
  PreservedPost,
  Report as ReportShape,
} from '../../shared/moderation';
import type { Post } from '../../shared/api';
import type { DisclosureFields } from '../models/disclosure';
import type { HoldFields } from '../models/hold';
import type { ModerationActionFields } from '../models/moderation-action';
import type { PreservedItemFields } from '../models/preserved-item';
import type { ReportFields } from '../models/report';
import type { PublicUserFields } from '../models/user';
import { presentPublicUser } from './user';

function iso(date: Date | null | undefined): string | null {
  return date ? date.toISOString() : null;
}

function idOrNull(id: Types.ObjectId | null | undefined): string | null {
  return id ? String(id) : null;
}

/**
 * Reports with their posts (as the reviewing moderator sees them) and reporters, loaded by the service.
 * `withheld`: ids of posts the viewer may not be shown here (a closed group's, without a stated reason).
 */
export function presentReports(
  rows: readonly ReportFields[],
  posts: ReadonlyMap<string, { post: Post; hidden: boolean }>,
  reporters: ReadonlyMap<string, PublicUserFields | null>,
  withheld: ReadonlySet<string> = new Set(),
): ReportShape[] {
  return rows.map((row) => {
    const reporter = reporters.get(String(row.reporterId));
    const post = posts.get(String(row.postId));
    return {
      id: String(row._id),
      post: post?.post ?? null,
      postHidden: post?.hidden ?? false,
      postWithheld: withheld.has(String(row.postId)),
      reason: row.reason,
      reporter: reporter ? presentPublicUser(reporter) : null,
      status: row.status,
      createdAt: row.createdAt.toISOString(),
      resolution: row.resolution
        ? {
            action: row.resolution.action,
            by: idOrNull(row.resolution.by),
            reason: row.resolution.reason ?? null,
            at: row.resolution.at.toISOString(),
          }
        : null,
    };
  });
}

export function presentHold(hold: HoldFields): HoldShape {
  return {
    id: String(hold._id),
    scope: { type: hold.scope.type, id: String(hold.scope.id) },
    reason: hold.reason,
    reference: hold.reference,
    status: hold.status,
    createdBy: String(hold.createdBy),
    createdAt: hold.createdAt.toISOString(),
    releasedAt: iso(hold.releasedAt),
    releasedBy: idOrNull(hold.releasedBy),
    releaseReason: hold.releaseReason ?? null,
  };
}

export function presentPreservedItem(item: PreservedItemFields): PreservedItemShape {
  return {
    id: String(item._id),
    postId: String(item.postId),
    groupId: String(item.groupId),
    authorId: idOrNull(item.authorId),
    cause: item.cause,
    preservedAt: item.preservedAt.toISOString(),
    sha256: item.sha256,
    kind: 'post',
    data: JSON.parse(item.document) as PreservedPost,
    images: item.images.map((image) => ({ variant: image.variant, sha256: image.sha256, width: image.width, height: image.height })),
  };
}

export function presentHoldWithItems(hold: HoldFields, items: PreservedItemFields[]): HoldWithItems {
  return { ...presentHold(hold), items: items.map(presentPreservedItem) };
}

export function disclosurePackagePath(disclosureId: Types.ObjectId): string {
  return `/api/mod/disclosures/${String(disclosureId)}/package`;
}

export function presentDisclosure(disclosure: DisclosureFields): DisclosureShape {
  return {
    id: String(disclosure._id),
    holdId: String(disclosure.holdId),
    legalBasis: disclosure.legalBasis,
    reference: disclosure.reference,
    recipient: disclosure.recipient,
    notifyUser: disclosure.notifyUser,
    withholdReason: disclosure.withholdReason ?? null,
    createdBy: String(disclosure.createdBy),
    createdAt: disclosure.createdAt.toISOString(),
    itemCount: disclosure.itemIds.length,
    downloadUrl: disclosurePackagePath(disclosure._id),
  };
}

/** For the affected user's own export: no moderator ids, no withholding details. */
export function presentDisclosureNotice(disclosure: DisclosureFields, itemCount: number): DisclosureNotice {
  return {
    id: String(disclosure._id),
    disclosedAt: disclosure.createdAt.toISOString(),
    legalBasis: disclosure.legalBasis,
    reference: disclosure.reference,
    recipient: disclosure.recipient,
    itemCount,
  };
}

/** For the affected user's own export: what was done and why, not by whom. */
export function presentModerationNotice(action: ModerationActionFields): ModerationNotice {
  return {
    action: action.action,
    groupId: String(action.groupId),
    postId: idOrNull(action.postId),
    reason: action.reason ?? null,
    at: action.at.toISOString(),
  };
}
