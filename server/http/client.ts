// Serves the webpack bundle: hashed assets cached for a year, the HTML shell never cached.
import express, { Router } from 'express';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { AppContext } from '../context';

const HASHED_ASSET = /\.[0-9a-f]{8,}\.(js|css|woff2?|svg|png|webp)(\.map)?$/;

export function clientRouter(ctx: AppContext): Router {
  const router = Router();
  const root = ctx.config.clientDir;
  const shell = path.join(root, 'index.html');

  router.use(
    express.static(root, {
      index: false,
      setHeaders(res, file) {
        res.setHeader('Cache-Control', HASHED_ASSET.test(file) ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    }),
  );

  // Client-side routes all load the same shell.
  router.get(/^\/(?!api\/|media\/|socket\.io\/).*/, (_req, res) => {
    if (!existsSync(shell)) {
      res.status(503).type('text/plain').send('The client bundle has not been built yet: run `npm run build`.\n');
      return;
    }
    res.set('Cache-Control', 'no-cache');
    res.sendFile(shell);
  });
  return router;
}
