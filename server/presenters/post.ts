import type { AuthorCard, Post, PostImage, PostPermissions, PublicUser } from '../../shared/api';
import { signPostImage } from '../media/post-images';
import type { UrlSigner } from '../media/signed-urls';
import type { PresentablePost } from '../models/post';
import type { PublicUserFields } from '../models/user';
import { imagesLongLived, postPermissions, type GroupAccess } from '../policy';
import { presentAuthorCard, presentPublicUser } from './user';

/** A row's ids and dates as presented. */
export interface RowTexts {
  readonly id: string;
  readonly groupId: string;
  readonly authorId: string | null;
  readonly parentId: string | null;
  readonly createdAt: string;
  readonly editedAt: string | null;
}

/** Kept per row object: feed heads hand the same rows to every request, and these never change for a row. */
const rowTexts = new WeakMap<PresentablePost, RowTexts>();

/** A row's ids and dates as presented (hex ids, ISO dates), converted once per row object. */
export function textsOf(row: PresentablePost): RowTexts {
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
export function presentPosts(rows: readonly PresentablePost[], facts: PostViewFacts, signer: UrlSigner, now = nowSeconds()): Post[] {
  return rows.map((row) => {
    const text = textsOf(row);
    const author = authorOf(text, facts);
    const access = facts.access.get(text.groupId);
    return {
      id: text.id,
      groupId: text.groupId,
      author,
      body: row.body ?? '',
      bodyText: row.bodyText ?? '',
      parentId: text.parentId,
      images: imagesOf(row, access, signer, now),
      likeCount: row.likeCount ?? 0,
      likedByMe: facts.liked.has(text.id),
      replyCount: row.replyCount ?? 0,
      createdAt: text.createdAt,
      editedAt: text.editedAt,
      can: access ? postPermissions(access, row) : NO_PERMISSIONS,
    };
  });
}

/**
 * The same posts as UTF-8 JSON, each exactly what `JSON.stringify` writes for presentPosts' object (tested):
 * what does not depend on the viewer (ids, author, body, counts, dates) is serialised and encoded once per
 * cached row and spliced around the viewer's parts (`images`, whose URLs are signed per request, `likedByMe`
 * and `can`). A signed-in feed page is about 20 KB of JSON, mostly post bodies; serialising it per request
 * was the largest share of the request's time.
 */
export function presentPostsJson(rows: readonly PresentablePost[], facts: PostViewFacts, signer: UrlSigner, now = nowSeconds()): JsonChunks[] {
  return rows.map((row) => {
    const text = textsOf(row);
    const pieces = jsonPiecesOf(row, text, authorOf(text, facts), facts.signedIn);
    const access = facts.access.get(text.groupId);
    const images = row.images?.length ? Buffer.from(JSON.stringify(imagesOf(row, access, signer, now))) : NO_IMAGES;
    const liked = facts.liked.has(text.id) ? TRUE : FALSE;
    const can = permissionsJson(access ? postPermissions(access, row) : NO_PERMISSIONS);
    return [pieces.head, images, pieces.likes, liked, pieces.tail, can, CLOSE];
  });
}

/** One JSON value as consecutive UTF-8 pieces, copied once into the page that holds it. */
export type JsonChunks = readonly Buffer[];

const NO_IMAGES = Buffer.from('[]');
const TRUE = Buffer.from('true');
const FALSE = Buffer.from('false');
const CLOSE = Buffer.from('}');

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

function authorOf(text: RowTexts, facts: PostViewFacts): PublicUser | AuthorCard | null {
  const author = text.authorId ? facts.authors.get(text.authorId) : null;
  return author ? presentAuthor(author, facts.signedIn) : null;
}

function imagesOf(row: PresentablePost, access: GroupAccess | undefined, signer: UrlSigner, now: number): PostImage[] {
  if (!row.images?.length) return [];
  // Image URLs live long only while an anonymous visitor could see the images.
  const longLived = access !== undefined ? imagesLongLived({ _id: access.groupId, visibility: access.visibility }, row) : false;
  return row.images.map((image) => ({
    url: signPostImage(signer, image.key, '1280', longLived, now),
    width: image.width,
    height: image.height,
    thumbnailUrl: signPostImage(signer, image.key, '320', longLived, now),
  }));
}

/** A row's JSON around the viewer's parts, in presentPosts' key order: head + images + likes + likedByMe + tail + can + `}`. */
interface JsonPieces {
  /** The presented author the pieces were written with: a changed profile is a new cached author object. */
  readonly author: PublicUser | AuthorCard | null;
  readonly head: Buffer;
  readonly likes: Buffer;
  readonly tail: Buffer;
}

/** Per row object, as signed-in viewers and as visitors see its author; rows never change (see rowTexts). */
const signedInPieces = new WeakMap<PresentablePost, JsonPieces>();
const visitorPieces = new WeakMap<PresentablePost, JsonPieces>();

function jsonPiecesOf(row: PresentablePost, text: RowTexts, author: PublicUser | AuthorCard | null, signedIn: boolean): JsonPieces {
  const kept = signedIn ? signedInPieces : visitorPieces;
  let pieces = kept.get(row);
  if (pieces?.author !== author) {
    const head = Buffer.from(
      `{"id":${JSON.stringify(text.id)},"groupId":${JSON.stringify(text.groupId)},"author":${JSON.stringify(author)},` +
        `"body":${JSON.stringify(row.body ?? '')},"bodyText":${JSON.stringify(row.bodyText ?? '')},"parentId":${JSON.stringify(text.parentId)},"images":`,
    );
    const likes = Buffer.from(`,"likeCount":${JSON.stringify(row.likeCount ?? 0)},"likedByMe":`);
    const tail = Buffer.from(`,"replyCount":${JSON.stringify(row.replyCount ?? 0)},"createdAt":${JSON.stringify(text.createdAt)},"editedAt":${JSON.stringify(text.editedAt)},"can":`);
    pieces = { author, head, likes, tail };
    kept.set(row, pieces);
  }
  return pieces;
}

/** PostPermissions' keys in the order postPermissions() writes them. */
const PERMISSION_KEYS = ['edit', 'delete', 'reply', 'like', 'report', 'hide', 'restore'] as const satisfies readonly (keyof PostPermissions)[];
/** `can` as JSON, by the bits of its answers: there are only 128 of them. */
const permissionsTexts: Buffer[] = [];

function permissionsJson(can: PostPermissions): Buffer {
  let bits = 0;
  for (let i = 0; i < PERMISSION_KEYS.length; i++) if (can[PERMISSION_KEYS[i]!]) bits |= 1 << i;
  return (permissionsTexts[bits] ??= Buffer.from(`{${PERMISSION_KEYS.map((key, i) => `"${key}":${(bits >> i) & 1 ? 'true' : 'false'}`).join(',')}}`));
}

const NO_PERMISSIONS: PostPermissions = Object.freeze({ edit: false, delete: false, reply: false, like: false, report: false, hide: false, restore: false });
