import { ObjectId } from 'bson';
import { TypeBound, TypeClass } from '../bson-order';

/**
 * Index keys as strings of bytes (one-byte characters, 0-255) whose order is MongoDB's order of
 * the key tuples, directions applied, like mongod's KeyString. A B+tree key that is a primitive
 * string costs the garbage collector one leaf object and a seek one flat compare; a key held as
 * an array of values cost three objects per entry, and at a million likes the heap's marking
 * alone stalled the engine for seconds. Only the common types are encoded: null, numbers,
 * strings, ObjectId, booleans, dates and bound sentinels. A tuple holding anything else stays an
 * array of values (../indexes/btree-index.ts compares the two forms by value, in the same order).
 *
 * Layout per value: type class, then 1 and the payload (0 and 2 mark the min and max of a type
 * class). Every value's encoding is prefix-free, so concatenated tuples compare field by field.
 * A descending field's bytes are complemented (255 - b). A stored key ends with the record id in
 * RID_BYTES bytes; a seek key for the lowest entry of a tuple has no suffix, for the highest
 * RID_BYTES + 1 bytes of 255, so both bracket every stored entry of that tuple.
 */
export const RID_BYTES = 7;

const float = new DataView(new ArrayBuffer(8));

/**
 * Keys are written as bytes into one scratch buffer and turned into a string in one step: a key
 * built by concatenation is a rope that V8 flattens again on every compare, and keeps besides.
 */
let out = Buffer.allocUnsafeSlow(256);
let pos = 0;
let flip = 0;

function room(n: number): void {
  if (pos + n <= out.length) return;
  const bigger = Buffer.allocUnsafeSlow(Math.max(out.length * 2, pos + n));
  out.copy(bigger, 0, 0, pos);
  out = bigger;
}

function put(b: number): void {
  out[pos++] = b ^ flip;
}

function putNumber(n: number): void {
  // MongoDB sorts NaN below every number and -0 equal to 0.
  if (Number.isNaN(n)) {
    for (let i = 0; i < 8; i++) put(0);
    return;
  }
  float.setFloat64(0, n === 0 ? 0 : n);
  const hi = float.getUint32(0);
  const lo = float.getUint32(4);
  // Flip the sign bit of positives and every bit of negatives: unsigned byte order is then numeric order.
  const negative = hi >>> 31 === 1;
  const h = negative ? ~hi >>> 0 : (hi | 0x80000000) >>> 0;
  const l = negative ? ~lo >>> 0 : lo;
  put(h >>> 24);
  put((h >>> 16) & 0xff);
  put((h >>> 8) & 0xff);
  put(h & 0xff);
  put(l >>> 24);
  put((l >>> 16) & 0xff);
  put((l >>> 8) & 0xff);
  put(l & 0xff);
}

function decodeNumber(bytes: number[]): number {
  let h = ((bytes[0] << 24) | (bytes[1] << 16) | (bytes[2] << 8) | bytes[3]) >>> 0;
  let l = ((bytes[4] << 24) | (bytes[5] << 16) | (bytes[6] << 8) | bytes[7]) >>> 0;
  if (h === 0 && l === 0) return Number.NaN;
  if (h >>> 31 === 1) h = (h & 0x7fffffff) >>> 0;
  else {
    h = ~h >>> 0;
    l = ~l >>> 0;
  }
  float.setUint32(0, h);
  float.setUint32(4, l);
  return float.getFloat64(0);
}

/**
 * Each UTF-16 code unit as UTF-8 would write a code point (lone surrogates included), which keeps
 * the code-unit order JavaScript and ../bson-order.ts compare strings by. Bytes 0 and 1 are escaped
 * so that the terminator 0 sorts below every continuation.
 */
function putString(s: string): void {
  room(3 * s.length + 1);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 2) {
      put(1);
      put(c + 1);
    } else if (c < 0x80) {
      put(c);
    } else if (c < 0x800) {
      put(0xc0 | (c >> 6));
      put(0x80 | (c & 0x3f));
    } else {
      put(0xe0 | (c >> 12));
      put(0x80 | ((c >> 6) & 0x3f));
      put(0x80 | (c & 0x3f));
    }
  }
  put(0);
}

/** Writes one value (type class, marker, payload); false when its type is not encoded. */
function putValue(v: unknown): boolean {
  room(16);
  switch (typeof v) {
    case 'undefined':
      put(TypeClass.Null);
      put(1);
      return true;
    case 'number':
      put(TypeClass.Number);
      put(1);
      putNumber(v);
      return true;
    case 'string':
      put(TypeClass.String);
      put(1);
      putString(v);
      return true;
    case 'boolean':
      put(TypeClass.Boolean);
      put(1);
      put(v ? 1 : 0);
      return true;
    case 'object':
      if (v === null) {
        put(TypeClass.Null);
        put(1);
        return true;
      }
      if (v instanceof ObjectId) {
        put(TypeClass.ObjectId);
        put(1);
        const b = v.id;
        for (let i = 0; i < 12; i++) put(b[i]);
        return true;
      }
      if (v instanceof Date) {
        put(TypeClass.Date);
        put(1);
        putNumber(v.getTime());
        return true;
      }
      if (v instanceof TypeBound) {
        put(v.typeClass);
        put(v.isMax ? 2 : 0);
        return true;
      }
      return false;
    default:
      return false;
  }
}

