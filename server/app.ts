// Builds the Express app without listening, so tests can mount it with supertest.
import express, { type Express } from 'express';
import type { AppContext } from './context';
import { accountsRouter } from './http/accounts';
import { adminRouter } from './http/admin';
import { adminConsoleRouter } from './http/admin-console';
import { createAuth } from './http/auth';
import { clientRouter } from './http/client';
import { apiNotFound, createErrorHandler } from './http/error-handler';
import { feedsRouter } from './http/feeds';
import { groupsRouter } from './http/groups';
import { healthRouter } from './http/health';
import { mediaRouter } from './http/media';
import { meRouter } from './http/me';
import { moderationRouter } from './http/moderation';
import { postsRouter } from './http/posts';
import { privacyRouter } from './http/privacy';
import { securityHeaders } from './http/security-headers';
import { userContentRouter } from './http/user-content';
import { usersRouter } from './http/users';
import { searchRouter } from './http/search';
import { notificationsRouter } from './http/notifications';
import { installModeration } from './services/moderation';
import { PublicFeedCache } from './services/public-feed-cache';
import { VisitorPages } from './http/pages';

/** JSON bodies are small by design; images arrive as multipart and have their own limits. */
const JSON_BODY_LIMIT = '256kb';

/** The homepage's parts, shared by the app and the server's fast path for `GET /` (server/http/homepage-first.ts). */
export interface Homepage {
  pages: VisitorPages;
  /** The public feed as JSON and as the server-rendered homepage, from one read. */
  publicFeed: PublicFeedCache;
}

export function createHomepage(ctx: AppContext): Homepage {
  const pages = new VisitorPages(ctx);
  return { pages, publicFeed: new PublicFeedCache(ctx, (feed, json, language) => pages.renderHomepage(feed, json, language)) };
}

export function createApp(ctx: AppContext, homepage: Homepage = createHomepage(ctx)): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', ctx.config.trustProxy);
  app.set('etag', false);
  app.use(securityHeaders);

  installModeration(ctx);
  const auth = createAuth();
  const api = express.Router();
  api.use(express.json({ limit: JSON_BODY_LIMIT }));
  api.use(healthRouter(ctx));
  // Early: the homepage and home feed are the hottest routes, and routers are tried in order.
  api.use(feedsRouter(ctx, auth, homepage.publicFeed));
  // Then the groups' feeds, read next most: matching a request against the 45 routes of the routers below
  // was a tenth of a group feed request (docs/performance.md, issue 23). None of them has a /groups path.
  api.use(groupsRouter(ctx, auth));
  api.use(accountsRouter(ctx, auth));
  api.use(meRouter(ctx, auth));
  api.use(privacyRouter(ctx, auth));
  api.use(usersRouter(ctx, auth));
  api.use(adminRouter(ctx, auth));
  api.use(adminConsoleRouter(ctx, auth));
  api.use(postsRouter(ctx, auth));
  api.use(userContentRouter(ctx, auth));
  api.use(moderationRouter(ctx, auth));
  api.use(searchRouter(ctx, auth));
  api.use(notificationsRouter(ctx, auth));
  api.use(apiNotFound);

  app.use('/api', api);
  app.use('/media', mediaRouter(ctx));
  app.use(clientRouter(ctx, homepage.pages, homepage.publicFeed));
  app.use(createErrorHandler(ctx.log));
  return app;
}
