import { ObjectId } from 'bson';

/**
 * MongoDB's cross-type ordering: MinKey < null < numbers < strings < objects < arrays < binary
 * < ObjectId < boolean < Date < Timestamp < RegExp < MaxKey. Indexes, sorts and range bounds all use it.
 */
export const TypeClass = {
  MinKey: 1,
  Null: 2,
  Number: 3,
  String: 4,
  Object: 5,
  Array: 6,
  Binary: 7,
  ObjectId: 8,
  Boolean: 9,
  Date: 10,
  Timestamp: 11,
  RegExp: 12,
  Code: 13,
  MaxKey: 14,
} as const;

/** A sentinel below (or above) every value of one type class; used for range bounds and open ends. */
export class TypeBound {
  constructor(
    readonly typeClass: number,
    readonly isMax: boolean,
  ) {}
}

export const MIN_BOUND = new TypeBound(0, false);
export const MAX_BOUND = new TypeBound(100, true);

interface BsonTagged {
  _bsontype?: string;
}

export function typeClassOf(v: unknown): number {
  if (v === undefined || v === null) return TypeClass.Null;
  // instanceof before the `_bsontype` switch: that property load sees every value type the engine
  // compares and goes megamorphic, while these checks stay cheap (another bson copy's values fall through).
  if (v instanceof ObjectId) return TypeClass.ObjectId;
  if (v instanceof TypeBound) return v.typeClass;
  switch (typeof v) {
    case 'number':
    case 'bigint':
      return TypeClass.Number;
    case 'string':
      return TypeClass.String;
    case 'boolean':
      return TypeClass.Boolean;
    case 'object':
      break;
    default:
      return TypeClass.Object;
  }
  switch ((v as BsonTagged)._bsontype) {
    case undefined:
      if (Array.isArray(v)) return TypeClass.Array;
      if (v instanceof Date) return TypeClass.Date;
      if (v instanceof TypeBound) return v.typeClass;
      if (v instanceof RegExp) return TypeClass.RegExp;
      return TypeClass.Object;
    case 'ObjectId':
      return TypeClass.ObjectId;
    case 'Long':
    case 'Double':
    case 'Int32':
    case 'Decimal128':
      return TypeClass.Number;
    case 'Binary':
      return TypeClass.Binary;
    case 'Timestamp':
      return TypeClass.Timestamp;
    case 'BSONRegExp':
      return TypeClass.RegExp;
    case 'BSONSymbol':
      return TypeClass.String;
    case 'Code':
      return TypeClass.Code;
    case 'MinKey':
      return TypeClass.MinKey;
    case 'MaxKey':
      return TypeClass.MaxKey;
    default:
      return TypeClass.Object;
  }
}

function toNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  const tagged = v as BsonTagged & { toNumber?: () => number; valueOf(): unknown; toString(): string };
  switch (tagged._bsontype) {
    case 'Long':
      return tagged.toNumber!();
    case 'Decimal128':
      return Number.parseFloat(tagged.toString());
    default:
      return Number(tagged.valueOf());
  }
}

function compareNumbers(a: number, b: number): number {
  if (a < b) return -1;
  if (a > b) return 1;
  if (a === b) return 0;
  // MongoDB orders NaN below every other number.
  const an = Number.isNaN(a);
  const bn = Number.isNaN(b);
  return an === bn ? 0 : an ? -1 : 1;
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  }
  return a.length - b.length;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function stringOf(v: unknown): string {
  return typeof v === 'string' ? v : String((v as { value?: string }).value ?? v);
}

/** Total order over BSON values following MongoDB's comparison rules (no collation). */
export function compareBson(a: unknown, b: unknown): number {
  // Fast paths for the types index keys hold most of the time. They test with instanceof rather than
  // `_bsontype`: that getter is read on every kind of value and its load site goes megamorphic.
  const ta = typeof a;
  if (ta === typeof b) {
    if (ta === 'number') return compareNumbers(a as number, b as number);
    if (ta === 'string') return compareStrings(a as string, b as string);
    if (ta === 'object') {
      if (a instanceof ObjectId) {
        if (b instanceof ObjectId) return compareObjectIds(a.id, b.id);
      } else if (a === null) {
        if (b === null) return 0;
      } else if (a instanceof Date && b instanceof Date) {
        return compareNumbers(a.getTime(), b.getTime());
      }
    }
  }
  return compareGeneral(a, b);
}

