// Execution of a query holding `$text` (MongoDB's TEXT_OR → FETCH → TEXT_MATCH): the terms' posting lists
// give the candidates and their scores; conditions on the text index's scalar suffix fields are checked on
// the index entries, so documents outside the filter's scope are never read; documents are read only to
// decide phrases, negations and case or diacritic sensitivity, to check the rest of the filter, and to be
// returned. Sorting by textScore (then _id) takes the top of the candidates without reading the others.
import { ObjectId } from 'bson';
import type { Collection } from '../catalog/collection';
import { compareBson } from '../bson-order';
import { isOperatorObject, isPlainObject, sortValue, type Document } from '../documents';
import { CommandError, ErrorCode } from '../errors';
import { canonicalValue, isTextIndex, type TextEntry, type TextIndex } from '../indexes/text-index';
import { describeTextQuery, needsDocumentCheck, parseTextQuery, TEXT_SCORE_SORT, type TextQuery } from '../text/query';
import { compileFilter, insertBounded, newStats, type ExecStats, type Hit } from './executor';
import type { Matcher } from './matcher';
import type { SortSpec } from './planner';


/** Scores of documents a text query handed out (each a copy of its own, so the key is never shared). */
const scores = new WeakMap<Document, number>();

export function textScoreOf(doc: Document): number | undefined {
  return scores.get(doc);
}

export interface TextPlan {
  access: { kind: 'text' };
  index: TextIndex;
  query: TextQuery;
  /** Suffix field position → accepted canonical values. */
  suffixChecks: [position: number, accepted: Set<string>][];
  /** The filter minus $text and what the suffix checks decide. */
  residual: Document;
  sort: SortSpec;
}

function containsText(v: unknown): boolean {
  if (Array.isArray(v)) return v.some(containsText);
  if (!isPlainObject(v)) return false;
  return Object.entries(v).some(([k, e]) => k === '$text' || containsText(e));
}

/** Splits `$text` (top level, or in a top-level $and) from the rest of a filter; null without $text. */
function splitText(filter: Document): { text: unknown; rest: Document } | null {
  const rest: Document = {};
  let text: unknown;
  for (const [k, v] of Object.entries(filter)) {
    if (k === '$text') text = v;
    else if (k === '$and' && Array.isArray(v) && v.some((c) => isPlainObject(c) && '$text' in c)) {
      const others: Document[] = [];
      for (const clause of v as Document[]) {
        if (isPlainObject(clause) && '$text' in clause) {
          if (text !== undefined) throw new CommandError(ErrorCode.BadValue, 'Too many text expressions');
          const { $text, ...more } = clause;
          text = $text;
          if (Object.keys(more).length) others.push(more);
        } else others.push(clause);
      }
      if (others.length) rest.$and = others;
    } else rest[k] = v;
  }
  if (text === undefined) {
    if (containsText(filter)) throw new CommandError(ErrorCode.BadValue, '$text is allowed only at the top level of a filter or in a top-level $and (embedded engine)');
    return null;
  }
  if (containsText(rest)) throw new CommandError(ErrorCode.BadValue, 'Too many text expressions');
  return { text, rest };
}

/** Accepted canonical values when a condition is plain equality or $in of supported scalars. */
function acceptedValues(cond: unknown): Set<string> | undefined {
  const values = isOperatorObject(cond) ? (Object.keys(cond).length === 1 ? (Array.isArray(cond.$in) ? cond.$in : '$eq' in cond ? [cond.$eq] : undefined) : undefined) : [cond];
  if (!values) return undefined;
  const out = new Set<string>();
  for (const v of values) {
    const c = Array.isArray(v) || isPlainObject(v) ? undefined : canonicalValue(v);
    if (c === undefined) return undefined;
    out.add(c);
  }
  return out;
}

