// Serves what browsers load outside /api: the homepage rendered on the server (ready bytes from the public
// feed cache), the bundle's hashed assets in the best pre-compressed coding the browser takes, the app shell
// for the client's pages, robots.txt, the organisation's logo and accent colour, and a 404 page for the rest.
import express, { Router, type Request, type Response } from 'express';
import { existsSync, readdirSync } from 'node:fs';
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import path from 'node:path';
import { isClientPath } from '../../shared/client-routes';
import type { AppContext } from '../context';
import type { EncodedBody, PublicFeedCache } from '../services/public-feed-cache';
import { encodingNegotiator, preferredEncoding, type ContentCoding } from './accept-encoding';
import { languageNegotiator } from './accept-language';
import type { Language } from '../../shared/i18n/languages';
import type { VisitorPages } from './pages';
import { SECURITY_HEADERS } from './security-headers';

const HASHED_ASSET = /\.[0-9a-f]{8,}\.(js|css|woff2?|svg|png|webp)(\.map)?$/;
const IMMUTABLE = 'public, max-age=31536000, immutable';
const HTML = 'text/html; charset=utf-8';

/** Crawlers may read the homepage (the only page visitors have) and nothing else. */
const ROBOTS_TXT = 'User-agent: *\nAllow: /$\nDisallow: /\n';

const BODY_OF: Record<ContentCoding, keyof EncodedBody> = { br: 'br', gzip: 'gzip', identity: 'plain' };

/** Response headers per body and coding, made once: the homepage's bytes change only when the feed does. */
const headersFor = new WeakMap<Buffer, OutgoingHttpHeaders>();

/**
 * Sends a held body in the coding the request prefers, with nothing left for Express to work out. The
 * security headers are part of it because the ready homepage is sent before Express (./homepage-first.ts).
 */
export function sendEncoded(res: ServerResponse, body: EncodedBody, coding: ContentCoding, status = 200, head = false): void {
  const bytes = body[BODY_OF[coding]];
  let headers = headersFor.get(bytes);
  if (!headers) {
    // Every page held this way exists once per language, chosen by Accept-Language.
    headers = { ...SECURITY_HEADERS, 'Content-Type': HTML, 'Cache-Control': 'no-cache', Vary: 'Accept-Encoding, Accept-Language', 'Content-Length': bytes.length };
    if (coding !== 'identity') headers['Content-Encoding'] = coding;
    headersFor.set(bytes, headers);
  }
  res.writeHead(status, headers);
  res.end(head ? undefined : bytes);
}

/** For each asset that has `.br` and `.gz` siblings (written by the build), which codings exist. */
function precompressedAssets(root: string): Map<string, Set<ContentCoding>> {
  const found = new Map<string, Set<ContentCoding>>();
  const dir = path.join(root, 'assets');
  if (!existsSync(dir)) return found;
  const names = new Set(readdirSync(dir));
  for (const name of names) {
    if (name.endsWith('.br') || name.endsWith('.gz')) continue;
    const codings = new Set<ContentCoding>();
    if (names.has(`${name}.br`)) codings.add('br');
    if (names.has(`${name}.gz`)) codings.add('gzip');
    if (codings.size > 0) found.set(`/assets/${name}`, codings);
  }
  return found;
}

export function clientRouter(ctx: AppContext, pages: VisitorPages, publicFeed: PublicFeedCache): Router {
  const router = Router();
  const root = ctx.config.clientDir;
  const negotiate = encodingNegotiator();
  const language = languageNegotiator();
  let assets: Map<string, Set<ContentCoding>> | null = null;

  const notBuilt = (res: Response): void => {
    res.status(503).type('text/plain').send('The client bundle has not been built yet: run `npm run build`.\n');
  };

  router.get('/', (req, res, next) => {
    const send = (html: Readonly<Record<Language, EncodedBody>> | null): void => {
      if (html) sendEncoded(res, html[language(req.headers['accept-language'])], negotiate(req.headers['accept-encoding']), 200, req.method === 'HEAD');
      else if (!pages.ready()) notBuilt(res);
      else sendShell(req, res, 200);
    };
    const page = publicFeed.ready();
    if (page) send(page.html);
    else publicFeed.get().then((built) => send(built.html), next);
  });

  router.get('/robots.txt', (_req, res) => {
    res.set('Cache-Control', 'public, max-age=3600').type('text/plain').send(ROBOTS_TXT);
  });

  for (const asset of [pages.logo, pages.theme]) {
    if (!asset) continue;
    router.get(asset.url, (_req, res) => {
      res.set({ 'Content-Type': asset.type, 'Cache-Control': IMMUTABLE }).send(asset.bytes);
    });
  }

  // The build wrote brotli and gzip copies beside the bundle's files: send the one the browser takes best.
  router.use('/assets', (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    assets ??= precompressedAssets(root);
    const codings = assets.get(`/assets${req.path}`);
    if (!codings) return next();
    res.vary('Accept-Encoding');
    const coding = preferredEncoding(req.headers['accept-encoding']);
    if (coding === 'identity' || !codings.has(coding)) return next();
    res.set({ 'Content-Encoding': coding, 'Cache-Control': HASHED_ASSET.test(req.path) ? IMMUTABLE : 'no-cache' });
    res.type(path.extname(req.path));
    res.sendFile(path.join(root, 'assets', `${req.path}.${coding === 'br' ? 'br' : 'gz'}`), { cacheControl: false }, (error) => {
      if (error) next(error);
    });
  });
  router.use(
    '/assets',
    express.static(path.join(root, 'assets'), {
      index: false,
      fallthrough: true,
      setHeaders(res, file) {
        res.setHeader('Cache-Control', HASHED_ASSET.test(file) ? IMMUTABLE : 'no-cache');
      },
    }),
  );

  const sendShell = (req: Request, res: Response, status: number): void => {
    const speaking = language(req.headers['accept-language']);
    const page = status === 404 ? pages.notFound(speaking) : pages.shell(speaking);
    if (!page) return notBuilt(res);
    page.then(
      (body) => sendEncoded(res, body, negotiate(req.headers['accept-encoding']), status, req.method === 'HEAD'),
      (error: unknown) => {
        ctx.log.error('pages: encoding failed', error);
        res.status(500).end();
      },
    );
  };

  // The client's pages load the shell; any other address (favicon.ico, index.html, typos) is a 404 page.
  router.get(/^\/(?!api\/|media\/|socket\.io\/)/, (req, res) => {
    sendShell(req, res, isClientPath(req.path) ? 200 : 404);
  });
  return router;
}
