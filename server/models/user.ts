import { Schema, model, type HydratedDocument, type InferSchemaType, type Types } from 'mongoose';

const preferencesSchema = new Schema(
  {
    email: { type: Boolean, default: false },
    sms: { type: Boolean, default: false },
    whatsapp: { type: Boolean, default: false },
    phone: { type: Boolean, default: false },
    post: { type: Boolean, default: false },
  },
  { _id: false },
);

const userSchema = new Schema(
  {
    /** Stored lower-cased, so uniqueness is case-insensitive. */
    email: { type: String, required: true, lowercase: true, trim: true },
    passwordHash: { type: String, required: true },
    name: { type: String, required: true },
    displayName: { type: String, required: true },
    bio: { type: String, default: '' },
    /** YYYY-MM-DD as entered; a calendar date, not an instant. */
    dateOfBirth: { type: String, required: true },
    /** Random file stem of the current avatar (sizes are suffixes), or null. */
    avatarKey: { type: String, default: null },
    roles: { type: [String], enum: ['admin', 'moderator'], default: [] },
    isMember: { type: Boolean, default: false },
    /** `erasing`: the owner asked for erasure; from that moment the account is invisible and cannot sign in. */
    /**
     * `pending_verification`: registered, the address not yet confirmed through the e-mailed link.
     * `pending_parental_consent`: under 18 and no parent has confirmed yet (the address may be verified already).
     */
    status: { type: String, enum: ['active', 'pending_verification', 'pending_parental_consent', 'erasing'], default: 'active' },
    /** The owner followed a verification link sent to `email`; FORUM_ADMIN_EMAILS roles need it. */
    emailVerified: { type: Boolean, default: false },
    /** BCP 47 language tag. */
    language: { type: String, default: 'en' },
    parentEmail: { type: String, default: null },
    preferences: { type: preferencesSchema, default: () => ({}) },
    restricted: { type: Boolean, default: false },
    passwordChangedAt: { type: Date, default: null },
  },
  { timestamps: true },
);

userSchema.index({ email: 1 }, { unique: true });

/** The accounts other users may see or interact with; add it to every query that shows a user to someone else. */
export const ACTIVE_ACCOUNT = { status: 'active' } as const;

export type UserFields = InferSchemaType<typeof userSchema> & { _id: Types.ObjectId; createdAt: Date; updatedAt: Date };
export type UserDocument = HydratedDocument<UserFields>;
export const User = model<UserFields>('User', userSchema);
