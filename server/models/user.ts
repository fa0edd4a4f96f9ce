import { Schema, model, type InferSchemaType, type Types } from 'mongoose';

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
     * `pending_approval`: verified (and consented), waiting for an admin because registration needs approval.
     */
    status: { type: String, enum: ['active', 'pending_verification', 'pending_parental_consent', 'pending_approval', 'erasing'], default: 'active' },
    /** Registered while registration needed an admin's approval, which has not been given yet. */
    awaitingApproval: { type: Boolean, default: false },
    /** Suspended site-wide by an admin: no token works and no sign-in succeeds until reinstated. */
    suspendedAt: { type: Date, default: null },
    suspendedBy: { type: Schema.Types.ObjectId, default: null },
    suspensionReason: { type: String, default: null },
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
// Minors' registrations waiting for a parent, by age: all the lapse (services/registration-lapse.ts) reads.
userSchema.index({ createdAt: 1 }, { name: 'awaiting_parent', partialFilterExpression: { status: 'pending_parental_consent' } });
// People search: display names only (never e-mail or name), whole words in any language, no stemming.
userSchema.index({ displayName: 'text', status: 1 }, { name: 'search_text', default_language: 'none', language_override: 'searchLanguage' });

/** The accounts other users may see or interact with; add it to every query that shows a user to someone else. */
export const ACTIVE_ACCOUNT = { status: 'active' } as const;

/** Only the fields a PublicUser is made of, so the private ones are never even loaded. */
export const PUBLIC_USER_PROJECTION = { displayName: 1, avatarKey: 1, bio: 1, createdAt: 1 } as const;

export type PublicUserFields = Readonly<Pick<UserFields, '_id' | 'displayName' | 'avatarKey' | 'bio' | 'createdAt'>>;

export type UserFields = InferSchemaType<typeof userSchema> & { _id: Types.ObjectId; createdAt: Date; updatedAt: Date };
export const User = model<UserFields>('User', userSchema);