/** Big-endian unsigned 32-bit word at `i`: three word compares instead of up to twelve byte compares. */
function word(x: Uint8Array, i: number): number {
  return ((x[i] << 24) | (x[i + 1] << 16) | (x[i + 2] << 8) | x[i + 3]) >>> 0;
}

function compareObjectIds(x: Uint8Array, y: Uint8Array): number {
  for (let i = 0; i < 12; i += 4) {
    const a = word(x, i);
    const b = word(y, i);
    if (a !== b) return a < b ? -1 : 1;
  }
  return 0;
}

function compareGeneral(a: unknown, b: unknown): number {
  const ca = typeClassOf(a);
  const cb = typeClassOf(b);
  if (ca !== cb) return ca < cb ? -1 : 1;
  const aBound = a instanceof TypeBound;
  const bBound = b instanceof TypeBound;
  if (aBound || bBound) {
    if (aBound && bBound) return a.isMax === b.isMax ? 0 : a.isMax ? 1 : -1;
    if (aBound) return a.isMax ? 1 : -1;
    return (b as TypeBound).isMax ? -1 : 1;
  }
  switch (ca) {
    case TypeClass.Null:
    case TypeClass.MinKey:
    case TypeClass.MaxKey:
      return 0;
    case TypeClass.Number:
      if (typeof a === 'number' && typeof b === 'number') return compareNumbers(a, b);
      return compareNumbers(toNumber(a), toNumber(b));
    case TypeClass.String:
      if (typeof a === 'string' && typeof b === 'string') return compareStrings(a, b);
      return compareStrings(stringOf(a), stringOf(b));
    case TypeClass.Object:
      return compareObjects(a as Record<string, unknown>, b as Record<string, unknown>);
    case TypeClass.Array: {
      const x = a as unknown[];
      const y = b as unknown[];
      const n = Math.min(x.length, y.length);
      for (let i = 0; i < n; i++) {
        const c = compareBson(x[i], y[i]);
        if (c !== 0) return c;
      }
      return x.length - y.length;
    }
    case TypeClass.Binary: {
      const x = a as { buffer: Uint8Array; position: number; sub_type: number };
      const y = b as { buffer: Uint8Array; position: number; sub_type: number };
      if (x.position !== y.position) return x.position < y.position ? -1 : 1;
      if (x.sub_type !== y.sub_type) return x.sub_type < y.sub_type ? -1 : 1;
      return compareBytes(x.buffer.subarray(0, x.position), y.buffer.subarray(0, y.position));
    }
    case TypeClass.ObjectId:
      return compareObjectIds((a as ObjectId).id, (b as ObjectId).id);
    case TypeClass.Boolean:
      return a === b ? 0 : a ? 1 : -1;
    case TypeClass.Date:
      return compareNumbers((a as Date).getTime(), (b as Date).getTime());
    case TypeClass.Timestamp: {
      const x = a as { t: number; i: number };
      const y = b as { t: number; i: number };
      return x.t !== y.t ? (x.t < y.t ? -1 : 1) : x.i !== y.i ? (x.i < y.i ? -1 : 1) : 0;
    }
    case TypeClass.RegExp: {
      const x = a as { source?: string; pattern?: string; flags?: string; options?: string };
      const y = b as { source?: string; pattern?: string; flags?: string; options?: string };
      return (
        compareStrings(x.source ?? x.pattern ?? '', y.source ?? y.pattern ?? '') ||
        compareStrings(x.flags ?? x.options ?? '', y.flags ?? y.options ?? '')
      );
    }
    default:
      return compareStrings(String(a), String(b));
  }
}

function compareObjects(a: Record<string, unknown>, b: Record<string, unknown>): number {
  const ak = Object.keys(a);
  const bk = Object.keys(b);
  const n = Math.min(ak.length, bk.length);
  for (let i = 0; i < n; i++) {
    const av = a[ak[i]];
    const bv = b[bk[i]];
    const tc = typeClassOf(av) - typeClassOf(bv);
    if (tc !== 0) return tc < 0 ? -1 : 1;
    const kc = compareStrings(ak[i], bk[i]);
    if (kc !== 0) return kc;
    const vc = compareBson(av, bv);
    if (vc !== 0) return vc;
  }
  return ak.length - bk.length;
}
