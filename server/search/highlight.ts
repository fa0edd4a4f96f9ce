// The excerpt shown under a search hit: plain text escaped first, then the words the query matched (by the
// same stemming and folding the text index uses) wrapped in <mark>, so a post can never inject markup.
import { textTerm, wordSpans } from '../embedded-mongo';

const LANGUAGE = 'english';
const TERM_OPTIONS = { language: LANGUAGE, stopWords: true, caseSensitive: false, diacriticSensitive: false };
const EXCERPT_CHARS = 240;
const LEAD_CHARS = 80;

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** Terms a search looks for: its words and the words of its phrases, not the negated ones. */
export function searchedTerms(search: string): Set<string> {
  const positive = search.replace(/(^|\s)-"[^"]*"?/g, ' ').replace(/(^|\s)-[^\s"]+/g, ' ');
  const terms = new Set<string>();
  for (const [start, end] of wordSpans(positive, LANGUAGE)) {
    const term = textTerm(positive.slice(start, end), TERM_OPTIONS);
    if (term !== undefined) terms.add(term);
  }
  return terms;
}

/** An excerpt of `text` around its first match, escaped, matches in <mark>. */
export function highlight(text: string, terms: ReadonlySet<string>): string {
  const spans = [...wordSpans(text, LANGUAGE)];
  // Posts repeat their words: each distinct word is stemmed once.
  const seen = new Map<string, boolean>();
  const matched = spans.map(([start, end]) => {
    const word = text.slice(start, end);
    let hit = seen.get(word);
    if (hit === undefined) seen.set(word, (hit = terms.has(textTerm(word, TERM_OPTIONS) ?? '')));
    return hit;
  });
  const first = matched.indexOf(true);
  let from = 0;
  if (first >= 0 && spans[first]![0] > LEAD_CHARS) {
    const wanted = spans[first]![0] - LEAD_CHARS;
    from = spans.find(([start]) => start >= wanted)![0];
  }
  let to = Math.min(text.length, from + EXCERPT_CHARS);
  const cut = spans.find(([start, end]) => start < to && end > to);
  if (cut) to = cut[0];
  let html = from > 0 ? '…' : '';
  let at = from;
  spans.forEach(([start, end], i) => {
    if (start < from || end > to) return;
    html += escapeHtml(text.slice(at, start));
    const word = escapeHtml(text.slice(start, end));
    html += matched[i] ? `<mark>${word}</mark>` : word;
    at = end;
  });
  html += escapeHtml(text.slice(at, to));
  return to < text.length ? `${html.trimEnd()}…` : html;
}

/** Excerpts per row object and terms searched: cached rows are shared by every search that finds them. */
const excerpts = new WeakMap<object, Map<string, string>>();
/** A row found by many different searches keeps the latest few excerpts, not one per search. */
const MAX_EXCERPTS_PER_ROW = 16;

/** highlight() of a post's text, worked out once per row object and set of terms. */
export function highlightOf(row: { readonly bodyText?: string | null }, terms: ReadonlySet<string>): string {
  const key = [...terms].join(' ');
  let kept = excerpts.get(row);
  if (!kept) excerpts.set(row, (kept = new Map()));
  let excerpt = kept.get(key);
  if (excerpt === undefined) {
    if (kept.size >= MAX_EXCERPTS_PER_ROW) kept.clear();
    kept.set(key, (excerpt = highlight(row.bodyText ?? '', terms)));
  }
  return excerpt;
}
