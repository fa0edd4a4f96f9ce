import { compareBson } from '../bson-order';
import { isPlainObject, type Document } from '../documents';
import { CommandError, ErrorCode } from '../errors';

/**
 * `$jsonSchema` as mongod implements it (draft 4 with `bsonType`, no `$ref` or `format`): each
 * keyword only constrains values of the type it is about (`minimum` numbers, `properties` objects,
 * ...), and a failure is described as mongod's `schemaRulesNotSatisfied` entries are.
 */
export interface SchemaCheck {
  title?: string;
  description?: string;
  /** The rules `value` breaks at this level of the schema; empty when it satisfies them all. */
  explain(value: unknown): Document[];
}

type Rule = (value: unknown) => Document | null;

/** The BSON type name mongod reports for a value (`consideredType`). */
export function bsonTypeName(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) && Math.abs(v) < 2 ** 31 ? 'int' : 'double';
  if (v instanceof Date) return 'date';
  if (v instanceof RegExp) return 'regex';
  if (Array.isArray(v)) return 'array';
  const bsontype = (v as { _bsontype?: string })._bsontype;
  switch (bsontype) {
    case 'ObjectId':
    case 'ObjectID':
      return 'objectId';
    case 'Long':
      return 'long';
    case 'Double':
      return 'double';
    case 'Int32':
      return 'int';
    case 'Decimal128':
      return 'decimal';
    case 'Binary':
      return 'binData';
    case 'Timestamp':
      return 'timestamp';
    case 'BSONRegExp':
      return 'regex';
    case 'MinKey':
      return 'minKey';
    case 'MaxKey':
      return 'maxKey';
    case 'Code':
      return 'javascript';
    default:
      return 'object';
  }
}

const BSON_TYPES = new Set(['double', 'string', 'object', 'array', 'binData', 'objectId', 'bool', 'date', 'null', 'regex', 'javascript', 'int', 'timestamp', 'long', 'decimal', 'minKey', 'maxKey', 'number', 'undefined', 'dbPointer', 'symbol', 'javascriptWithScope']);
const JSON_TYPES = new Set(['object', 'array', 'string', 'number', 'boolean', 'null']);
const NUMBER_TYPES = new Set(['int', 'long', 'double', 'decimal']);
/** Keywords mongod accepts that this engine does not check: refused rather than ignored. */
const NOT_IMPLEMENTED = new Set(['patternProperties', 'dependencies', 'additionalItems', 'encrypt', 'encryptMetadata']);

function parseError(message: string): CommandError {
  return new CommandError(ErrorCode.FailedToParse, message);
}

function isNumber(v: unknown): boolean {
  return NUMBER_TYPES.has(bsonTypeName(v));
}

/** The BSON type names a value answers to; promoted numbers are stored as JS numbers, so an integral one is also a double. */
function typeMatches(v: unknown, wanted: string): boolean {
  const actual = bsonTypeName(v);
  if (wanted === 'number') return NUMBER_TYPES.has(actual);
  if (wanted === 'double') return actual === 'double' || typeof v === 'number';
  return actual === wanted;
}

function jsonTypeMatches(v: unknown, wanted: string): boolean {
  switch (wanted) {
    case 'number':
      return isNumber(v);
    case 'boolean':
      return typeof v === 'boolean';
    default:
      return typeMatches(v, wanted);
  }
}

function typeNames(keyword: string, raw: unknown, known: Set<string>): string[] {
  const names = Array.isArray(raw) ? raw : [raw];
  if (names.length === 0 || !names.every((n) => typeof n === 'string')) throw parseError(`$jsonSchema keyword '${keyword}' must be a string or an array of strings`);
  for (const n of names as string[]) {
    if (!known.has(n)) throw parseError(n === 'integer' ? `$jsonSchema type '${n}' is not currently supported.` : `Unknown type name alias: ${n}`);
  }
  return names as string[];
}

function numberArg(schema: Document, keyword: string): number {
  const v = schema[keyword];
  if (!isNumber(v)) throw parseError(`$jsonSchema keyword '${keyword}' must be a number`);
  return Number(v);
}

function countArg(schema: Document, keyword: string): number {
  const n = numberArg(schema, keyword);
  if (!Number.isInteger(n) || n < 0) throw parseError(`$jsonSchema keyword '${keyword}' must be a non-negative integer`);
  return n;
}

function subSchemas(schema: Document, keyword: string): SchemaCheck[] {
  const list = schema[keyword];
  if (!Array.isArray(list) || list.length === 0) throw parseError(`$jsonSchema keyword '${keyword}' must be a non-empty array`);
  return list.map(compileSchema);
}

