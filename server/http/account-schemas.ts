// Request schemas of the account routes (auth, me, admin). Limits are the contract's; messages name the field.
import { z } from 'zod';
import { ageOn, ACCOUNT_LIMITS, MINOR_AGE } from '../../shared/accounts';
import { ROLES } from '../../shared/api';
import { isSupportedLanguage, SUPPORTED_LANGUAGES } from '../../shared/i18n/languages';
import { problem } from './validation';

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
  .string({ error: problem('errors.field.requiredString') })
  .trim()
  .toLowerCase()
  .max(ACCOUNT_LIMITS.email, problem('errors.field.atMostChars', { max: ACCOUNT_LIMITS.email }))
  .regex(EMAIL_SHAPE, problem('errors.field.email'));

/**
 * Plain text for names and bios: Unicode-normalised, trimmed, no markup (we store text and the client
 * escapes it; refusing tags tells the user at once instead of showing them mangled), no control
 * characters (newlines only where `multiline`), no bidirectional overrides, and when required, something
 * visible (a name of zero-width characters would let anyone appear as nobody).
 */
export function plainText(options: { min: number; max: number; multiline?: boolean }) {
  return z
    .string({ error: problem('errors.field.string') })
    .transform((value) => {
      const normalised = value.normalize('NFC').replace(/\r\n?/g, '\n');
      return options.multiline ? normalised.trim() : normalised.replace(/[ \t\n]+/g, ' ').trim();
    })
    .superRefine((value, check) => {
      const length = codePoints(value);
      if (length < options.min) {
        check.addIssue({ code: 'custom', message: options.min === 1 ? problem('errors.field.notEmpty') : problem('errors.field.atLeastChars', { min: options.min }) });
      } else if (length > options.max) {
        check.addIssue({ code: 'custom', message: problem('errors.field.atMostChars', { max: options.max }) });
      } else if (options.min > 0 && !VISIBLE.test(value)) {
        check.addIssue({ code: 'custom', message: problem('errors.field.visible') });
      } else if (HTML_TAG.test(value)) {
        check.addIssue({ code: 'custom', message: problem('errors.field.plainText') });
      } else if ((options.multiline ? CONTROL_EXCEPT_NEWLINE : ANY_CONTROL).test(value) || BIDI_CONTROLS.test(value)) {
        check.addIssue({ code: 'custom', message: problem('errors.field.noControl') });
      }
    });
}

function isCalendarDate(value: string): boolean {
  const [year, month, day] = value.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

const dateOfBirthField = z
  .string({ error: problem('errors.field.dateRequired') })
  .regex(/^\d{4}-\d{2}-\d{2}$/, problem('errors.field.dateFormat'))
  .refine(isCalendarDate, problem('errors.field.dateReal'))
  .refine((value) => value <= new Date().toISOString().slice(0, 10), problem('errors.field.dateFuture'))
  .refine((value) => ageOn(value, new Date()) <= ACCOUNT_LIMITS.maxAgeYears, problem('errors.field.dateRange', { years: ACCOUNT_LIMITS.maxAgeYears }));

const newPasswordField = z
  .string({ error: problem('errors.field.requiredString') })
  .min(ACCOUNT_LIMITS.passwordMin, problem('errors.field.atLeastChars', { min: ACCOUNT_LIMITS.passwordMin }))
  .max(ACCOUNT_LIMITS.passwordMax, problem('errors.field.atMostChars', { max: ACCOUNT_LIMITS.passwordMax }));

/** Passwords being checked (not set) are only bounded, so the KDF never hashes megabytes. */
const presentedPasswordField = z
  .string({ error: problem('errors.field.requiredString') })
  .min(1, problem('errors.field.required'))
  .max(1024, problem('errors.field.tooLong'));

const linkToken = z.string({ error: problem('errors.field.requiredString') }).min(1, problem('errors.field.required')).max(200, problem('errors.field.tooLong'));

const SUPPORTED_LANGUAGES_MESSAGE = problem('errors.field.language', { languages: SUPPORTED_LANGUAGES.join(', ') });

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
    acceptTerms: z.literal(true, { error: problem('errors.field.acceptTerms') }),
    /** Needed (and only kept) when the registrant is under 18. */
    parentEmail: emailField.optional(),
    /** The token of an invitation link (`/signup?invitation=…`); needed when registration is by invitation. */
    invitation: linkToken.optional(),
    /** The account's language; the request's Accept-Language chooses it when absent. */
    language: languageField.optional(),
  })
  .superRefine((input, check) => {
    if (input.password.toLowerCase() === input.email) {
      check.addIssue({ code: 'custom', path: ['password'], message: problem('errors.field.sameAsEmail') });
    }
    if (ageOn(input.dateOfBirth, new Date()) >= MINOR_AGE) return;
    if (input.parentEmail === undefined) {
      check.addIssue({
        code: 'custom',
        path: ['parentEmail'],
        message: problem('errors.field.parentRequired', { age: MINOR_AGE }),
      });
    } else if (input.parentEmail === input.email) {
      check.addIssue({ code: 'custom', path: ['parentEmail'], message: problem('errors.field.parentNotOwn') });
    }
  });
export type RegisterInput = z.infer<typeof registerSchema>;

export const loginSchema = z.object({
  email: z.string({ error: problem('errors.field.requiredString') }).min(1, problem('errors.field.required')).max(1024, problem('errors.field.tooLong')),
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
    message: problem('errors.field.samePassword'),
  });

export const rolesSchema = z.object({
  roles: z
    .array(z.enum(ROLES, { error: problem('errors.field.oneOf', { values: ROLES.join(', ') }) }), { error: problem('errors.field.rolesList') })
    .max(ROLES.length, problem('errors.field.roleTwice'))
    .refine((roles) => new Set(roles).size === roles.length, problem('errors.field.roleTwice')),
});

export const membershipSchema = z.object({
  isMember: z.boolean({ error: problem('errors.field.requiredBoolean') }),
});
