// The languages of MongoDB's text indexes (textIndexVersion 3): names and two-letter codes, the Snowball
// stemmer each uses, and stop words. Stop words are English only: other languages are stemmed but keep
// their stop words, so a query for one of those matches it like any word (README: "Text search").
import { newStemmer } from 'snowball-stemmers';
import { CommandError } from '../errors';

/** MongoDB's code for a language a text index or query does not support. */
export const UNSUPPORTED_LANGUAGE = 17262;

const NAMES: Record<string, string> = {
  danish: 'danish',
  da: 'danish',
  dutch: 'dutch',
  nl: 'dutch',
  english: 'english',
  en: 'english',
  finnish: 'finnish',
  fi: 'finnish',
  french: 'french',
  fr: 'french',
  german: 'german',
  de: 'german',
  hungarian: 'hungarian',
  hu: 'hungarian',
  italian: 'italian',
  it: 'italian',
  norwegian: 'norwegian',
  nb: 'norwegian',
  portuguese: 'portuguese',
  pt: 'portuguese',
  romanian: 'romanian',
  ro: 'romanian',
  russian: 'russian',
  ru: 'russian',
  spanish: 'spanish',
  es: 'spanish',
  swedish: 'swedish',
  sv: 'swedish',
  turkish: 'turkish',
  tr: 'turkish',
  none: 'none',
};

/** The canonical name of a language MongoDB's text search knows, or undefined. */
export function languageName(raw: unknown): string | undefined {
  return typeof raw === 'string' ? NAMES[raw.toLowerCase()] : undefined;
}

export function requireLanguage(raw: unknown, what: string): string {
  const name = languageName(raw);
  if (!name) throw new CommandError(UNSUPPORTED_LANGUAGE, `${what}: unsupported language: ${JSON.stringify(raw)} for text index version 3`);
  return name;
}

// MongoDB's English list (Snowball's English stop words with their contractions).
const ENGLISH_STOP_WORDS = new Set(
  `a about above after again against all am an and any are aren't as at be because been before being below between both but by
  can't cannot could couldn't did didn't do does doesn't doing don't down during each few for from further had hadn't has hasn't
  have haven't having he he'd he'll he's her here here's hers herself him himself his how how's i i'd i'll i'm i've if in into is
  isn't it it's its itself let's me more most mustn't my myself no nor not of off on once only or other ought our ours ourselves
  out over own same shan't she she'd she'll she's should shouldn't so some such than that that's the their theirs them themselves
  then there there's these they they'd they'll they're they've this those through to too under until up very was wasn't we we'd
  we'll we're we've were weren't what what's when when's where where's which while who who's whom why why's with won't would
  wouldn't you you'd you'll you're you've your yours yourself yourselves`.split(/\s+/),
);

const NO_STOP_WORDS: ReadonlySet<string> = new Set();

export function stopWordsOf(language: string): ReadonlySet<string> {
  return language === 'english' ? ENGLISH_STOP_WORDS : NO_STOP_WORDS;
}

/** Stems per language, remembered: a forum's vocabulary is small next to its word count. */
const STEM_CACHE_LIMIT = 100_000;
const stemmers = new Map<string, { stem(word: string): string; cache: Map<string, string> }>();

export function stem(word: string, language: string): string {
  if (language === 'none') return word;
  let stemmer = stemmers.get(language);
  if (!stemmer) {
    const algorithm = newStemmer(language);
    stemmer = { stem: (w) => algorithm.stem(w), cache: new Map() };
    stemmers.set(language, stemmer);
  }
  let out = stemmer.cache.get(word);
  if (out === undefined) {
    out = stemmer.stem(word);
    if (stemmer.cache.size >= STEM_CACHE_LIMIT) stemmer.cache.clear();
    stemmer.cache.set(word, out);
  }
  return out;
}
