// A `$text` query parsed as MongoDB parses `$search`: words, "phrases", -negated words and -"negated
// phrases". A minus negates only at the start of a word (after whitespace); "-foo-bar" negates both
// words, "pre-market" searches "pre" or "market". Stop words are dropped from the terms.
import { isPlainObject, type Document } from '../documents';
import { CommandError, ErrorCode } from '../errors';
import { requireLanguage } from './languages';
import { rawWords, termOf, type TokenOptions } from './tokenizer';

/** The sort field the planner's parseSort() gives `{$meta: "textScore"}`: no stored field can have this name. */
export const TEXT_SCORE_SORT = '\u0000textScore';

export interface TextQuery {
  search: string;
  language: string;
  caseSensitive: boolean;
  diacriticSensitive: boolean;
  /** Folded terms looked up in the index (any of them makes a candidate). */
  lookup: string[];
  /** Terms as the flags keep them, checked in the document when a flag is set. */
  positive: string[];
  negated: string[];
  phrases: string[];
  negatedPhrases: string[];
}

const TEXT_FIELDS = new Set(['$search', '$language', '$caseSensitive', '$diacriticSensitive']);

export function parseTextQuery(raw: unknown, defaultLanguage: string): TextQuery {
  if (!isPlainObject(raw)) throw new CommandError(ErrorCode.BadValue, '$text needs an object');
  for (const k of Object.keys(raw)) if (!TEXT_FIELDS.has(k)) throw new CommandError(ErrorCode.FailedToParse, `extra fields in $text: ${k}`);
  if (typeof raw.$search !== 'string') throw new CommandError(ErrorCode.TypeMismatch, '$search needs a String');
  if (raw.$language !== undefined && typeof raw.$language !== 'string') throw new CommandError(ErrorCode.TypeMismatch, '$language needs a String');
  for (const flag of ['$caseSensitive', '$diacriticSensitive'] as const) {
    if (raw[flag] !== undefined && typeof raw[flag] !== 'boolean') throw new CommandError(ErrorCode.TypeMismatch, `${flag} needs a Boolean`);
  }
  const language = raw.$language === undefined || raw.$language === '' ? defaultLanguage : requireLanguage(raw.$language, '$language');
  const caseSensitive = raw.$caseSensitive === true;
  const diacriticSensitive = raw.$diacriticSensitive === true;
  const q: TextQuery = { search: raw.$search, language, caseSensitive, diacriticSensitive, lookup: [], positive: [], negated: [], phrases: [], negatedPhrases: [] };
  const flagged: TokenOptions = { language, stopWords: true, caseSensitive, diacriticSensitive };
  const folded: TokenOptions = { language, stopWords: true, caseSensitive: false, diacriticSensitive: false };
  const add = (list: string[], term: string | undefined): void => {
    if (term !== undefined && !list.includes(term)) list.push(term);
  };
  const addWord = (word: string, negated: boolean): void => {
    for (const w of rawWords(word, language)) {
      if (negated) add(q.negated, termOf(w, flagged));
      else {
        add(q.positive, termOf(w, flagged));
        add(q.lookup, termOf(w, folded));
      }
    }
  };
  const s = q.search;
  let i = 0;
  let afterSpace = true;
  let negate = false;
  while (i < s.length) {
    const c = s[i];
    if (c === '"') {
      const end = s.indexOf('"', i + 1);
      const phrase = s.slice(i + 1, end < 0 ? s.length : end);
      if (phrase.trim()) (negate ? q.negatedPhrases : q.phrases).push(phrase);
      if (!negate) for (const w of rawWords(phrase, language)) addWord(w, false);
      negate = false;
      afterSpace = false;
      i = end < 0 ? s.length : end + 1;
    } else if (c === '-' && afterSpace) {
      negate = true;
      afterSpace = false;
      i++;
    } else if (/\s/u.test(c)) {
      negate = false;
      afterSpace = true;
      i++;
    } else {
      let j = i;
      while (j < s.length && s[j] !== '"' && !/\s/u.test(s[j])) j++;
      const word = s.slice(i, j);
      addWord(word, negate);
      afterSpace = false;
      i = j;
    }
  }
  return q;
}

/** Whether a candidate must be read to decide it (the index alone answers a plain, folded word search). */
export function needsDocumentCheck(q: TextQuery): boolean {
  return q.caseSensitive || q.diacriticSensitive || q.negated.length > 0 || q.phrases.length > 0 || q.negatedPhrases.length > 0;
}

/** The parsed query as explain's `parsedTextQuery` shows it. */
export function describeTextQuery(q: TextQuery): Document {
  return { terms: q.positive, negatedTerms: q.negated, phrases: q.phrases, negatedPhrases: q.negatedPhrases };
}
