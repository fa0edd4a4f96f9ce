// Sign-up, sign-in, sign-out and the parent's confirmation link: the only account routes without a token.
import { Router } from 'express';
import type { AuthResult, ParentalConsentConfirmed, PendingRegistration } from '../../shared/api';
import type { AppContext } from '../context';
import { Unauthorized } from '../errors';
import type { UserFields } from '../models/user';
import { presentMe } from '../presenters/user';
import { confirmParentalConsent, registerAccount } from '../services/accounts';
import { issueToken, revokeToken } from '../services/tokens';
import { loginSchema, parentalConsentSchema, registerSchema } from './account-schemas';
import { createPasswordCheck, type Auth } from './auth';
import { parseBody } from './validation';

export function accountsRouter(ctx: AppContext, auth: Auth): Router {
  const router = Router();
  const passwordCheck = createPasswordCheck(ctx);

  router.post('/auth/register', async (req, res) => {
    const input = parseBody(registerSchema, req.body);
    const registration = await registerAccount(ctx, input);
    if (registration.status === 'pending_parental_consent') {
      res.status(202).json({ status: 'pending_parental_consent' } satisfies PendingRegistration);
      return;
    }
    res.status(201).json({ user: presentMe(registration.user), token: registration.token } satisfies AuthResult);
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

  return router;
}
