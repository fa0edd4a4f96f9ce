// Text index specifications as MongoDB normalises them: `{title: 'text', body: 'text', groupId: 1}` becomes
// key `{_fts: 'text', _ftsx: 1, groupId: 1}` with `weights: {title: 1, body: 1}`, a default language and the
// name of the field that overrides it per document.
import { isPlainObject, type Document } from '../documents';
import { CommandError, ErrorCode } from '../errors';
import { requireLanguage } from './languages';

export const TEXT_INDEX_VERSION = 3;
/** MongoDB's bounds on a field's weight. */
const MAX_WEIGHT = 100_000;

/** The text-specific options of an index spec (absent on B+tree indexes). */
export interface TextIndexOptions {
  weights?: Document;
  default_language?: string;
  language_override?: string;
  textIndexVersion?: number;
}

export function isTextKeyPattern(key: unknown): boolean {
  return isPlainObject(key) && Object.values(key).some((v) => v === 'text') || (isPlainObject(key) && '_fts' in key);
}

/** The key, weights and language options of a createIndexes entry whose key holds `"text"`. */
export function normaliseTextOptions(raw: Document, key: Document): { key: Document; options: Required<TextIndexOptions> } {
  const weights: Document = {};
  const suffix: Document = {};
  let seenText = false;
  for (const [field, dir] of Object.entries(key)) {
    if (field === '_fts' || field === '_ftsx') {
      seenText = true;
      continue;
    }
    if (dir === 'text') {
      if (Object.keys(suffix).length > 0) throw new CommandError(ErrorCode.CannotCreateIndex, 'text index fields must be contiguous');
      weights[field] = 1;
      seenText = true;
    } else if (typeof dir === 'number' && Number.isFinite(dir) && dir !== 0) {
      if (!seenText) {
        throw new CommandError(ErrorCode.CannotCreateIndex, `text index prefix field '${field}' is not supported by the embedded engine; put scalar fields after the text fields`);
      }
      suffix[field] = dir < 0 ? -1 : 1;
    } else {
      throw new CommandError(ErrorCode.CannotCreateIndex, `Index type ${JSON.stringify(dir)} on field '${field}' is not supported in a text index`);
    }
  }
  if (raw.weights !== undefined) {
    if (!isPlainObject(raw.weights)) throw new CommandError(ErrorCode.CannotCreateIndex, 'text index option weights must be an object');
    for (const [field, w] of Object.entries(raw.weights)) {
      if (typeof w !== 'number' || !Number.isFinite(w) || w <= 0 || w >= MAX_WEIGHT) {
        throw new CommandError(ErrorCode.CannotCreateIndex, `text index weight for '${field}' must be a number above 0 and below ${MAX_WEIGHT}`);
      }
      weights[field] = Math.trunc(w) || w;
    }
  }
  if (Object.keys(weights).length === 0) throw new CommandError(ErrorCode.CannotCreateIndex, 'text index needs at least one text field');
  const version = raw.textIndexVersion ?? TEXT_INDEX_VERSION;
  if (version !== TEXT_INDEX_VERSION) throw new CommandError(ErrorCode.CannotCreateIndex, `only textIndexVersion ${TEXT_INDEX_VERSION} is supported by the embedded engine`);
  const defaultLanguage = requireLanguage(raw.default_language ?? 'english', 'default_language');
  const override = raw.language_override ?? 'language';
  if (typeof override !== 'string' || override === '') throw new CommandError(ErrorCode.CannotCreateIndex, 'language_override must be a non-empty string');
  return {
    key: { _fts: 'text', _ftsx: 1, ...suffix },
    options: { weights, default_language: defaultLanguage, language_override: override, textIndexVersion: TEXT_INDEX_VERSION },
  };
}
