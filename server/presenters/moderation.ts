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
import type { UrlSigner } from '../media/signed-urls';
import type { DisclosureFields } from '../models/disclosure';
import type { HoldFields } from '../models/hold';
import type { ModerationActionFields } from '../models/moderation-action';
import { Post } from '../models/post';
import type { PreservedItemFields } from '../models/preserved-item';
import type { ReportFields } from '../models/report';
import { ACTIVE_ACCOUNT, User, type UserFields } from '../models/user';
import type { Viewer } from '../policy/viewer';
import { POST_PRESENTER_FIELDS, presentPosts, type PresentablePost } from './post';
import { presentPublicUser } from './user';

function iso(date: Date | null | undefined): string | null {
  return date ? date.toISOString() : null;
}

function idOrNull(id: Types.ObjectId | null | undefined): string | null {
  return id ? String(id) : null;
}

/** Reports with their posts and reporters: three queries whatever the count. */
/** `withheld`: ids of posts the viewer may not be shown here (a closed group's, without a stated reason). */
export async function presentReports(rows: ReportFields[], viewer: Viewer, signer: UrlSigner, withheld: ReadonlySet<string> = new Set()): Promise<ReportShape[]> {
  if (!rows.length) return [];
  const [posts, reporters] = await Promise.all([
    Post.find({ _id: { $in: rows.map((row) => row.postId).filter((id) => !withheld.has(String(id))) }, deletedAt: null }, POST_PRESENTER_FIELDS).lean<PresentablePost[]>(),
    User.find({ _id: { $in: rows.map((row) => row.reporterId) }, ...ACTIVE_ACCOUNT }, { displayName: 1, avatarKey: 1, bio: 1, createdAt: 1 }).lean<
      Pick<UserFields, '_id' | 'displayName' | 'avatarKey' | 'bio' | 'createdAt'>[]
    >(),
  ]);
  const presented = await presentPosts(posts, viewer, signer);
  const postById = new Map(presented.map((post) => [post.id, post]));
  const hiddenIds = new Set(posts.filter((post) => post.hiddenAt).map((post) => String(post._id)));
  const reporterById = new Map(reporters.map((user) => [String(user._id), user]));
  return rows.map((row) => {
    const reporter = reporterById.get(String(row.reporterId));
    return {
      id: String(row._id),
      post: postById.get(String(row.postId)) ?? null,
      postHidden: hiddenIds.has(String(row.postId)),
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
