import { Schema, model, type InferSchemaType, type Types } from 'mongoose';

export const REPORT_STATUSES = ['open', 'resolved', 'dismissed'] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];

const resolutionSchema = new Schema(
  {
    /** The moderation action that closed the report (`hide`, `delete`, `dismiss`, ...), or `post_deleted` by its author. */
    action: { type: String, required: true },
    /** Null when the author's own deletion closed it. */
    by: { type: Schema.Types.ObjectId, default: null },
    reason: { type: String, default: null },
    at: { type: Date, required: true },
  },
  { _id: false },
);

const reportSchema = new Schema(
  {
    postId: { type: Schema.Types.ObjectId, required: true },
    /** Copied from the post so group moderators' queues are one indexed query. */
    groupId: { type: Schema.Types.ObjectId, required: true },
    /** Copied from the post: suspending a user resolves the reports about their posts. */
    authorId: { type: Schema.Types.ObjectId, default: null },
    reporterId: { type: Schema.Types.ObjectId, required: true },
    reason: { type: String, required: true },
    status: { type: String, enum: REPORT_STATUSES, default: 'open' },
    resolution: { type: resolutionSchema, default: null },
  },
  { timestamps: { createdAt: true, updatedAt: false } },
);

// One open report per user per post; the index is the rule, so a double click cannot file two.
reportSchema.index({ postId: 1, reporterId: 1 }, { unique: true, partialFilterExpression: { status: 'open' } });
// Site moderators' queue: by status, newest first.
reportSchema.index({ status: 1, _id: -1 });
// Group moderators' queue.
reportSchema.index({ groupId: 1, status: 1, _id: -1 });
// A reporter's own reports: their data export, and their erasure.
reportSchema.index({ reporterId: 1 });
// Resolving every open report of one post.
reportSchema.index({ postId: 1, status: 1 });

export type ReportFields = InferSchemaType<typeof reportSchema> & {
  _id: Types.ObjectId;
  status: ReportStatus;
  createdAt: Date;
};
export const Report = model<ReportFields>('Report', reportSchema);
