import type { Types } from 'mongoose';
import type { AuthorCard, Post, PublicUser } from '../../shared/api';
import { signPostImage } from '../media/post-images';
import type { UrlSigner } from '../media/signed-urls';
import { MAX_CACHED_LIKES, readCache, type CachedAuthor } from '../db/read-cache';
import { Like } from '../models/like';
import type { PostFields } from '../models/post';
import { ACTIVE_ACCOUNT, User } from '../models/user';
import { imagesLongLived, loadGroupRef } from '../policy';
import type { Viewer } from '../policy/viewer';
import { presentAuthorCard, presentPublicUser } from './user';

/** The fields the presenter reads; feeds project exactly these. */
export const POST_PRESENTER_FIELDS = {
  groupId: 1,
  authorId: 1,
  parentId: 1,
  body: 1,
  bodyText: 1,
  images: 1,
  likeCount: 1,
  replyCount: 1,
  hiddenAt: 1,
  membersOnly: 1,
  createdAt: 1,
  editedAt: 1,
} as const;

export type PresentablePost = Pick<
  PostFields,
  '_id' | 'groupId' | 'authorId' | 'parentId' | 'body' | 'bodyText' | 'images' | 'likeCount' | 'replyCount' | 'hiddenAt' | 'createdAt' | 'editedAt'
> & { membersOnly?: boolean | null };

function ids(values: (Types.ObjectId | null | undefined)[]): Types.ObjectId[] {
  const unique = new Map<string, Types.ObjectId>();
  for (const value of values) if (value) unique.set(String(value), value);
  return [...unique.values()];
}

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

/** Author cards as presented, per cached author (the read cache replaces the object when the profile changes). */
const presentedAuthors = new WeakMap<CachedAuthor, PublicUser>();

const authorCards = new WeakMap<CachedAuthor, AuthorCard>();

/** Signed-in viewers see the public profile card; visitors only the minimal identity (name and avatar). */
function presentAuthor(author: CachedAuthor, viewer: Viewer | null): PublicUser | AuthorCard {
  if (viewer === null) {
    let card = authorCards.get(author);
    if (!card) authorCards.set(author, (card = Object.freeze(presentAuthorCard(author))));
    return card;
  }
  let presented = presentedAuthors.get(author);
  if (!presented) presentedAuthors.set(author, (presented = Object.freeze(presentPublicUser(author))));
  return presented;
}

/** Author cards of the rows' authors who are active, by id, through the read cache (profile events drop them). */
async function activeAuthors(texts: readonly RowTexts[]): Promise<Map<string, CachedAuthor | null>> {
  const authorIds = [...new Set(texts.map((row) => row.authorId).filter((id) => id !== null))];
  return readCache.authors.getMany(authorIds, async (missing) => {
    const found = await User.find({ _id: { $in: missing }, ...ACTIVE_ACCOUNT }, { displayName: 1, avatarKey: 1, bio: 1, createdAt: 1 }).lean<CachedAuthor[]>();
    const byId = new Map<string, CachedAuthor | null>(missing.map((id) => [id, null]));
    for (const author of found) byId.set(String(author._id), author);
    return byId;
  });
}

/**
 * Which of these posts the viewer likes, as hex ids: every like of the viewer through the read cache (like
 * events drop it), or one query for these posts alone for someone who likes a great many.
 */
async function likedAmong(viewer: Viewer, postIds: Types.ObjectId[]): Promise<ReadonlySet<string>> {
  // With the cache off (the relay is down), every like of the viewer would be read for one page.
  const all = readCache.likedPosts.keeping
    ? await readCache.likedPosts.get(String(viewer._id), async () => {
        const likes = await Like.find({ userId: viewer._id }, { _id: 0, postId: 1 })
          .limit(MAX_CACHED_LIKES + 1)
          .lean<{ postId: Types.ObjectId }[]>();
        return likes.length > MAX_CACHED_LIKES ? null : new Set(likes.map((like) => like.postId.toHexString()));
      })
    : null;
  if (all) return all;
  const likes = await Like.find({ userId: viewer._id, postId: { $in: postIds } }, { _id: 0, postId: 1 }).lean<{ postId: Types.ObjectId }[]>();
  return new Set(likes.map((like) => like.postId.toHexString()));
}

/**
 * Posts as one viewer sees them (viewer null: anonymous, and broadcast payloads where likedByMe is false and
 * authors are AuthorCards).
 * The caller has already decided the viewer may see every row. At most three queries whatever the count:
 * authors, group visibility for posts with images (to pick the URL window) and the viewer's likes, all
 * usually answered by the read cache.
 */
export async function presentPosts(rows: PresentablePost[], viewer: Viewer | null, signer: UrlSigner): Promise<Post[]> {
  if (!rows.length) return [];
  const postIds = rows.map((row) => row._id);
  const texts = rows.map(textsOf);
  const withImages = rows.filter((row) => row.images?.length);
  const [authorById, liked, groups] = await Promise.all([
    activeAuthors(texts),
    viewer ? likedAmong(viewer, postIds) : new Set<string>(),
    Promise.all(ids(withImages.map((row) => row.groupId)).map((groupId) => loadGroupRef(groupId))),
  ]);
  const groupById = new Map(groups.filter((group) => group !== null).map((group) => [String(group._id), group]));
  const now = Math.floor(Date.now() / 1000);

  return rows.map((row, index) => {
    const text = texts[index]!;
    const author = text.authorId ? authorById.get(text.authorId) : null;
    const group = row.images?.length ? groupById.get(text.groupId) : undefined;
    const longLived = group !== undefined && imagesLongLived(group, row);
    return {
      id: text.id,
      groupId: text.groupId,
      author: author ? presentAuthor(author, viewer) : null,
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
      likedByMe: liked.has(text.id),
      replyCount: row.replyCount ?? 0,
      createdAt: text.createdAt,
      editedAt: text.editedAt,
    };
  });
}

export async function presentPost(row: PresentablePost, viewer: Viewer | null, signer: UrlSigner): Promise<Post> {
  return (await presentPosts([row], viewer, signer))[0]!;
}
