// Turns untrusted input into typed values or an Invalid error naming the field.
import { Types } from 'mongoose';
import { z } from 'zod';
import { Invalid, NotFound } from '../errors';

/** `must be …` as a sentence on its own, for showing beside the field it belongs to. */
function sentence(message: string): string {
  const text = message.charAt(0).toUpperCase() + message.slice(1);
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

/** Every invalid field is named at once (its first problem each), so a form can mark them all in one go. */
export function parseBody<T>(schema: z.ZodType<T>, input: unknown): T {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const fields = new Map<string, string>();
  for (const issue of result.error.issues) {
    const field = issue.path.length ? issue.path.join('.') : 'body';
    if (!fields.has(field)) fields.set(field, issue.message);
  }
  const [field, message] = fields.entries().next().value!;
  throw new Invalid(field, `${field}: ${message}`, [...fields].map(([name, problem]) => ({ field: name, message: sentence(problem) })));
}

export function isObjectIdHex(value: unknown): value is string {
  return typeof value === 'string' && /^[0-9a-f]{24}$/i.test(value);
}

/** A path id that is not an id names nothing, so it is a 404 like any other unknown id. */
export function parsePathId(value: unknown, what: string): Types.ObjectId {
  if (!isObjectIdHex(value)) throw new NotFound(what);
  return new Types.ObjectId(value);
}

/** A 24-hex id inside a request body. */
export const objectIdString = z.string().regex(/^[0-9a-fA-F]{24}$/, 'must be a 24-character hex id');
