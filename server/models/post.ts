import { Schema, model, type InferSchemaType, type Types } from 'mongoose';

const postImageSchema = new Schema(
  {
    /** MediaStore key (kind `posts`); the files are `<key>-1280.webp` and `<key>-320.webp`. */
    key: { type: String, required: true },
    /** Size of the large variant, which is the one a Post's image URL points at. */
    width: { type: Number, required: true },
    height: { type: Number, required: true },
  },
  { _id: false },
);

export const POST_SEARCH_INDEX = 'search_text';

const postSchema = new Schema(
  {
    groupId: { type: Schema.Types.ObjectId, required: true },
    /** null for a deleted-post placeholder and after the author erased their account. */
    authorId: { type: Schema.Types.ObjectId, default: null },
    /** Replies point at a top-level post; one level of threading. */
    parentId: { type: Schema.Types.ObjectId, default: null },
    /** Sanitised HTML (server/services/post-body.ts); never stored unsanitised. */
    body: { type: String, default: '' },
    bodyText: { type: String, default: '' },
    images: { type: [postImageSchema], default: [] },
    likeCount: { type: Number, default: 0 },
    /** Replies that are neither hidden nor deleted; see recountReplies(). */
    replyCount: { type: Number, default: 0 },
    editedAt: { type: Date, default: null },
    /** Set on a top-level post deleted while others' replies hang under it: the placeholder keeps the thread. */
    deletedAt: { type: Date, default: null },
    /** Moderation: a hidden post is visible only to site moderators and the group's owner/moderators. */
    hiddenAt: { type: Date, default: null },
    hiddenBy: { type: Schema.Types.ObjectId, default: null },
    hiddenReason: { type: String, default: null },
    /**
     * On a reply: its top-level post's hiddenAt, copied when that post is hidden and cleared when it is restored
     * (server/services/thread-hiding.ts). A hidden thread is hidden as a whole, so the rules treat the reply as
     * hidden; its own hiddenAt keeps what moderators did to the reply itself.
     */
    parentHiddenAt: { type: Date, default: null },
    /**
     * Written while its group was closed, and the group has been made public since: still readable by the
     * group's members only (server/policy/access.ts accessToPost). Absent or false for every other post.
     */
    membersOnly: { type: Boolean, default: false },
  },
  { timestamps: true },
);

// Group feeds and the home/public feeds: {groupId: {$in}, parentId: null} sorted by _id descending.
postSchema.index({ groupId: 1, parentId: 1, _id: -1 });
// A user's profile list of posts.
postSchema.index({ authorId: 1, _id: -1 });
// Replies of a post, oldest first.
postSchema.index({ parentId: 1, _id: 1 });
// Search (server/search/): words of the current text only; the scalar fields after it hold the policy's scope
// (readable groups, listable states) and `from:`, so the scope is decided on index entries, before any post is read.
// A collection holds one text index, so a change of its fields needs a start-up step (server/db/upgrades.ts).
postSchema.index(
  { bodyText: 'text', groupId: 1, hiddenAt: 1, parentHiddenAt: 1, deletedAt: 1, authorId: 1 },
  { name: POST_SEARCH_INDEX, default_language: 'english', language_override: 'searchLanguage' },
);
// The media route finds the post of an image file.
postSchema.index({ 'images.key': 1 });

export type PostImageFields = { key: string; width: number; height: number };
export type PostFields = Omit<InferSchemaType<typeof postSchema>, 'images'> & {
  _id: Types.ObjectId;
  images: PostImageFields[];
  createdAt: Date;
  updatedAt: Date;
};
export const Post = model<PostFields>('Post', postSchema);

/** The fields the post presenter reads; feeds project exactly these (and the read cache keeps them). */
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
  parentHiddenAt: 1,
  membersOnly: 1,
  createdAt: 1,
  editedAt: 1,
  deletedAt: 1,
} as const;

export type PresentablePost = Pick<
  PostFields,
  '_id' | 'groupId' | 'authorId' | 'parentId' | 'body' | 'bodyText' | 'images' | 'likeCount' | 'replyCount' | 'hiddenAt' | 'createdAt' | 'editedAt'
> & Partial<Pick<PostFields, 'deletedAt' | 'parentHiddenAt'>> & { membersOnly?: boolean | null };