/** A text plan for the filter, or null when it has no $text. */
export function planTextQuery(coll: Collection, filter: Document, sort: SortSpec): TextPlan | null {
  const split = splitText(filter);
  if (!split) {
    if (sort.some(([f]) => f === TEXT_SCORE_SORT)) throw new CommandError(ErrorCode.BadValue, 'query requires text score metadata, but it is not available');
    return null;
  }
  const index = coll.indexes.find(isTextIndex);
  if (!index) throw new CommandError(ErrorCode.IndexNotFound, 'text index required for $text query');
  const query = parseTextQuery(split.text, index.defaultLanguage);
  const suffixChecks: TextPlan['suffixChecks'] = [];
  const residual: Document = {};
  for (const [k, v] of Object.entries(split.rest)) {
    const position = index.suffixFields.indexOf(k);
    const accepted = position >= 0 ? acceptedValues(v) : undefined;
    if (accepted) suffixChecks.push([position, accepted]);
    else residual[k] = v;
  }
  return { access: { kind: 'text' }, index, query, suffixChecks, residual, sort };
}

/** 1 passes, 0 fails, -1 undecided (a suffix value of a type without a canonical form). */
function suffixVerdict(plan: TextPlan, entry: TextEntry): number {
  let verdict = 1;
  for (const [position, accepted] of plan.suffixChecks) {
    const value = entry.suffix[position];
    if (value === undefined) verdict = -1;
    else if (!accepted.has(value)) return 0;
  }
  return verdict;
}

/** What TEXT_MATCH decides from the document: flagged terms, negations and phrases. */
function textMatches(plan: TextPlan, doc: Document): boolean {
  const q = plan.query;
  const index = plan.index;
  const flags = { language: index.languageOf(doc), caseSensitive: q.caseSensitive, diacriticSensitive: q.diacriticSensitive };
  if (q.caseSensitive || q.diacriticSensitive || q.negated.length) {
    const held = index.termsOf(doc, flags);
    if ((q.caseSensitive || q.diacriticSensitive) && !q.positive.some((t) => held.has(t))) return false;
    if (q.negated.some((t) => held.has(t))) return false;
  }
  if (!q.phrases.every((p) => index.holdsPhrase(doc, p, flags))) return false;
  return !q.negatedPhrases.some((p) => index.holdsPhrase(doc, p, flags));
}

interface Candidate {
  rid: number;
  score: number;
  entry: TextEntry;
  /** The suffix checks could not decide; the document must be matched against them too. */
  undecided: boolean;
}

export interface TextRun {
  stats: ExecStats;
  hits: Generator<Hit>;
}

export function runTextPlan(coll: Collection, plan: TextPlan, opts: { skip?: number; limit?: number }): TextRun {
  const stats = newStats();
  return { stats, hits: textHits(coll, plan, stats, opts) };
}

