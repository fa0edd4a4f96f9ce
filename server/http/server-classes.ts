// Request and response classes for the forum's node:http server whose instances are born with the
// prototypes Express gives them. Express's app.handle switches the prototype of every request and response
// (Object.setPrototypeOf to app.request / app.response). In V8 that switch is expensive and makes much of what
// a request allocates survive young-generation collections (docs/performance.md has the figures); with
// requests born with those prototypes, Express's switch finds nothing to change. Express keeps working as
// documented; only where its prototypes live changes.
import http from 'node:http';
import type { Express } from 'express';

export type ServerClasses = Required<Pick<http.ServerOptions<typeof http.IncomingMessage, typeof http.ServerResponse>, 'IncomingMessage' | 'ServerResponse'>>;

/**
 * Makes `app.request` and `app.response` the prototypes of two classes and returns the classes, for
 * `http.createServer(options, app)`. Call once per app, before it serves.
 */
export function expressServerClasses(app: Express): ServerClasses {
  class ForumRequest extends http.IncomingMessage {}
  class ForumResponse extends http.ServerResponse {}
  adopt(ForumRequest.prototype, app.request);
  adopt(ForumResponse.prototype, app.response);
  app.request = ForumRequest.prototype as unknown as Express['request'];
  app.response = ForumResponse.prototype as unknown as Express['response'];
  return { IncomingMessage: ForumRequest, ServerResponse: ForumResponse as ServerClasses['ServerResponse'] };
}

/** Gives `target` what `source` has: its own properties (e.g. `app`) and its prototype (Express's methods). */
function adopt(target: object, source: object): void {
  Object.setPrototypeOf(target, Object.getPrototypeOf(source));
  for (const key of Reflect.ownKeys(source)) Object.defineProperty(target, key, Object.getOwnPropertyDescriptor(source, key)!);
}
