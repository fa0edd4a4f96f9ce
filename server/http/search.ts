// GET /api/search: signed-in members only; visitors keep seeing only the homepage.
import { Router } from 'express';
import type { AppContext } from '../context';
import { parseSearchRequest } from '../search/query';
import { search } from '../search/search';
import { signedIn, type Auth } from './auth';
import { sendJsonBytes } from './json-bytes';

export function searchRouter(ctx: AppContext, auth: Auth): Router {
  const router = Router();
  router.get('/search', auth.requireUser, async (req, res) => {
    const page = await search(ctx, signedIn(req), parseSearchRequest(req.query));
    if (Buffer.isBuffer(page)) sendJsonBytes(res, page);
    else res.json(page);
  });
  return router;
}