function* textHits(coll: Collection, plan: TextPlan, stats: ExecStats, opts: { skip?: number; limit?: number }): Generator<Hit> {
  const skip = opts.skip ?? 0;
  const bound = opts.limit ? skip + opts.limit : Infinity;
  const sort = plan.sort;
  const residual: Matcher | null = compileFilter(plan.residual);
  const check = needsDocumentCheck(plan.query);
  if (sort.length === 2 && byScoreThenId(sort) && sort[1][1] < 0 && Number.isFinite(bound)) {
    const top = plan.query.lookup.length === 1 ? singleTermTop(coll, plan, stats, bound, residual, check) : thresholdTop(coll, plan, stats, bound, residual, check);
    if (top) {
      for (const [c, doc] of top.slice(skip)) {
        stats.nReturned++;
        yield hand(c, doc);
      }
      return;
    }
    stats.keysExamined = 0;
    stats.docsExamined = 0;
  }
  // TEXT_OR: one pass over each term's postings, summing the scores of the entries in scope.
  const found = new Map<number, Candidate>();
  for (const term of plan.query.lookup) {
    const list = plan.index.postingsOf(term);
    if (!list) continue;
    const { rids, scores: termScores, length } = list;
    stats.keysExamined += length;
    for (let i = 0; i < length; i++) {
      const rid = rids[i];
      const known = found.get(rid);
      if (known) {
        known.score += termScores[i];
        continue;
      }
      const entry = plan.index.entryOf(rid)!;
      const verdict = suffixVerdict(plan, entry);
      if (verdict !== 0) found.set(rid, { rid, score: termScores[i], entry, undecided: verdict < 0 });
    }
  }
  let undecidedFilter: Matcher | null | undefined;
  const fetch = (c: Candidate): Document | undefined => {
    const doc = coll.docs.get(c.rid);
    if (!doc) return undefined;
    stats.docsExamined++;
    if (c.undecided) {
      undecidedFilter ??= compileFilter(Object.fromEntries(plan.suffixChecks.map(([p, accepted]) => [plan.index.suffixFields[p], { $in: [...accepted].map(fromCanonical) }])));
      if (undecidedFilter && !undecidedFilter.test(doc)) return undefined;
    }
    if (residual && !residual.test(doc)) return undefined;
    if (check && !textMatches(plan, doc)) return undefined;
    return doc;
  };
  const candidates = [...found.values()];
  let ordered: Iterable<[Candidate, Document]>;
  if (sort.length === 0) {
    ordered = (function* () {
      for (const c of candidates) {
        const doc = fetch(c);
        if (doc) yield [c, doc] as [Candidate, Document];
      }
    })();
  } else if (byScoreThenId(sort) && candidates.every((c) => c.entry.idKey !== undefined)) {
    // The index entries alone give the order: documents are read in it, only until the page is full (when
    // every candidate matches, only the documents handed out).
    const idDir = sort.length > 1 ? sort[1][1] : 0;
    const cmp = (a: Candidate, b: Candidate): number => b.score - a.score || (idDir === 0 ? 0 : a.entry.idKey! < b.entry.idKey! ? -idDir : a.entry.idKey! > b.entry.idKey! ? idDir : 0);
    const allMatch = !check && !residual && candidates.every((c) => !c.undecided);
    const top = allMatch ? topK(candidates, cmp, bound) : candidates.sort(cmp);
    ordered = (function* () {
      for (const c of top) {
        const doc = fetch(c);
        if (doc) yield [c, doc] as [Candidate, Document];
      }
    })();
  } else {
    const kept: [Candidate, Document][] = [];
    for (const c of candidates) {
      const doc = fetch(c);
      if (doc) kept.push([c, doc]);
    }
    const parts = sort.map(([f, d]) => ({ field: f, parts: f.split('.'), dir: d }));
    kept.sort(([a, x], [b, y]) => {
      for (const p of parts) {
        if (p.field === TEXT_SCORE_SORT) {
          if (a.score !== b.score) return b.score - a.score;
          continue;
        }
        const c = compareBson(sortValue(x, p.parts, p.dir), sortValue(y, p.parts, p.dir));
        if (c !== 0) return p.dir > 0 ? c : -c;
      }
      return 0;
    });
    ordered = kept;
  }
  let skipped = 0;
  let handed = 0;
  for (const [c, doc] of ordered) {
    if (skipped < skip) {
      skipped++;
      continue;
    }
    handed++;
    stats.nReturned++;
    yield hand(c, doc);
    if (handed >= bound - skip) return;
  }
}

/**
 * One term ranked by score then newest: its list in that order, read until the page is full. Conditions the
 * index cannot decide (outside its suffix fields, phrases, negations) are checked on each document as it
 * comes: dropping rows keeps the order of those that stay, so the page is still the top of the ranking. Null
 * when some entry's suffix or _id cannot be judged from the index (the caller then takes the general path).
 */
function singleTermTop(coll: Collection, plan: TextPlan, stats: ExecStats, bound: number, residual: Matcher | null, check: boolean): [Candidate, Document][] | null {
  const ranked = plan.index.rankedPostingsOf(plan.query.lookup[0]);
  if (!ranked) return null;
  const top: [Candidate, Document][] = [];
  for (let i = 0; i < ranked.rids.length && top.length < bound; i++) {
    stats.keysExamined++;
    const entry = plan.index.entryOf(ranked.rids[i])!;
    const verdict = suffixVerdict(plan, entry);
    if (verdict < 0) return null;
    if (verdict === 0) continue;
    const doc = coll.docs.get(ranked.rids[i]);
    if (!doc) continue;
    stats.docsExamined++;
    if (residual && !residual.test(doc)) continue;
    if (check && !textMatches(plan, doc)) continue;
    top.push([{ rid: ranked.rids[i], score: ranked.scores[i], entry, undecided: false }, doc]);
  }
  return top;
}

