// Inputs of the admin console's routes.
import { z } from 'zod';
import { REGISTRATION_POLICIES } from '../../shared/admin';
import { plainText } from './account-schemas';
import type { ErrorKey } from '../errors';
import { problem } from './validation';

export const userLookupSchema = z.object({
  /** An e-mail address (whole) or part of a name; at least 2 characters so one letter does not list everyone. */
  q: plainText({ min: 2, max: 200 }),
});

/** Why an account is suspended or reinstated: the audit log keeps it. */
export const suspensionSchema = z.object({
  reason: plainText({ min: 1, max: 500, multiline: true }),
});

export const registrationPolicySchema = z.object({
  policy: z.enum(REGISTRATION_POLICIES, { error: problem('errors.field.oneOf', { values: REGISTRATION_POLICIES.join(', ') }) }),
});

/** A whole number within bounds, each problem in the given words (counts of uses, of days). */
function wholeNumber(min: number, max: number, whole: ErrorKey, atLeast: ErrorKey, atMost: ErrorKey) {
  const notWhole = problem(whole, { min, max });
  return z.number({ error: notWhole }).int(notWhole).min(min, problem(atLeast, { min })).max(max, problem(atMost, { max }));
}

export const invitationSchema = z.object({
  /** How many registrations the link admits: 1 for one person, more for a meeting or mailing. */
  maxUses: wholeNumber(1, 1000, 'errors.field.wholeNumber', 'errors.field.atLeast', 'errors.field.atMost').default(1),
  expiresInDays: wholeNumber(1, 90, 'errors.field.wholeDays', 'errors.field.atLeastDays', 'errors.field.atMostDays').default(14),
  label: plainText({ min: 0, max: 100 }).default(''),
});
