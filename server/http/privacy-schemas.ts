// Request schemas of the privacy-rights routes. Messages name the field.
import { z } from 'zod';
import { CONTACT_CHANNELS } from '../../shared/api';
import { emailField } from './account-schemas';
import { problem } from './validation';

const presentedPassword = z.string({ error: problem('errors.field.requiredString') }).min(1, problem('errors.field.required')).max(1024, problem('errors.field.tooLong'));
const linkToken = z.string({ error: problem('errors.field.requiredString') }).min(1, problem('errors.field.required')).max(200, problem('errors.field.tooLong'));
const flag = z.boolean({ error: problem('errors.field.requiredBoolean') });

export const erasureSchema = z.object({ password: presentedPassword });

/** PUT replaces all five choices, so each must be given; an unknown key is refused rather than ignored. */
export const preferencesSchema = z.strictObject(
  Object.fromEntries(CONTACT_CHANNELS.map((channel) => [channel, flag])) as Record<(typeof CONTACT_CHANNELS)[number], typeof flag>,
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys' ? problem('errors.field.notChannel', { keys: issue.keys.join(', '), channels: CONTACT_CHANNELS.join(', ') }) : undefined,
  },
);

export const restrictionSchema = z.object({ restricted: flag });

export const parentalConsentRequestsSchema = z.object({ refused: flag });

export const unsubscribeSchema = z.object({ token: linkToken });

/** RFC 8058: the form body must say `List-Unsubscribe=One-Click`; the token is the URL's `token` parameter. */
export const oneClickUnsubscribeSchema = z.object({
  'List-Unsubscribe': z.literal('One-Click', { error: problem('errors.field.oneClick') }),
  token: linkToken,
});

export const emailChangeSchema = z.object({ email: emailField, password: presentedPassword });

export const emailConfirmSchema = z.object({ token: linkToken });