/**
 * The tuple in index order (descending fields complemented), followed by the record id when one
 * is given (±Infinity: the seek keys below and above every entry of the tuple); undefined if a
 * value's type is not encoded.
 */
export function encodeKey(values: readonly unknown[], dirs: readonly number[], rid?: number): string | undefined {
  pos = 0;
  for (let i = 0; i < dirs.length; i++) {
    flip = dirs[i] < 0 ? 0xff : 0;
    if (!putValue(values[i])) return undefined;
  }
  flip = 0;
  room(RID_BYTES + 1);
  if (rid === Infinity) {
    for (let i = 0; i <= RID_BYTES; i++) put(0xff);
  } else if (rid !== undefined && rid !== -Infinity) {
    const hi = Math.floor(rid / 0x100000000);
    const lo = rid >>> 0;
    put((hi >>> 16) & 0xff);
    put((hi >>> 8) & 0xff);
    put(hi & 0xff);
    put(lo >>> 24);
    put((lo >>> 16) & 0xff);
    put((lo >>> 8) & 0xff);
    put(lo & 0xff);
  }
  return out.toString('latin1', 0, pos);
}

/** The record id at the end of a stored key string. */
export function ridOfKey(s: string): number {
  const at = s.length - RID_BYTES;
  const b = (i: number): number => s.charCodeAt(at + i);
  return ((b(0) << 16) | (b(1) << 8) | b(2)) * 0x100000000 + (((b(3) << 24) | (b(4) << 16) | (b(5) << 8) | b(6)) >>> 0);
}

/** Reads one key's bytes field by field, undoing the complement of descending fields. */
class KeyReader {
  pos = 0;
  private flip = 0;

  constructor(readonly s: string) {}

  field(dir: number): void {
    this.flip = dir < 0 ? 0xff : 0;
  }

  byte(): number {
    if (this.pos >= this.s.length) throw new Error('index key ends inside a value');
    return this.s.charCodeAt(this.pos++) ^ this.flip;
  }

  bytes(n: number): number[] {
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push(this.byte());
    return out;
  }

  value(): unknown {
    const typeClass = this.byte();
    const marker = this.byte();
    if (marker !== 1) return new TypeBound(typeClass, marker === 2);
    switch (typeClass) {
      case TypeClass.Null:
        return null;
      case TypeClass.Number:
        return decodeNumber(this.bytes(8));
      case TypeClass.String:
        return this.string();
      case TypeClass.ObjectId:
        return new ObjectId(Buffer.from(this.bytes(12)));
      case TypeClass.Boolean:
        return this.byte() === 1;
      case TypeClass.Date:
        return new Date(decodeNumber(this.bytes(8)));
      default:
        throw new Error(`index key holds type class ${typeClass}, which is never encoded`);
    }
  }

  private string(): string {
    let out = '';
    for (;;) {
      const b = this.byte();
      if (b === 0) return out;
      if (b === 1) out += this.byte() === 1 ? '\u0000' : '\u0001';
      else if (b < 0x80) out += String.fromCharCode(b);
      else if (b < 0xe0) out += String.fromCharCode(((b & 0x1f) << 6) | (this.byte() & 0x3f));
      else out += String.fromCharCode(((b & 0x0f) << 12) | ((this.byte() & 0x3f) << 6) | (this.byte() & 0x3f));
    }
  }
}

/** A key string back to its values and record id (±Infinity for seek keys); the inverse of encodeKey + ridSuffix. */
export function decodeKey(s: string, dirs: readonly number[]): { v: unknown[]; rid: number } {
  const reader = new KeyReader(s);
  const v: unknown[] = [];
  for (const dir of dirs) {
    reader.field(dir);
    v.push(reader.value());
  }
  const rest = s.length - reader.pos;
  if (rest === 0) return { v, rid: -Infinity };
  if (rest === RID_BYTES) return { v, rid: ridOfKey(s) };
  return { v, rid: Infinity };
}

/** Where field `k` of a key string starts (k = dirs.length: where the record id starts). */
export function fieldOffset(s: string, dirs: readonly number[], k: number): number {
  const reader = new KeyReader(s);
  for (let i = 0; i < k; i++) {
    reader.field(dirs[i]);
    reader.value();
  }
  return reader.pos;
}
