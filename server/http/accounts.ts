// Sign-up, e-mail verification, sign-in, sign-out, password reset and the parent's confirmation link:
// the only account routes without a token.
import { Router, type Response } from 'express';
import type { AuthResult, MailRequested, ParentalConsentConfirmed, ParentalConsentDeclined, ParentalConsentLink, PendingRegistration } from '../../shared/api';
import { chooseLanguage } from '../../shared/i18n/languages';
import type { AppContext } from '../context';
import { Unauthorized } from '../errors';
import type { UserFields } from '../models/user';
import { presentMe } from '../presenters/user';
import {
  confirmPasswordReset,
  limitPasswordReset,
  registerAccount,
  requestPasswordReset,
  resendVerification,
  verifyEmailAddress,
} from '../services/accounts';
import { confirmParentalConsent, declineParentalConsent, describeParentalConsent } from '../services/parental-consent';
import { issueToken, revokeToken } from '../services/tokens';
import {
  emailRequestSchema,
  verifyEmailSchema,
  loginSchema,
  parentalConsentSchema,
  passwordResetConfirmSchema,
  registerSchema,
} from './account-schemas';
import { clientAddress, createPasswordCheck, type Auth } from './auth';
import { parseBody } from './validation';

/** The one answer to every request that may send mail to an address: it reveals nothing about the address. */
function mailRequested(res: Response): void {
  res.status(202).json({ status: 'sent_if_known' } satisfies MailRequested);
}

export function accountsRouter(ctx: AppContext, auth: Auth): Router {
  const router = Router();
  const passwordCheck = createPasswordCheck(ctx);

  // The same 202 whether or not the address has an account: its owner is told by e-mail instead.
  router.post('/auth/register', async (req, res) => {
    const input = parseBody(registerSchema, req.body);
    // Without a choice in the form, the browser's languages choose the account's (and its e-mails').
    const language = input.language ?? chooseLanguage(null, req.get('accept-language'));
    const status = await registerAccount(ctx, { ...input, language }, clientAddress(req));
    res.status(202).json({ status } satisfies PendingRegistration);
  });

  router.post('/auth/verify-email', async (req, res) => {
    const { token, password } = parseBody(verifyEmailSchema, req.body);
    const verified = await verifyEmailAddress(ctx, token, password, clientAddress(req));
    res.json({ user: presentMe(verified.user), token: verified.token } satisfies AuthResult);
  });

  router.post('/auth/verify-email/resend', async (req, res) => {
    const { email } = parseBody(emailRequestSchema, req.body);
    await resendVerification(ctx, email, clientAddress(req));
    mailRequested(res);
  });

  // Answered before looking the address up, so neither the answer nor its timing depends on it.
  router.post('/auth/password-reset', async (req, res) => {
    const { email } = parseBody(emailRequestSchema, req.body);
    await limitPasswordReset(ctx, email, clientAddress(req));
    mailRequested(res);
    res.once('finish', () => void requestPasswordReset(ctx, email));
  });

  router.post('/auth/password-reset/confirm', async (req, res) => {
    const { token, newPassword } = parseBody(passwordResetConfirmSchema, req.body);
    const reset = await confirmPasswordReset(ctx, token, newPassword, clientAddress(req));
    res.json({ user: presentMe(reset.user), token: reset.token } satisfies AuthResult);
  });

  router.post(
    '/auth/login',
    (req, _res, next) => {
      // Named 400s for missing or mistyped fields before passport sees the body.
      parseBody(loginSchema, req.body);
      next();
    },
    passwordCheck,
    async (_req, res) => {
      const user = res.locals.verifiedUser as UserFields | undefined;
      if (!user) throw new Unauthorized();
      res.json({ user: presentMe(user), token: await issueToken(user._id) } satisfies AuthResult);
    },
  );

  router.post('/auth/logout', auth.requireUser, async (req, res) => {
    if (!req.auth) throw new Unauthorized();
    await revokeToken(req.auth.tokenHash, ctx.events);
    res.status(204).end();
  });

  router.post('/auth/parental-consent', async (req, res) => {
    const { token } = parseBody(parentalConsentSchema, req.body);
    await confirmParentalConsent(ctx, token);
    res.json({ status: 'confirmed' } satisfies ParentalConsentConfirmed);
  });

  // A POST with the token in the body, like the link's other routes: a query string would put it in logs.
  router.post('/auth/parental-consent/lookup', async (req, res) => {
    const { token } = parseBody(parentalConsentSchema, req.body);
    res.json((await describeParentalConsent(ctx, token)) satisfies ParentalConsentLink);
  });

  router.post('/auth/parental-consent/decline', async (req, res) => {
    const { token } = parseBody(parentalConsentSchema, req.body);
    const { done } = await declineParentalConsent(ctx, token);
    done.catch((error: unknown) => ctx.log.error('erasure after a parent declined failed; it will be resumed', error));
    res.json({ status: 'declined', furtherRequests: 'not_sent' } satisfies ParentalConsentDeclined);
  });

  return router;
}
