// Turns untrusted input into typed values or an Invalid error naming the field.
import { Types } from 'mongoose';
import { z } from 'zod';
import type { MessageValues } from '../../shared/i18n/translator';
import { Invalid, NotFound, type ErrorKey, type Missing, type Problem } from '../errors';

/**
 * A schema's own message for a problem: a key of the `errors` catalogue (a phrase like "must be at most
 * {max} characters") and its values, carried through zod as text until parseBody reads it back.
 */
export function problem(key: ErrorKey, values?: MessageValues): string {
  return values ? `${key}${JSON.stringify(values)}` : key;
}

/** The key and values problem() wrote, or null for any other text. */
export function problemOf(message: string): Problem | null {
  if (!message.startsWith('errors.')) return null;
  const brace = message.indexOf('{');
  if (brace < 0) return { key: message as ErrorKey };
  return { key: message.slice(0, brace) as ErrorKey, values: JSON.parse(message.slice(brace)) as MessageValues };
}

/** zod's own problems (a schema that gave no message of its own), by what went wrong. */
function builtinProblem(issue: z.core.$ZodIssue): Problem {
  switch (issue.code) {
    case 'invalid_type':
      return 'input' in issue ? { key: 'errors.field.wrongType', values: { expected: issue.expected } } : { key: 'errors.field.required' };
    case 'too_small':
      return { key: 'errors.field.tooSmall', values: { origin: issue.origin, limit: Number(issue.minimum) } };
    case 'too_big':
      return { key: 'errors.field.tooBig', values: { origin: issue.origin, limit: Number(issue.maximum) } };
    case 'invalid_value':
      return { key: 'errors.field.oneOf', values: { values: issue.values.map(String).join(', ') } };
    case 'unrecognized_keys':
      return { key: 'errors.field.unknownKeys', values: { keys: issue.keys.join(', ') } };
    default:
      return { key: 'errors.field.invalid' };
  }
}

/** Every invalid field is named at once (its first problem each), so a form can mark them all in one go. */
export function parseBody<T>(schema: z.ZodType<T>, input: unknown): T {
  const result = schema.safeParse(input ?? {}, { reportInput: true } as z.core.ParseContext<z.core.$ZodIssue>);
  if (result.success) return result.data;
  const fields = new Map<string, Problem>();
  for (const issue of result.error.issues) {
    const field = issue.path.length ? issue.path.join('.') : 'body';
    if (!fields.has(field)) fields.set(field, problemOf(issue.message) ?? builtinProblem(issue));
  }
  const [field, first] = fields.entries().next().value!;
  throw new Invalid(field, first.key, first.values, [...fields].map(([name, problem]) => ({ field: name, problem })));
}

export function isObjectIdHex(value: unknown): value is string {
  return typeof value === 'string' && /^[0-9a-f]{24}$/i.test(value);
}

/** A path id that is not an id names nothing, so it is a 404 like any other unknown id. */
export function parsePathId(value: unknown, what: Missing): Types.ObjectId {
  if (!isObjectIdHex(value)) throw new NotFound(what);
  return new Types.ObjectId(value);
}

/** A 24-hex id inside a request body. */
export const objectIdString = z.string().regex(/^[0-9a-fA-F]{24}$/, problem('errors.field.objectId'));
