import type { ConnectionAuth } from '../auth';
import type { Engine } from '../engine';
import { isPlainObject, type Document } from '../documents';
import { badValue, CommandError, ErrorCode, typeMismatch } from '../errors';
import { validateCollectionName } from '../catalog/catalog';

export interface CommandContext {
  engine: Engine;
  db: string;
  body: Document;
  connectionId: number;
  remoteAddress: string;
  /** Null when the engine runs without users (no authentication). */
  auth: ConnectionAuth | null;
}

export type CommandHandler = (ctx: CommandContext) => Document | Promise<Document>;

/** The collection a command names in its first field, validated. */
export function collectionArg(body: Document, command: string): string {
  const name = body[command];
  if (typeof name !== 'string') throw typeMismatch(`collection name has invalid type ${name === null ? 'null' : typeof name}`);
  return validateCollectionName(name);
}

export function docArg(body: Document, field: string): Document | undefined {
  const v = body[field];
  if (v === undefined || v === null) return undefined;
  if (!isPlainObject(v)) throw typeMismatch(`BSON field '${field}' is the wrong type '${Array.isArray(v) ? 'array' : typeof v}', expected type 'object'`);
  return v;
}

export function arrayArg(body: Document, field: string): unknown[] {
  const v = body[field];
  if (!Array.isArray(v)) throw typeMismatch(`BSON field '${field}' is missing or is not an array`);
  return v;
}

export function intArg(body: Document, field: string): number | undefined {
  const v = body[field];
  if (v === undefined || v === null) return undefined;
  const n = typeof v === 'number' ? v : typeof v === 'object' && v !== null && 'toNumber' in v ? (v as { toNumber(): number }).toNumber() : NaN;
  if (!Number.isFinite(n)) throw typeMismatch(`BSON field '${field}' must be a number`);
  return Math.trunc(n);
}

export function nonNegativeIntArg(body: Document, field: string): number | undefined {
  const n = intArg(body, field);
  if (n !== undefined && n < 0) throw badValue(`${field} value must be non-negative, but received: ${n}`);
  return n;
}

export function namespaceNotFound(db: string, coll: string): CommandError {
  return new CommandError(ErrorCode.NamespaceNotFound, `ns does not exist: ${db}.${coll}`);
}
