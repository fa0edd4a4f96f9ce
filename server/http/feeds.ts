// The home feeds: the anonymous homepage (cached bytes) and the signed-in home feed.
import { Router } from 'express';
import type { AppContext } from '../context';
import { homeFeed } from '../services/feeds';
import { parsePageRequest } from '../services/pagination';
import type { EncodedPage, PublicFeedCache } from '../services/public-feed-cache';
import { gzipNegotiator } from './accept-encoding';
import { signedIn, type Auth } from './auth';
import { sendJsonBytes } from './json-bytes';

export function feedsRouter(ctx: AppContext, auth: Auth, publicFeed: PublicFeedCache): Router {
  const router = Router();
  const acceptsGzip = gzipNegotiator();

  // No auth at all: a token (even a stale one) must not change or slow down the homepage.
  // The hottest route sends ready bytes with plain node:http calls: Express's send() would look at
  // freshness, types and lengths that are already known.
  router.get('/feed/public', (req, res, next) => {
    const send = (page: EncodedPage): void => {
      const zipped = acceptsGzip(req.headers['accept-encoding']);
      const body = zipped ? page.gzip : page.json;
      res.setHeader('Content-Type', 'application/json; charset=utf-8');
      res.setHeader('Vary', 'Accept-Encoding');
      if (zipped) res.setHeader('Content-Encoding', 'gzip');
      res.setHeader('Content-Length', body.length);
      res.end(body);
    };
    const page = publicFeed.ready();
    if (page) send(page);
    else publicFeed.get().then(send, next);
  });

  router.get('/feed', auth.requireUser, async (req, res) => {
    sendJsonBytes(res, await homeFeed(ctx, signedIn(req), parsePageRequest(req.query)));
  });

  return router;
}
