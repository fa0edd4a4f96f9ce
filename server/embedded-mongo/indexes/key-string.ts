import { ObjectId } from 'bson';
import { TypeBound, TypeClass } from '../bson-order';

/**
 * Index keys as strings whose code-unit order is MongoDB's order of the key tuples (directions
 * applied), like mongod's KeyString. A B+tree seek compares a search key with some twenty stored
 * keys; comparing each value by BSON rules chases several objects per value, a string compare is
 * one flat memory compare. Only the common types are encoded: null, numbers, strings, ObjectId,
 * booleans, dates and bound sentinels. A key holding anything else has no string and is compared
 * value by value, which gives the same order, so mixed trees stay consistent.
 *
 * Layout per value: type class, then 1 and the payload (0 and 2 mark the min and max of a type
 * class). Every value's encoding is prefix-free, so concatenated tuples compare field by field.
 */
const scratch = new DataView(new ArrayBuffer(8));

function numberPayload(n: number): string {
  // MongoDB sorts NaN below every number and -0 equal to 0.
  if (Number.isNaN(n)) return '\0\0\0\0\0\0\0\0';
  scratch.setFloat64(0, n === 0 ? 0 : n);
  const hi = scratch.getUint32(0);
  const lo = scratch.getUint32(4);
  // Flip the sign bit of positives and every bit of negatives: unsigned byte order is then numeric order.
  const negative = hi >>> 31 === 1;
  const h = negative ? ~hi >>> 0 : (hi | 0x80000000) >>> 0;
  const l = negative ? ~lo >>> 0 : lo;
  return String.fromCharCode(h >>> 24, (h >>> 16) & 0xff, (h >>> 8) & 0xff, h & 0xff, l >>> 24, (l >>> 16) & 0xff, (l >>> 8) & 0xff, l & 0xff);
}

function stringPayload(s: string): string {
  // Code units 0 and 1 are escaped so that the terminator 0 sorts below every continuation.
  let out = '';
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 2) {
      out += s.slice(start, i) + (c === 0 ? '\u0001\u0001' : '\u0001\u0002');
      start = i + 1;
    }
  }
  return (start === 0 ? s : out + s.slice(start)) + '\0';
}

function objectIdPayload(id: ObjectId): string {
  const b = id.id;
  return String.fromCharCode(b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11]);
}

const CLASS = {
  null: String.fromCharCode(TypeClass.Null) + '\u0001',
  number: String.fromCharCode(TypeClass.Number) + '\u0001',
  string: String.fromCharCode(TypeClass.String) + '\u0001',
  objectId: String.fromCharCode(TypeClass.ObjectId) + '\u0001',
  false: String.fromCharCode(TypeClass.Boolean) + '\u0001\u0000',
  true: String.fromCharCode(TypeClass.Boolean) + '\u0001\u0001',
  date: String.fromCharCode(TypeClass.Date) + '\u0001',
};

/** One value ascending, or undefined when its type is not encoded. */
export function encodeValue(v: unknown): string | undefined {
  switch (typeof v) {
    case 'undefined':
      return CLASS.null;
    case 'number':
      return CLASS.number + numberPayload(v);
    case 'string':
      return CLASS.string + stringPayload(v);
    case 'boolean':
      return v ? CLASS.true : CLASS.false;
    case 'object':
      if (v === null) return CLASS.null;
      if (v instanceof ObjectId) return CLASS.objectId + objectIdPayload(v);
      if (v instanceof Date) return CLASS.date + numberPayload(v.getTime());
      if (v instanceof TypeBound) return String.fromCharCode(v.typeClass) + (v.isMax ? '\u0002' : '\u0000');
      return undefined;
    default:
      return undefined;
  }
}

function complement(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += String.fromCharCode(0xffff - s.charCodeAt(i));
  return out;
}

/** The whole tuple in index order (descending fields complemented), or undefined if a value is not encoded. */
export function encodeKey(values: readonly unknown[], dirs: readonly number[]): string | undefined {
  let out = '';
  for (let i = 0; i < dirs.length; i++) {
    const e = encodeValue(values[i]);
    if (e === undefined) return undefined;
    out += dirs[i] < 0 ? complement(e) : e;
  }
  return out;
}
