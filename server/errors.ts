// Typed errors thrown by services and routes; server/http/error-handler.ts maps them to the contract.
// An error carries a key of the `errors` catalogue (shared/i18n/messages/<language>/errors.json) and its
// values, not words: the handler writes the message in the reader's language. `error.message` is the
// English text, for logs and for code that only inspects errors.
import type { ErrorCode, FieldProblem } from '../shared/api';
import type { MessageKey } from '../shared/i18n/catalogues';
import { translatorFor } from '../shared/i18n/server-catalogues';
import type { MessageValues, Translator } from '../shared/i18n/translator';

export type ErrorKey = Extract<MessageKey, `errors.${string}`>;
/** What a NotFound may name: each has its own sentence ("No such group."), since languages inflect the noun. */
export type Missing = MessageKey extends infer K ? (K extends `errors.notFound.${infer Thing}` ? Thing : never) : never;

/** A message to be written in some language: a catalogue key and the values it takes. */
export interface Problem {
  readonly key: ErrorKey;
  readonly values?: MessageValues;
}

/** One invalid field of a form, as Invalid keeps it until a language is known. */
export interface FieldIssue {
  readonly field: string;
  readonly problem: Problem;
}

const english = translatorFor('en');

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    readonly problem: Problem,
    readonly field?: string,
  ) {
    super(english.t(problem.key, problem.values));
  }

  /** The message in the translator's language. */
  messageIn(t: Translator): string {
    return t.t(this.problem.key, this.problem.values);
  }
}

/** `must be …` as a sentence on its own, for showing beside the field it belongs to. */
function sentence(text: string): string {
  const capitalised = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?؟]$/.test(capitalised) ? capitalised : `${capitalised}.`;
}

/**
 * 400: names the offending field so the client can point at it ("field: problem"); `fields`, when known,
 * lists every invalid field with its problem as a sentence. A problem is a phrase ("must be at most …").
 */
export class Invalid extends HttpError {
  readonly fieldProblem: Problem;
  private readonly issues?: readonly FieldIssue[];

  constructor(field: string, key: ErrorKey, values?: MessageValues, fields?: readonly FieldIssue[]) {
    const problem = english.t(key, values);
    super(400, 'invalid_input', { key: 'errors.invalid.field', values: { field, problem } }, field);
    this.fieldProblem = { key, values };
    this.issues = fields;
  }

  override messageIn(t: Translator): string {
    return t.t('errors.invalid.field', { field: this.field, problem: t.t(this.fieldProblem.key, this.fieldProblem.values) });
  }

  /** Every invalid field with its problem in the translator's language. */
  fieldsIn(t: Translator): FieldProblem[] | undefined {
    return this.issues?.map(({ field, problem }) => ({ field, message: sentence(t.t(problem.key, problem.values)) }));
  }
}

export class Unauthorized extends HttpError {
  constructor(key: ErrorKey = 'errors.unauthorized.token') {
    super(401, 'unauthorized', { key });
  }
}

/** 403 is only for things the viewer can see but may not do; invisible things are NotFound. */
export class Forbidden extends HttpError {
  constructor(key: ErrorKey, values?: MessageValues) {
    super(403, 'forbidden', { key, values });
  }
}

export class NotFound extends HttpError {
  constructor(what: Missing = 'resource', values?: MessageValues) {
    super(404, 'not_found', { key: `errors.notFound.${what}`, values });
  }
}

export class Conflict extends HttpError {
  constructor(key: ErrorKey, field?: string) {
    super(409, 'conflict', { key }, field);
  }
}

export class PayloadTooLarge extends HttpError {
  constructor(key: ErrorKey, values?: MessageValues) {
    super(413, 'payload_too_large', { key, values });
  }
}

export class UnsupportedMediaType extends HttpError {
  constructor(key: ErrorKey) {
    super(415, 'unsupported_media_type', { key });
  }
}

/** 429: what was refused, then when to try again (the same wait Retry-After announces). */
export class RateLimited extends HttpError {
  private readonly refused: ErrorKey;

  constructor(
    key: ErrorKey,
    readonly retryAfterSeconds: number,
  ) {
    super(429, 'rate_limited', { key: 'errors.rateLimited.tryAgain', values: { refused: english.t(key), ...waitOf(retryAfterSeconds) } });
    this.refused = key;
  }

  override messageIn(t: Translator): string {
    return t.t('errors.rateLimited.tryAgain', { refused: t.t(this.refused), ...waitOf(this.retryAfterSeconds) });
  }
}

/** Seconds under two minutes, whole minutes (rounded up) beyond. */
function waitOf(seconds: number): { unit: 'seconds' | 'minutes'; count: number } {
  return seconds < 120 ? { unit: 'seconds', count: seconds } : { unit: 'minutes', count: Math.ceil(seconds / 60) };
}
