// The home feeds: the anonymous homepage (cached bytes) and the signed-in home feed.
import { Router } from 'express';
import type { AppContext } from '../context';
import { homeFeed } from '../services/feeds';
import { parsePageRequest } from '../services/pagination';
import { PublicFeedCache } from '../services/public-feed-cache';
import { signedIn, type Auth } from './auth';

export function feedsRouter(ctx: AppContext, auth: Auth): Router {
  const router = Router();
  const publicFeed = new PublicFeedCache(ctx);

  // No auth at all: a token (even a stale one) must not change or slow down the homepage.
  router.get('/feed/public', async (req, res) => {
    const page = await publicFeed.get();
    res.vary('Accept-Encoding').type('application/json');
    if (req.acceptsEncodings('gzip') === 'gzip') res.set('Content-Encoding', 'gzip').send(page.gzip);
    else res.send(page.json);
  });

  router.get('/feed', auth.requireUser, async (req, res) => {
    res.json(await homeFeed(ctx, signedIn(req), parsePageRequest(req.query)));
  });

  return router;
}
