// Other users' profiles: for signed-in users only, and only the public shape.
import { Router } from 'express';
import type { AppContext } from '../context';
import { NotFound } from '../errors';
import { presentPublicUser } from '../presenters/user';
import { findPublicProfile } from '../services/profiles';
import type { Auth } from './auth';
import { parsePathId } from './validation';

export function usersRouter(_ctx: AppContext, auth: Auth): Router {
  const router = Router();

  router.get('/users/:id', auth.requireUser, async (req, res) => {
    const user = await findPublicProfile(parsePathId(req.params.id, 'user'));
    if (!user) throw new NotFound('user');
    res.json(presentPublicUser(user));
  });

  return router;
}
