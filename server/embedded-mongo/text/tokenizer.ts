// Words as MongoDB's text search (version 3) sees them: split at Unicode whitespace, punctuation and
// symbols (the apostrophe stays inside English words, so "don't" is one word and a stop word), lower-cased
// (Turkish dotted/dotless i kept apart), stop words dropped, stemmed, then stripped of diacritics.
import { stem, stopWordsOf } from './languages';

export interface TokenOptions {
  language: string;
  /** Drop stop words (documents and queries do; phrase checks do not need terms at all). */
  stopWords: boolean;
  caseSensitive: boolean;
  diacriticSensitive: boolean;
}

const DELIMITERS = /[\p{White_Space}\p{Pattern_Syntax}\p{Dash}\p{Quotation_Mark}\p{Terminal_Punctuation}]+/u;
// The `v` flag (set subtraction) is Node 20's; TypeScript's target does not know it, hence the constructor.
const ENGLISH_DELIMITERS = new RegExp(String.raw`[[\p{White_Space}\p{Pattern_Syntax}\p{Dash}\p{Quotation_Mark}\p{Terminal_Punctuation}]--[']]+`, 'v');
const ASCII = /^[\x00-\x7f]*$/;
// The same sets restricted to ASCII, for the common all-ASCII text: Unicode property classes match slowly.
const ASCII_DELIMITERS = /[\t-\r !-\/:-@[-^`{-~]+/;
const ASCII_ENGLISH_DELIMITERS = /[\t-\r !-&(-\/:-@[-^`{-~]+/;

/** The delimiter pattern for a language; for a text given, the faster ASCII one when the text is all ASCII. */
export function delimitersOf(language: string, text?: string): RegExp {
  if (text !== undefined && ASCII.test(text)) return language === 'english' ? ASCII_ENGLISH_DELIMITERS : ASCII_DELIMITERS;
  return language === 'english' ? ENGLISH_DELIMITERS : DELIMITERS;
}

export function lowerCase(s: string, language: string): string {
  return language === 'turkish' ? s.toLocaleLowerCase('tr') : s.toLowerCase();
}

export function stripDiacritics(s: string): string {
  return ASCII.test(s) ? s : s.normalize('NFD').replace(/\p{M}/gu, '').normalize('NFC');
}

/** The raw words of a text, in order, before any folding. */
export function rawWords(text: string, language: string): string[] {
  return text.split(delimitersOf(language, text)).filter((w) => w.length > 0);
}

/** One raw word as a term: undefined when it is a stop word. */
export function termOf(word: string, opts: TokenOptions): string | undefined {
  const lower = lowerCase(word, opts.language);
  if (opts.stopWords && stopWordsOf(opts.language).has(lower)) return undefined;
  const stemmed = stem(opts.caseSensitive ? word : lower, opts.language);
  return opts.diacriticSensitive ? stemmed : stripDiacritics(stemmed);
}

/** The terms of a text, in order (repeats kept: scoring counts them). */
export function terms(text: string, opts: TokenOptions): string[] {
  const out: string[] = [];
  for (const word of rawWords(text, opts.language)) {
    const term = termOf(word, opts);
    if (term !== undefined) out.push(term);
  }
  return out;
}

/** Whether `phrase` occurs in `text`, folded as the flags say (MongoDB matches phrases as substrings). */
export function containsPhrase(text: string, phrase: string, opts: Pick<TokenOptions, 'language' | 'caseSensitive' | 'diacriticSensitive'>): boolean {
  const fold = (s: string): string => {
    const cased = opts.caseSensitive ? s : lowerCase(s, opts.language);
    return opts.diacriticSensitive ? cased : stripDiacritics(cased);
  };
  return fold(text).includes(fold(phrase));
}

/** Where each raw word of a text starts and ends (for highlighting what a query matched). */
const GLOBAL_DELIMITERS = new Map<RegExp, RegExp>();

export function* wordSpans(text: string, language: string): Generator<[start: number, end: number]> {
  const delimiters = delimitersOf(language, text);
  let global = GLOBAL_DELIMITERS.get(delimiters);
  if (!global) GLOBAL_DELIMITERS.set(delimiters, (global = new RegExp(delimiters.source, delimiters.flags + 'g')));
  let start = 0;
  for (const m of text.matchAll(global)) {
    if (m.index > start) yield [start, m.index];
    start = m.index + m[0].length;
  }
  if (start < text.length) yield [start, text.length];
}
