import { Schema, model, type InferSchemaType, type Types } from 'mongoose';

const groupSchema = new Schema(
  {
    name: { type: String, required: true, trim: true },
    /** Derived from the name once, de-duplicated; stays stable when the name changes so links keep working. */
    slug: { type: String, required: true },
    description: { type: String, default: '' },
    /** The group's rules as plain text, shown with the description to whoever may see the group. */
    rules: { type: String, default: '' },
    visibility: { type: String, enum: ['public', 'closed'], required: true },
    joinPolicy: { type: String, enum: ['open', 'request', 'invite'], required: true },
    ownerId: { type: Schema.Types.ObjectId, required: true },
    /** Active members (owner and moderators included); changed with $inc only when a membership really changed. */
    memberCount: { type: Number, default: 0 },
    /**
     * When the group last became closed (created closed, or closed later). Making it public keeps the posts
     * written since then for its members; null on groups stored before this was kept (all posts count then).
     */
    closedAt: { type: Date, default: null },
  },
  { timestamps: true },
);

groupSchema.index({ slug: 1 }, { unique: true });
// readableGroupIds() asks for every public group's id on each feed request.
groupSchema.index({ visibility: 1 });

// Search by name (weighted) and description.
groupSchema.index({ name: 'text', description: 'text' }, { name: 'search_text', weights: { name: 5, description: 1 }, default_language: 'english', language_override: 'searchLanguage' });

export type GroupFields = InferSchemaType<typeof groupSchema> & { _id: Types.ObjectId; createdAt: Date; updatedAt: Date };
export const Group = model<GroupFields>('Group', groupSchema);
