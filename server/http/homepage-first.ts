// The visitor's homepage is the hottest page and the same bytes for everyone: while the public feed cache
// holds it, `GET /` is answered before Express routes anything (its routing and middleware cost more than
// the sending; docs/performance.md). It is held once per language; the browser's Accept-Language picks one. Everything else, and `/` before the page is built, goes to the app,
// whose route for `/` sends the same bytes (./client.ts).
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { PublicFeedCache } from '../services/public-feed-cache';
import { encodingNegotiator } from './accept-encoding';
import { languageNegotiator } from './accept-language';
import { sendEncoded } from './client';

export function homepageFirst(publicFeed: PublicFeedCache, app: RequestListener): RequestListener {
  const negotiate = encodingNegotiator();
  const language = languageNegotiator();
  return (req: IncomingMessage, res: ServerResponse) => {
    if (req.url === '/' && req.method === 'GET') {
      const html = publicFeed.ready()?.html;
      if (html) {
        sendEncoded(res, html[language(req.headers['accept-language'])], negotiate(req.headers['accept-encoding']));
        return;
      }
    }
    app(req, res);
  };
}
