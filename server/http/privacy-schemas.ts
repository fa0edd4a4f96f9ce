// Request schemas of the privacy-rights routes. Messages name the field.
import { z } from 'zod';
import { CONTACT_CHANNELS } from '../../shared/api';
import { emailField } from './account-schemas';

const presentedPassword = z.string({ error: 'is required and must be a string' }).min(1, 'is required').max(1024, 'is too long');
const linkToken = z.string({ error: 'is required and must be a string' }).min(1, 'is required').max(200, 'is too long');
const flag = z.boolean({ error: 'is required and must be true or false' });

export const erasureSchema = z.object({ password: presentedPassword });

/** PUT replaces all five choices, so each must be given; an unknown key is refused rather than ignored. */
export const preferencesSchema = z.strictObject(
  Object.fromEntries(CONTACT_CHANNELS.map((channel) => [channel, flag])) as Record<(typeof CONTACT_CHANNELS)[number], typeof flag>,
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys' ? `${issue.keys.join(', ')} is not a contact channel (use ${CONTACT_CHANNELS.join(', ')})` : undefined,
  },
);

export const restrictionSchema = z.object({ restricted: flag });

export const unsubscribeSchema = z.object({ token: linkToken });

/** RFC 8058: the form body must say `List-Unsubscribe=One-Click`; the token is the URL's `token` parameter. */
export const oneClickUnsubscribeSchema = z.object({
  'List-Unsubscribe': z.literal('One-Click', { error: 'must be One-Click (RFC 8058)' }),
  token: linkToken,
});

export const emailChangeSchema = z.object({ email: emailField, password: presentedPassword });

export const emailConfirmSchema = z.object({ token: linkToken });
