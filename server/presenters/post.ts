import type { AuthorCard, Post, PostPermissions, PublicUser } from '../../shared/api';
import { signPostImage } from '../media/post-images';
import type { UrlSigner } from '../media/signed-urls';
import type { PresentablePost } from '../models/post';
import type { PublicUserFields } from '../models/user';
import { imagesLongLived, postPermissions, type GroupAccess } from '../policy';
import { presentAuthorCard, presentPublicUser } from './user';

/** A row's ids and dates as presented. */
interface RowTexts {
  readonly id: string;
  readonly groupId: string;
  readonly authorId: string | null;
  readonly parentId: string | null;
  readonly createdAt: string;
  readonly editedAt: string | null;
}

/** Kept per row object: feed heads hand the same rows to every request, and these never change for a row. */
const rowTexts = new WeakMap<PresentablePost, RowTexts>();

function textsOf(row: PresentablePost): RowTexts {
  let texts = rowTexts.get(row);
  if (!texts) {
    texts = {
      id: row._id.toHexString(),
      groupId: String(row.groupId),
      authorId: row.authorId ? String(row.authorId) : null,
      parentId: row.parentId ? String(row.parentId) : null,
      createdAt: row.createdAt.toISOString(),
      editedAt: row.editedAt ? row.editedAt.toISOString() : null,
    };
    rowTexts.set(row, texts);
  }
  return texts;
}

/** Authors as presented, per cached author (the read cache replaces the object when the profile changes). */
const presentedAuthors = new WeakMap<PublicUserFields, PublicUser>();
const authorCards = new WeakMap<PublicUserFields, AuthorCard>();

/** Signed-in viewers see the public profile card; visitors only the minimal identity (name and avatar). */
function presentAuthor(author: PublicUserFields, signedIn: boolean): PublicUser | AuthorCard {
  if (!signedIn) {
    let card = authorCards.get(author);
    if (!card) authorCards.set(author, (card = Object.freeze(presentAuthorCard(author))));
    return card;
  }
  let presented = presentedAuthors.get(author);
  if (!presented) presentedAuthors.set(author, (presented = Object.freeze(presentPublicUser(author))));
  return presented;
}

/** What presenting needs beyond the rows, loaded by server/services/post-views.ts. */
export interface PostViewFacts {
  /** Public cards of the rows' authors by hex id; null (or missing) for an author who is no longer active. */
  readonly authors: ReadonlyMap<string, PublicUserFields | null>;
  /** Hex ids of the posts the viewer likes. */
  readonly liked: ReadonlySet<string>;
  /** What the viewer is to each row's group, by hex id. */
  readonly access: ReadonlyMap<string, GroupAccess>;
  /** False for anonymous visitors and broadcast payloads, who are shown authors' minimal identity only. */
  readonly signedIn: boolean;
}

/** Posts as one viewer sees them, from facts already loaded; the caller has decided the viewer may see every row. */
export function presentPosts(rows: readonly PresentablePost[], facts: PostViewFacts, signer: UrlSigner): Post[] {
  const now = Math.floor(Date.now() / 1000);
  return rows.map((row) => {
    const text = textsOf(row);
    const author = text.authorId ? facts.authors.get(text.authorId) : null;
    const access = facts.access.get(text.groupId);
    // Image URLs live long only while an anonymous visitor could see the images.
    const longLived = access !== undefined && row.images?.length ? imagesLongLived({ _id: access.groupId, visibility: access.visibility }, row) : false;
    return {
      id: text.id,
      groupId: text.groupId,
      author: author ? presentAuthor(author, facts.signedIn) : null,
      body: row.body ?? '',
      bodyText: row.bodyText ?? '',
      parentId: text.parentId,
      images: (row.images ?? []).map((image) => ({
        url: signPostImage(signer, image.key, '1280', longLived, now),
        width: image.width,
        height: image.height,
        thumbnailUrl: signPostImage(signer, image.key, '320', longLived, now),
      })),
      likeCount: row.likeCount ?? 0,
      likedByMe: facts.liked.has(text.id),
      replyCount: row.replyCount ?? 0,
      createdAt: text.createdAt,
      editedAt: text.editedAt,
      can: access ? postPermissions(access, row) : NO_PERMISSIONS,
    };
  });
}

const NO_PERMISSIONS: PostPermissions = Object.freeze({ edit: false, delete: false, reply: false, like: false, report: false, hide: false, restore: false });
