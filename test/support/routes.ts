// The app's routes, found from its router stack, so tests that must cover every route notice new ones.
import type { Express } from 'express';
import type supertest from 'supertest';

export interface Endpoint {
  method: string;
  /** Express path pattern, e.g. `/api/users/:id`; regular-expression routes get sample paths. */
  path: string;
}

interface StackLayer {
  route?: { path: string | RegExp | Array<string | RegExp>; methods: Record<string, boolean> };
  handle?: { stack?: StackLayer[] };
  rawPath?: string | RegExp | Array<string | RegExp>;
}

const REGEXP_SAMPLES = ['/', '/groups/some-page', '/parental-consent'];

function patternsOf(path: string | RegExp | Array<string | RegExp> | undefined): string[] {
  if (path === undefined) return [''];
  if (Array.isArray(path)) return path.flatMap(patternsOf);
  if (path instanceof RegExp) return REGEXP_SAMPLES;
  return [path === '/' ? '' : path];
}

export function discoverEndpoints(stack: StackLayer[], prefix = ''): Endpoint[] {
  const found: Endpoint[] = [];
  for (const layer of stack) {
    if (layer.route) {
      const methods = Object.keys(layer.route.methods).filter((method) => method !== '_all');
      for (const pattern of patternsOf(layer.route.path)) {
        for (const method of methods) found.push({ method: method.toUpperCase(), path: `${prefix}${pattern}` || '/' });
      }
    } else if (layer.handle?.stack) {
      for (const pattern of patternsOf(layer.rawPath)) found.push(...discoverEndpoints(layer.handle.stack, `${prefix}${pattern}`));
    }
  }
  return found;
}

/** A well-formed id that names nothing, for every `:param` of a discovered path. */
const SOME_ID = '0123456789abcdef01234567';

/** Calls a discovered endpoint as a sweep over every route does: ids that name nothing, an empty body. */
export function callEndpoint(http: ReturnType<typeof supertest>, endpoint: Endpoint, headers: Record<string, string> = {}): supertest.Test {
  const request = http[endpoint.method.toLowerCase() as 'get'](endpoint.path.replace(/:[A-Za-z]+/g, SOME_ID)).set(headers);
  return endpoint.method === 'GET' ? request : request.send({});
}

export function routerStack(app: Express): StackLayer[] {
  return (app.router as unknown as { stack: StackLayer[] }).stack;
}
