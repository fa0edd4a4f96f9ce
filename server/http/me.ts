import { Router } from 'express';
import type { AppContext } from '../context';
import type { Auth } from './auth';
import { presentMe } from '../presenters/user';
import { Unauthorized } from '../errors';

export function meRouter(_ctx: AppContext, auth: Auth): Router {
  const router = Router();
  router.get('/me', auth.requireUser, (req, res) => {
    if (!req.auth) throw new Unauthorized();
    res.json(presentMe(req.auth.user));
  });
  return router;
}
