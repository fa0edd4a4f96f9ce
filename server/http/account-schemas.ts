// Request schemas of the account routes (auth, me, admin). Limits are the contract's; messages name the field.
import { z } from 'zod';
import { ageOn, ACCOUNT_LIMITS, MINOR_AGE } from '../../shared/accounts';
import { ROLES } from '../../shared/api';
import { isSupportedLanguage, SUPPORTED_LANGUAGES } from '../../shared/i18n/languages';

/** Local part, one @, a domain with a dot: enough to catch typos; the consent link proves the rest. */
const EMAIL_SHAPE = /^[^\s@<>()[\]\\,;:"]{1,64}@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$/;
/** Something that a browser would read as markup: `<b`, `</`, `<!`, `<?`. "I <3 cats" stays fine. */
const HTML_TAG = /<[a-z!/?]/i;
/** Bidirectional overrides can make a name read as someone else's. */
const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069]/;
const CONTROL_EXCEPT_NEWLINE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;
const ANY_CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
/** A character that shows: not space, format or ignorable (zero-width joiners, Hangul fillers), braille blank or a lone mark. */
const VISIBLE = /[^\p{White_Space}\p{Cf}\p{Default_Ignorable_Code_Point}\p{M}\u2800]/u;

function codePoints(value: string): number {
  return [...value].length;
}

export const emailField = z
  .string({ error: 'is required and must be a string' })
  .trim()
  .toLowerCase()
  .max(ACCOUNT_LIMITS.email, `must be at most ${ACCOUNT_LIMITS.email} characters`)
  .regex(EMAIL_SHAPE, 'must be an e-mail address like name@example.org');

/**
 * Plain text for names and bios: Unicode-normalised, trimmed, no markup (we store text and the client
 * escapes it; refusing tags tells the user at once instead of showing them mangled), no control
 * characters (newlines only where `multiline`), no bidirectional overrides, and when required, something
 * visible (a name of zero-width characters would let anyone appear as nobody).
 */
export function plainText(options: { min: number; max: number; multiline?: boolean }) {
  return z
    .string({ error: 'must be a string' })
    .transform((value) => {
      const normalised = value.normalize('NFC').replace(/\r\n?/g, '\n');
      return options.multiline ? normalised.trim() : normalised.replace(/[ \t\n]+/g, ' ').trim();
    })
    .superRefine((value, check) => {
      const length = codePoints(value);
      if (length < options.min) {
        check.addIssue({ code: 'custom', message: options.min === 1 ? 'must not be empty' : `must be at least ${options.min} characters` });
      } else if (length > options.max) {
        check.addIssue({ code: 'custom', message: `must be at most ${options.max} characters` });
      } else if (options.min > 0 && !VISIBLE.test(value)) {
        check.addIssue({ code: 'custom', message: 'must contain a visible character' });
      } else if (HTML_TAG.test(value)) {
        check.addIssue({ code: 'custom', message: 'must be plain text: HTML tags are not allowed' });
      } else if ((options.multiline ? CONTROL_EXCEPT_NEWLINE : ANY_CONTROL).test(value) || BIDI_CONTROLS.test(value)) {
        check.addIssue({ code: 'custom', message: 'must not contain control characters' });
      }
    });
}