export function compileSchema(raw: unknown): SchemaCheck {
  if (!isPlainObject(raw)) throw new CommandError(ErrorCode.TypeMismatch, '$jsonSchema must be an object');
  const schema = raw;
  const rules: Rule[] = [];
  const specified = (keyword: string): Document => ({ [keyword]: schema[keyword] });
  for (const keyword of Object.keys(schema)) {
    if (NOT_IMPLEMENTED.has(keyword)) throw new CommandError(ErrorCode.NotImplemented, `$jsonSchema keyword '${keyword}' is not supported by the embedded engine`);
    const arg = schema[keyword];
    switch (keyword) {
      case 'title':
      case 'description':
        if (typeof arg !== 'string') throw parseError(`$jsonSchema keyword '${keyword}' must be a string`);
        break;
      case 'bsonType':
      case 'type': {
        if (keyword === 'type' && schema.bsonType !== undefined) throw parseError("Cannot specify both $jsonSchema keywords 'type' and 'bsonType'");
        const names = typeNames(keyword, arg, keyword === 'type' ? JSON_TYPES : BSON_TYPES);
        const test = keyword === 'type' ? jsonTypeMatches : typeMatches;
        rules.push((v) => (names.some((n) => test(v, n)) ? null : { operatorName: keyword, specifiedAs: specified(keyword), reason: 'type did not match', consideredValue: v, consideredType: bsonTypeName(v) }));
        break;
      }
      case 'enum': {
        if (!Array.isArray(arg) || arg.length === 0) throw parseError("$jsonSchema keyword 'enum' must be a non-empty array");
        rules.push((v) => (arg.some((e) => compareBson(e, v) === 0) ? null : { operatorName: 'enum', specifiedAs: specified('enum'), reason: 'value was not found in enum', consideredValue: v }));
        break;
      }
      case 'minimum':
      case 'maximum': {
        const bound = numberArg(schema, keyword);
        const exclusiveKey = keyword === 'minimum' ? 'exclusiveMinimum' : 'exclusiveMaximum';
        const exclusive = schema[exclusiveKey] === true;
        const as = exclusive ? { [keyword]: arg, [exclusiveKey]: true } : specified(keyword);
        rules.push((v) => {
          if (!isNumber(v)) return null;
          const n = Number(v);
          const ok = keyword === 'minimum' ? (exclusive ? n > bound : n >= bound) : exclusive ? n < bound : n <= bound;
          return ok ? null : { operatorName: keyword, specifiedAs: as, reason: 'comparison failed', consideredValue: v };
        });
        break;
      }
      case 'exclusiveMinimum':
      case 'exclusiveMaximum':
        if (typeof arg !== 'boolean') throw parseError(`$jsonSchema keyword '${keyword}' must be a boolean`);
        if (schema[keyword === 'exclusiveMinimum' ? 'minimum' : 'maximum'] === undefined) throw parseError(`$jsonSchema keyword '${keyword}' must be a present if ${keyword === 'exclusiveMinimum' ? 'minimum' : 'maximum'} is present`);
        break;
      case 'minLength':
      case 'maxLength': {
        const n = countArg(schema, keyword);
        rules.push((v) => {
          if (typeof v !== 'string') return null;
          const len = [...v].length;
          const ok = keyword === 'minLength' ? len >= n : len <= n;
          return ok ? null : { operatorName: keyword, specifiedAs: specified(keyword), reason: 'specified string length was not satisfied', consideredValue: v };
        });
        break;
      }
      case 'pattern': {
        if (typeof arg !== 'string') throw parseError("$jsonSchema keyword 'pattern' must be a string");
        let re: RegExp;
        try {
          re = new RegExp(arg, 'u');
        } catch (err) {
          throw parseError(`$jsonSchema keyword 'pattern' is not a valid regular expression: ${(err as Error).message}`);
        }
        rules.push((v) => (typeof v !== 'string' || re.test(v) ? null : { operatorName: 'pattern', specifiedAs: specified('pattern'), reason: 'regular expression did not match', consideredValue: v }));
        break;
      }
      case 'required': {
        if (!Array.isArray(arg) || arg.length === 0 || !arg.every((f) => typeof f === 'string') || new Set(arg).size !== arg.length) {
          throw parseError("$jsonSchema keyword 'required' must be a non-empty array of unique strings");
        }
        rules.push((v) => {
          if (!isPlainObject(v)) return null;
          const missing = (arg as string[]).filter((f) => v[f] === undefined);
          return missing.length === 0 ? null : { operatorName: 'required', specifiedAs: specified('required'), missingProperties: missing };
        });
        break;
      }
      case 'properties': {
        if (!isPlainObject(arg)) throw parseError("$jsonSchema keyword 'properties' must be an object");
        const props = Object.entries(arg).map(([name, sub]) => [name, compileSchema(sub)] as const);
        rules.push((v) => {
          if (!isPlainObject(v)) return null;
          const propertiesNotSatisfied: Document[] = [];
          for (const [name, sub] of props) {
            if (v[name] === undefined) continue;
            const details = sub.explain(v[name]);
            if (details.length > 0) propertiesNotSatisfied.push({ propertyName: name, ...(sub.description !== undefined ? { description: sub.description } : {}), details });
          }
          return propertiesNotSatisfied.length === 0 ? null : { operatorName: 'properties', propertiesNotSatisfied };
        });
        break;
      }
      case 'additionalProperties': {
        if (typeof arg !== 'boolean' && !isPlainObject(arg)) throw parseError("$jsonSchema keyword 'additionalProperties' must be either an object or a boolean");
        const declared = new Set(isPlainObject(schema.properties) ? Object.keys(schema.properties) : []);
        const sub = isPlainObject(arg) ? compileSchema(arg) : null;
        if (arg === true) break;
        rules.push((v) => {
          if (!isPlainObject(v)) return null;
          const extra = Object.keys(v).filter((k) => !declared.has(k) && v[k] !== undefined);
          if (!sub) return extra.length === 0 ? null : { operatorName: 'additionalProperties', specifiedAs: specified('additionalProperties'), additionalProperties: extra };
          for (const name of extra) {
            const details = sub.explain(v[name]);
            if (details.length > 0) return { operatorName: 'additionalProperties', reason: 'at least one additional property did not match the subschema', failingProperty: name, details };
          }
          return null;
        });
        break;
      }
      case 'minProperties':
      case 'maxProperties': {
        const n = countArg(schema, keyword);
        rules.push((v) => {
          if (!isPlainObject(v)) return null;
          const count = Object.keys(v).filter((k) => v[k] !== undefined).length;
          const ok = keyword === 'minProperties' ? count >= n : count <= n;
          return ok ? null : { operatorName: keyword, specifiedAs: specified(keyword), reason: 'specified number of properties was not satisfied', numberOfProperties: count };
        });
        break;
      }
      case 'items': {
        if (Array.isArray(arg)) throw new CommandError(ErrorCode.NotImplemented, "$jsonSchema keyword 'items' as an array of schemas is not supported by the embedded engine");
        const sub = compileSchema(arg);
        rules.push((v) => {
          if (!Array.isArray(v)) return null;
          for (let i = 0; i < v.length; i++) {
            const details = sub.explain(v[i]);
            if (details.length > 0) return { operatorName: 'items', reason: 'At least one item did not match the sub-schema', itemIndex: i, details };
          }
          return null;
        });
        break;
      }
      case 'minItems':
      case 'maxItems': {
        const n = countArg(schema, keyword);
        rules.push((v) => {
          if (!Array.isArray(v)) return null;
          const ok = keyword === 'minItems' ? v.length >= n : v.length <= n;
          return ok ? null : { operatorName: keyword, specifiedAs: specified(keyword), reason: 'array did not match specified length', consideredValue: v };
        });
        break;
      }
      case 'uniqueItems': {
        if (typeof arg !== 'boolean') throw parseError("$jsonSchema keyword 'uniqueItems' must be a boolean");
        if (!arg) break;
        rules.push((v) => {
          if (!Array.isArray(v)) return null;
          const dup = v.find((x, i) => v.findIndex((y) => compareBson(x, y) === 0) !== i);
          return dup === undefined ? null : { operatorName: 'uniqueItems', specifiedAs: specified('uniqueItems'), reason: 'found a duplicate item', consideredValue: v, duplicatedValue: dup };
        });
        break;
      }
      case 'allOf':
      case 'anyOf':
      case 'oneOf': {
        const subs = subSchemas(schema, keyword);
        rules.push((v) => {
          const results = subs.map((s) => s.explain(v));
          const failed = results.map((details, index) => ({ index, details })).filter((r) => r.details.length > 0);
          const passed = results.length - failed.length;
          if (keyword === 'allOf' ? failed.length === 0 : keyword === 'anyOf' ? passed > 0 : passed === 1) return null;
          if (keyword === 'oneOf' && passed > 1) {
            return { operatorName: 'oneOf', specifiedAs: specified('oneOf'), reason: 'more than one subschema matched', matchingSchemaIndexes: results.flatMap((r, i) => (r.length === 0 ? [i] : [])) };
          }
          return { operatorName: keyword, schemasNotSatisfied: failed };
        });
        break;
      }
      case 'not': {
        const sub = compileSchema(arg);
        rules.push((v) => (sub.explain(v).length > 0 ? null : { operatorName: 'not', specifiedAs: specified('not'), reason: 'child schema matched' }));
        break;
      }
      default:
        throw parseError(`Unknown $jsonSchema keyword: ${keyword}`);
    }
  }
  return {
    title: schema.title as string | undefined,
    description: schema.description as string | undefined,
    explain: (value) => {
      const out: Document[] = [];
      for (const rule of rules) {
        const r = rule(value);
        if (r) out.push(r);
      }
      return out;
    },
  };
}