/**
 * The top `bound` of a search of several terms ranked by score then newest, by Fagin's threshold algorithm:
 * the terms' ranked lists are read in step, always the one whose next score is highest; each document met is
 * scored whole at once (every term's score lookup), and read only when it would enter the page. Reading stops
 * when no document not yet met can outrank the page's last: its score is at most the sum of the lists' next
 * scores, and at that very sum its _id is at most the largest next _id. So a page of common words reads about
 * as far down the lists as it needs, never all of them. Null when some entry's suffix or _id cannot be judged
 * from the index (the caller then takes the general path).
 */
function thresholdTop(coll: Collection, plan: TextPlan, stats: ExecStats, bound: number, residual: Matcher | null, check: boolean): [Candidate, Document][] | null {
  const index = plan.index;
  const lists: { rids: Int32Array; scores: Float64Array }[] = [];
  for (const term of plan.query.lookup) {
    const list = index.rankedPostingsOf(term);
    if (!list) return null;
    lists.push(list);
  }
  const lookups = plan.query.lookup.map((term) => index.scoreLookupOf(term));
  const at = lists.map(() => 0);
  const nextIdAt = lists.map(() => -1);
  const nextId = lists.map(() => '');
  const met = new Set<number>();
  const byRank = (a: [Candidate, Document], b: [Candidate, Document]): number => rankOrder(a[0], b[0]);
  const top: [Candidate, Document][] = [];
  for (;;) {
    let next = -1;
    let threshold = 0;
    for (let i = 0; i < lists.length; i++) {
      if (at[i] >= lists[i].rids.length) continue;
      const score = lists[i].scores[at[i]];
      threshold += score;
      if (next < 0 || score > lists[next].scores[at[next]]) next = i;
    }
    if (next < 0) break;
    if (top.length >= bound) {
      const last = top[bound - 1][0];
      if (last.score > threshold) break;
      if (last.score === threshold) {
        let newest = '';
        for (let i = 0; i < lists.length; i++) {
          if (at[i] >= lists[i].rids.length) continue;
          // Ties run long in lists of equal scores: each list's next _id is looked up once per position.
          if (nextIdAt[i] !== at[i]) {
            nextIdAt[i] = at[i];
            nextId[i] = index.entryOf(lists[i].rids[at[i]])!.idKey!;
          }
          if (nextId[i] > newest) newest = nextId[i];
        }
        if (last.entry.idKey! > newest) break;
      }
    }
    const rid = lists[next].rids[at[next]++];
    stats.keysExamined++;
    // Summed in the order of the terms, as the full pass sums them: the same score to the last bit.
    let score = 0;
    for (const lookup of lookups) {
      const s = lookup.get(rid);
      if (s !== undefined) score += s;
    }
    // Most entries met cannot reach the page, and never will (its last only gets better): judged by score
    // first, before anything else is looked up. Only those that reach a document are remembered, so another
    // list meeting them again neither reads nor counts them twice.
    if (top.length >= bound && score < top[bound - 1][0].score) continue;
    if (met.has(rid)) continue;
    const entry = index.entryOf(rid)!;
    const verdict = suffixVerdict(plan, entry);
    if (verdict < 0) return null;
    if (verdict === 0) continue;
    const candidate: Candidate = { rid, score, entry, undecided: false };
    if (top.length >= bound && rankOrder(candidate, top[bound - 1][0]) >= 0) continue;
    met.add(rid);
    const doc = coll.docs.get(rid);
    if (!doc) continue;
    stats.docsExamined++;
    if (residual && !residual.test(doc)) continue;
    if (check && !textMatches(plan, doc)) continue;
    insertBounded(top, [candidate, doc], byRank, bound);
  }
  return top;
}

/** By score, then newest _id (ObjectId hex orders as the ObjectIds do). */
function rankOrder(a: Candidate, b: Candidate): number {
  return b.score - a.score || (a.entry.idKey! < b.entry.idKey! ? 1 : a.entry.idKey! > b.entry.idKey! ? -1 : 0);
}

