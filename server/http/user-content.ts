// A profile's lists: posts the user wrote and posts the user liked, as far as the viewer may see them.
import { Router } from 'express';
import type { AppContext } from '../context';
import { userLikes, userPosts } from '../services/feeds';
import { parsePageRequest } from '../services/pagination';
import { signedIn, type Auth } from './auth';
import { parsePathId } from './validation';

export function userContentRouter(ctx: AppContext, auth: Auth): Router {
  const router = Router();

  router.get('/users/:id/posts', auth.requireUser, async (req, res) => {
    res.json(await userPosts(ctx, signedIn(req), parsePathId(req.params.id, 'user'), parsePageRequest(req.query)));
  });

  router.get('/users/:id/likes', auth.requireUser, async (req, res) => {
    res.json(await userLikes(ctx, signedIn(req), parsePathId(req.params.id, 'user'), parsePageRequest(req.query)));
  });

  return router;
}
