// Typed errors thrown by services and routes; server/http/error-handler.ts maps them to the contract.
import type { ErrorCode, FieldProblem } from '../shared/api';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/** 400: names the offending field so the client can point at it; `fields`, when known, lists every one. */
export class Invalid extends HttpError {
  constructor(
    field: string,
    message: string,
    readonly fields?: FieldProblem[],
  ) {
    super(400, 'invalid_input', message, field);
  }
}

export class Unauthorized extends HttpError {
  constructor(message = 'Sign in to do this: a valid bearer token is required.') {
    super(401, 'unauthorized', message);
  }
}

/** 403 is only for things the viewer can see but may not do; invisible things are NotFound. */
export class Forbidden extends HttpError {
  constructor(message: string) {
    super(403, 'forbidden', message);
  }
}

export class NotFound extends HttpError {
  constructor(what = 'resource') {
    super(404, 'not_found', `No such ${what}.`);
  }
}

export class Conflict extends HttpError {
  constructor(message: string, field?: string) {
    super(409, 'conflict', message, field);
  }
}

export class PayloadTooLarge extends HttpError {
  constructor(message: string) {
    super(413, 'payload_too_large', message);
  }
}

export class UnsupportedMediaType extends HttpError {
  constructor(message: string) {
    super(415, 'unsupported_media_type', message);
  }
}

export class RateLimited extends HttpError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(429, 'rate_limited', message);
  }
}