/** A returned document: a copy of its own, so its score is never another query's. */
function hand(c: Candidate, doc: Document): Hit {
  const copy = { ...doc };
  scores.set(copy, c.score);
  return [c.rid, copy];
}

function byScoreThenId(sort: SortSpec): boolean {
  return sort[0][0] === TEXT_SCORE_SORT && (sort.length === 1 || (sort.length === 2 && sort[1][0] === '_id'));
}

/** The best `bound` items in order (all of them, sorted, when unbounded). */
function topK<T>(items: T[], cmp: (a: T, b: T) => number, bound: number): T[] {
  if (!Number.isFinite(bound) || bound >= items.length / 4) return items.sort(cmp).slice(0, Number.isFinite(bound) ? bound : undefined);
  const best: T[] = [];
  for (const item of items) insertBounded(best, item, cmp, bound);
  return best;
}

function fromCanonical(c: string): unknown {
  // Only ever called for values a filter supplied, which had canonical forms; rebuilt for mingo.
  const body = c.slice(1);
  switch (c[0]) {
    case 'n':
      return null;
    case 's':
      return body;
    case 'd':
      return Number(body);
    case 'b':
      return body === '1';
    case 't':
      return new Date(Number(body));
    default:
      return new ObjectId(body);
  }
}

/** The winningPlan MongoDB's explain shows for a text query. */
export function describeTextPlan(plan: TextPlan, opts: { skip?: number; limit?: number }): Document {
  const index = plan.index;
  const scalarFilter = Object.fromEntries(plan.suffixChecks.map(([p, accepted]) => [index.suffixFields[p], { $in: [...accepted].map(fromCanonical) }]));
  let stage: Document = {
    stage: 'TEXT_MATCH',
    indexPrefix: {},
    indexName: index.name,
    parsedTextQuery: describeTextQuery(plan.query),
    textIndexVersion: 3,
    inputStage: {
      stage: 'FETCH',
      ...(Object.keys(plan.residual).length ? { filter: plan.residual } : {}),
      inputStage: {
        stage: 'TEXT_OR',
        inputStages: plan.query.lookup.map((term) => ({
          stage: 'IXSCAN',
          keyPattern: index.spec.key,
          indexName: index.name,
          isMultiKey: true,
          direction: 'backward',
          indexBounds: { term },
          ...(plan.suffixChecks.length ? { filter: scalarFilter } : {}),
        })),
      },
    },
  };
  if (plan.sort.length) {
    const pattern = Object.fromEntries(plan.sort.map(([f, d]) => (f === TEXT_SCORE_SORT ? ['score', { $meta: 'textScore' }] : [f, d])));
    stage = { stage: 'SORT', sortPattern: pattern, ...(opts.limit ? { limitAmount: opts.limit + (opts.skip ?? 0) } : {}), inputStage: stage };
  }
  if (opts.skip) stage = { stage: 'SKIP', skipAmount: opts.skip, inputStage: stage };
  if (opts.limit) stage = { stage: 'LIMIT', limitAmount: opts.limit, inputStage: stage };
  return stage;
}

/** Splits `{field: {$meta: "textScore"}}` entries off a projection. */
export function splitMetaProjection(projection: Document): { fields: string[]; rest: Document } {
  const fields: string[] = [];
  const rest: Document = {};
  for (const [k, v] of Object.entries(projection)) {
    if (isPlainObject(v) && '$meta' in v) {
      if (v.$meta !== 'textScore') throw new CommandError(ErrorCode.BadValue, `unsupported $meta in projection: ${JSON.stringify(v.$meta)} (embedded engine)`);
      fields.push(k);
    } else rest[k] = v;
  }
  return { fields, rest };
}

/** Adds the text score under each named field of `doc`, a projection of `source` (or `source` itself) the caller owns. */
export function withTextScore(doc: Document, source: Document, fields: string[]): Document {
  if (fields.length === 0) return doc;
  const score = scores.get(source);
  if (score === undefined) throw new CommandError(ErrorCode.BadValue, 'query requires text score metadata, but it is not available');
  for (const f of fields) doc[f] = score;
  return doc;
}
