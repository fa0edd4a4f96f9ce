// Inputs of the admin console's routes.
import { z } from 'zod';
import { REGISTRATION_POLICIES } from '../../shared/admin';
import { plainText } from './account-schemas';

export const userLookupSchema = z.object({
  /** An e-mail address (whole) or part of a name; at least 2 characters so one letter does not list everyone. */
  q: plainText({ min: 2, max: 200 }),
});

/** Why an account is suspended or reinstated: the audit log keeps it. */
export const suspensionSchema = z.object({
  reason: plainText({ min: 1, max: 500, multiline: true }),
});

export const registrationPolicySchema = z.object({
  policy: z.enum(REGISTRATION_POLICIES, { error: `must be one of ${REGISTRATION_POLICIES.join(', ')}` }),
});

export const invitationSchema = z.object({
  /** How many registrations the link admits: 1 for one person, more for a meeting or mailing. */
  maxUses: z.number({ error: 'must be a whole number from 1 to 1000' }).int('must be a whole number from 1 to 1000').min(1, 'must be at least 1').max(1000, 'must be at most 1000').default(1),
  expiresInDays: z.number({ error: 'must be a whole number of days from 1 to 90' }).int('must be a whole number of days from 1 to 90').min(1, 'must be at least 1 day').max(90, 'must be at most 90 days').default(14),
  label: plainText({ min: 0, max: 100 }).default(''),
});
