import { Schema, model, type InferSchemaType, type Types } from 'mongoose';
import { REGISTRATION_POLICIES } from '../../shared/admin';

/**
 * Settings admins choose in the console, one document per setting (`_id` names it), so a choice survives
 * restarts and every process reads the same one. Only `registration` exists today.
 */
const siteSettingSchema = new Schema({
  _id: { type: String, required: true },
  registrationPolicy: { type: String, enum: REGISTRATION_POLICIES, required: true },
  changedAt: { type: Date, required: true },
  changedBy: { type: Schema.Types.ObjectId, required: true },
});

export type SiteSettingFields = InferSchemaType<typeof siteSettingSchema> & { changedBy: Types.ObjectId };
export const SiteSetting = model<SiteSettingFields>('SiteSetting', siteSettingSchema);