function isCalendarDate(value: string): boolean {
  const [year, month, day] = value.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

const dateOfBirthField = z
  .string({ error: 'is required and must be a date like 1990-04-01' })
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 1990-04-01 (YYYY-MM-DD)')
  .refine(isCalendarDate, 'is not a real calendar date')
  .refine((value) => value <= new Date().toISOString().slice(0, 10), 'must not be in the future')
  .refine((value) => ageOn(value, new Date()) <= ACCOUNT_LIMITS.maxAgeYears, `must be within the last ${ACCOUNT_LIMITS.maxAgeYears} years`);

const newPasswordField = z
  .string({ error: 'is required and must be a string' })
  .min(ACCOUNT_LIMITS.passwordMin, `must be at least ${ACCOUNT_LIMITS.passwordMin} characters`)
  .max(ACCOUNT_LIMITS.passwordMax, `must be at most ${ACCOUNT_LIMITS.passwordMax} characters`);

/** Passwords being checked (not set) are only bounded, so the KDF never hashes megabytes. */
const presentedPasswordField = z
  .string({ error: 'is required and must be a string' })
  .min(1, 'is required')
  .max(1024, 'is too long');

const linkToken = z.string({ error: 'is required and must be a string' }).min(1, 'is required').max(200, 'is too long');

const SUPPORTED_LANGUAGES_MESSAGE = `must be one of the supported languages: ${SUPPORTED_LANGUAGES.join(', ')}`;

/** One of the languages the forum speaks (shared/i18n/languages.ts), as its tag; case does not matter. */
export const languageField = z
  .string({ error: SUPPORTED_LANGUAGES_MESSAGE })
  .max(35, SUPPORTED_LANGUAGES_MESSAGE)
  .transform((value, check) => {
    const language = value.trim().toLowerCase();
    if (isSupportedLanguage(language)) return language;
    check.addIssue({ code: 'custom', message: SUPPORTED_LANGUAGES_MESSAGE });
    return z.NEVER;
  });

export const registerSchema = z
  .object({
    email: emailField,
    password: newPasswordField,
    name: plainText({ min: 1, max: ACCOUNT_LIMITS.name }),
    dateOfBirth: dateOfBirthField,
    acceptTerms: z.literal(true, { error: 'must be true: the terms have to be accepted to register' }),
    /** Needed (and only kept) when the registrant is under 18. */
    parentEmail: emailField.optional(),
    /** The token of an invitation link (`/signup?invitation=…`); needed when registration is by invitation. */
    invitation: linkToken.optional(),
    /** The account's language; the request's Accept-Language chooses it when absent. */
    language: languageField.optional(),
  })
  .superRefine((input, check) => {
    if (input.password.toLowerCase() === input.email) {
      check.addIssue({ code: 'custom', path: ['password'], message: 'must not be the same as the e-mail address' });
    }
    if (ageOn(input.dateOfBirth, new Date()) >= MINOR_AGE) return;
    if (input.parentEmail === undefined) {
      check.addIssue({
        code: 'custom',
        path: ['parentEmail'],
        message: `is required under ${MINOR_AGE}: a parent or guardian has to confirm the account`,
      });
    } else if (input.parentEmail === input.email) {
      check.addIssue({ code: 'custom', path: ['parentEmail'], message: "must be a parent's address, not your own" });
    }
  });
export type RegisterInput = z.infer<typeof registerSchema>;

export const loginSchema = z.object({
  email: z.string({ error: 'is required and must be a string' }).min(1, 'is required').max(1024, 'is too long'),
  password: presentedPasswordField,
});

export const parentalConsentSchema = z.object({ token: linkToken });

/** Verification links: the registration password is optional so the contract's `{token}` still works; without it the password is dropped. */
export const verifyEmailSchema = z.object({ token: linkToken, password: presentedPasswordField.optional() });

/** Verification resend and password reset: an address, answered the same whatever it is. */
export const emailRequestSchema = z.object({ email: emailField });

export const passwordResetConfirmSchema = z.object({ token: linkToken, newPassword: newPasswordField });

export const profileSchema = z.object({
  displayName: plainText({ min: 1, max: ACCOUNT_LIMITS.displayName }).optional(),
  bio: plainText({ min: 0, max: ACCOUNT_LIMITS.bio, multiline: true }).optional(),
  language: languageField.optional(),
});

export const passwordChangeSchema = z
  .object({ currentPassword: presentedPasswordField, newPassword: newPasswordField })
  .refine((input) => input.newPassword !== input.currentPassword, {
    path: ['newPassword'],
    message: 'must differ from the current password',
  });

export const rolesSchema = z.object({
  roles: z
    .array(z.enum(ROLES, { error: `must be one of ${ROLES.join(', ')}` }), { error: 'must be a list of roles' })
    .max(ROLES.length, 'lists a role twice')
    .refine((roles) => new Set(roles).size === roles.length, 'lists a role twice'),
});

export const membershipSchema = z.object({
  isMember: z.boolean({ error: 'is required and must be true or false' }),
});
