import { Schema, model, type InferSchemaType, type Types } from 'mongoose';

/** A disclosure of a hold's preserved items to an outside recipient (server/services/disclosures.ts). */
const disclosureSchema = new Schema(
  {
    holdId: { type: Schema.Types.ObjectId, required: true },
    legalBasis: { type: String, required: true },
    reference: { type: String, required: true },
    recipient: { type: String, required: true },
    notifyUser: { type: Boolean, required: true },
    /** Required when notifyUser is false; audited. */
    withholdReason: { type: String, default: null },
    createdBy: { type: Schema.Types.ObjectId, required: true },
    /** The preserved items the hold covered when the disclosure was made: every download serves exactly these. */
    itemIds: { type: [Schema.Types.ObjectId], default: [] },
    /** Authors of those items and how many items each: who is told, and whose data export lists the disclosure. */
    affected: {
      type: [new Schema({ userId: { type: Schema.Types.ObjectId, required: true }, itemCount: { type: Number, required: true } }, { _id: false })],
      default: [],
    },
  },
  { timestamps: { createdAt: true, updatedAt: false }, versionKey: false },
);

// disclosuresAbout(userId) for the data export.
disclosureSchema.index({ 'affected.userId': 1 });
disclosureSchema.index({ holdId: 1 });

export type DisclosureFields = InferSchemaType<typeof disclosureSchema> & {
  _id: Types.ObjectId;
  itemIds: Types.ObjectId[];
  affected: { userId: Types.ObjectId; itemCount: number }[];
  createdAt: Date;
};
export const Disclosure = model<DisclosureFields>('Disclosure', disclosureSchema);
