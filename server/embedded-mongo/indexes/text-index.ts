// MongoDB's text index: per term, the documents holding it with the term's score in each (a posting list),
// plus the index's scalar suffix fields per document so filters on them are answered from the index, before
// any document is read. It lives beside the B+tree indexes (a subclass, so the collection, journal and
// snapshot treat it like any other index); its B+tree stays empty and the planner never picks it for
// queries without $text. Rebuilt from the documents at start-up, like every index.
import type { ObjectId } from 'bson';
import { collectPathValues, isPlainObject, type Document } from '../documents';
import { CommandError, ErrorCode } from '../errors';
import { requireLanguage } from '../text/languages';
import { containsPhrase, terms, type TokenOptions } from '../text/tokenizer';
import { BTreeIndex, type IndexKey, type IndexSpec, type KeyValues } from './btree-index';

/** Growable parallel arrays of record ids and scores. */
class ScoredRids {
  rids = new Int32Array(4);
  scores = new Float64Array(4);
  length = 0;

  /** Makes room for one more entry. */
  protected grow(): void {
    if (this.length < this.rids.length) return;
    const capacity = Math.max(4, this.length * 2);
    const rids = new Int32Array(capacity);
    rids.set(this.rids);
    this.rids = rids;
    const scores = new Float64Array(capacity);
    scores.set(this.scores);
    this.scores = scores;
  }
}

/**
 * A term's entries by score, then by ObjectId _id newest first (the order of a search ranked by relevance
 * then recency). Kept up to date entry by entry: re-sorting a common word's list after every new post would
 * cost each search after a write hundreds of milliseconds on a large forum.
 */
class RankedRids extends ScoredRids {
  /** `idKey` orders entries of equal score: lower-case ObjectId hex, whose string order is the ObjectId order. */
  constructor(private readonly idKey: (rid: number) => string) {
    super();
  }

  /** Where an entry with this score and id goes: after every entry ranked before it. */
  private position(score: number, id: string): number {
    let low = 0;
    let high = this.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const other = this.scores[middle];
      const before = other > score || (other === score && this.idKey(this.rids[middle]) > id);
      if (before) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  insert(rid: number, score: number, id: string): void {
    this.grow();
    const at = this.position(score, id);
    this.rids.copyWithin(at + 1, at, this.length);
    this.scores.copyWithin(at + 1, at, this.length);
    this.rids[at] = rid;
    this.scores[at] = score;
    this.length++;
  }

  remove(rid: number): void {
    const at = this.rids.subarray(0, this.length).indexOf(rid);
    if (at < 0) return;
    this.rids.copyWithin(at, at + 1, this.length);
    this.scores.copyWithin(at, at + 1, this.length);
    this.length--;
  }
}

/** A term's score per record id (undefined where the term is not). */
export interface ScoreLookup {
  get(rid: number): number | undefined;
}

interface KeptScores extends ScoreLookup {
  set(rid: number, score: number): void;
  delete(rid: number): void;
}

/**
 * Scores in an array indexed by record id, NaN where the term is not: for a term in a large share of the
 * collection it is both smaller than a map (8 bytes per record against some 50 per entry) and a plain array
 * read per lookup, where a threshold walk over two common words makes thousands of lookups per search.
 */
class DenseScores implements KeptScores {
  private scores: Float64Array;

  constructor(size: number) {
    this.scores = new Float64Array(size).fill(NaN);
  }

  get(rid: number): number | undefined {
    const score = rid < this.scores.length ? this.scores[rid] : NaN;
    return score === score ? score : undefined;
  }

  set(rid: number, score: number): void {
    if (rid >= this.scores.length) {
      const grown = new Float64Array(Math.max(rid + 1, Math.ceil(this.scores.length * 1.5))).fill(NaN);
      grown.set(this.scores);
      this.scores = grown;
    }
    this.scores[rid] = score;
  }

  delete(rid: number): void {
    if (rid < this.scores.length) this.scores[rid] = NaN;
  }
}

/** A term in at least this share of the records (by the largest record id) gets DenseScores rather than a map. */
const DENSE_SHARE = 1 / 6;

/** One term's posting list: its entries in any order, and in ranked order once a search has asked for it. */
class Postings extends ScoredRids {
  /** Built when first asked for; dropped (for good, until asked again) when an entry's _id is not an ObjectId. */
  ranked: RankedRids | null = null;
  /** Record id → this term's score in it, built when a search of several terms first asks (see scoreLookupOf). */
  lookup: KeptScores | null = null;

  push(rid: number, score: number, id: string | undefined): void {
    this.grow();
    this.rids[this.length] = rid;
    this.scores[this.length] = score;
    this.length++;
    this.lookup?.set(rid, score);
    if (!this.ranked) return;
    if (id === undefined) this.ranked = null;
    else this.ranked.insert(rid, score, id);
  }

  /** Order within a list does not matter (scores are summed per document), so the last entry fills the gap. */
  remove(rid: number): void {
    this.ranked?.remove(rid);
    this.lookup?.delete(rid);
    for (let i = this.length - 1; i >= 0; i--) {
      if (this.rids[i] !== rid) continue;
      this.length--;
      this.rids[i] = this.rids[this.length];
      this.scores[i] = this.scores[this.length];
      return;
    }
  }
}

/** What the index keeps per document: its suffix values as comparable strings, and its _id when an ObjectId. */
export interface TextEntry {
  /** Canonical form of each suffix value (see canonicalValue); undefined for a type without one. */
  readonly suffix: readonly (string | undefined)[];
  /** The ObjectId _id as lower-case hex, whose string order is the ObjectId order; undefined otherwise. */
  readonly idKey: string | undefined;
}

const interned = new Map<string, string>();

function intern(s: string): string {
  const found = interned.get(s);
  if (found !== undefined) return found;
  if (interned.size < 1_000_000) interned.set(s, s);
  return s;
}

/**
 * A string equal for two scalars exactly when MongoDB's equality holds between them (null and missing
 * alike), for the types suffix fields usually hold; undefined for any other type.
 */
export function canonicalValue(v: unknown): string | undefined {
  if (v === null || v === undefined) return 'n';
  switch (typeof v) {
    case 'string':
      return 's' + v;
    case 'number':
      return 'd' + String(v);
    case 'boolean':
      return v ? 'b1' : 'b0';
    case 'object':
      if (v instanceof Date) return 't' + v.getTime();
      if ((v as { _bsontype?: string })._bsontype === 'ObjectId') return 'o' + (v as ObjectId).toHexString();
      return undefined;
    default:
      return undefined;
  }
}

const RECENT_SCORES = 256;

const EMPTY_LOOKUP: ScoreLookup = new Map<number, number>();
const MAX_SCORE_LOOKUPS = 64;

interface ScoreHelper {
  freq: number;
  count: number;
  exp: number;
}

export class TextIndex extends BTreeIndex {
  /** Weighted text fields; `$**` stands for every string field. */
  readonly weights: ReadonlyMap<string, number>;
  readonly defaultLanguage: string;
  readonly languageOverride: string;
  readonly suffixFields: readonly string[];
  private readonly suffixPaths: readonly string[][];
  private readonly postings = new Map<string, Postings>();
  private readonly entries = new Map<number, TextEntry>();
  /** Lists holding a score lookup, least recently asked first. */
  private readonly lookupOrder = new Set<Postings>();
  /** Scores of recently indexed texts (never edited: keysFor copies them into key tuples). */
  private readonly recentScores = new Map<string, Map<string, number>>();

  constructor(spec: IndexSpec) {
    super(spec);
    this.weights = new Map(Object.entries(spec.weights ?? {}).map(([f, w]) => [f, Number(w)]));
    this.defaultLanguage = spec.default_language ?? 'english';
    this.languageOverride = spec.language_override ?? 'language';
    this.suffixFields = Object.keys(spec.key).filter((f) => f !== '_fts' && f !== '_ftsx');
    this.suffixPaths = this.suffixFields.map((f) => f.split('.'));
  }

  /** The language a document is indexed in: its override field, else the index's default. */
  languageOf(doc: Document): string {
    const raw = doc[this.languageOverride];
    return raw === undefined || raw === null ? this.defaultLanguage : requireLanguage(raw, `language override field '${this.languageOverride}'`);
  }

  /** Every string the index reads from a document, with the weight of its field. */
  textsOf(doc: Document): [text: string, weight: number][] {
    const out: [string, number][] = [];
    const wildcard = this.weights.get('$**');
    if (wildcard !== undefined) {
      const visit = (v: unknown, path: string): void => {
        if (typeof v === 'string') out.push([v, this.weights.get(path) ?? wildcard]);
        else if (Array.isArray(v)) for (const e of v) visit(e, path);
        else if (isPlainObject(v)) for (const [k, e] of Object.entries(v)) visit(e, path ? `${path}.${k}` : k);
      };
      for (const [k, v] of Object.entries(doc)) if (k !== '_id') visit(v, k);
      return out;
    }
    for (const [field, weight] of this.weights) {
      for (const v of collectPathValues(doc, field.split('.'), { sawArray: false })) if (typeof v === 'string') out.push([v, weight]);
    }
    return out;
  }

  /**
   * Term → score for a document, as MongoDB's FTSSpec scores each string of each weighted field. An update that
   * leaves the text alone (a like count, a flag) scores the same text twice (before and after), hence the cache.
   */
  scoreDocument(doc: Document, language: string): Map<string, number> {
    const texts = this.textsOf(doc);
    const cacheKey = `${language}\u0000${texts.map(([text, weight]) => `${weight}\u0000${text}`).join('\u0000')}`;
    const cached = this.recentScores.get(cacheKey);
    if (cached) return cached;
    const scores = this.computeScores(texts, language);
    if (this.recentScores.size >= RECENT_SCORES) this.recentScores.delete(this.recentScores.keys().next().value!);
    this.recentScores.set(cacheKey, scores);
    return scores;
  }

  private computeScores(texts: [text: string, weight: number][], language: string): Map<string, number> {
    const scores = new Map<string, number>();
    const opts: TokenOptions = { language, stopWords: true, caseSensitive: false, diacriticSensitive: false };
    for (const [text, weight] of texts) {
      const helpers = new Map<string, ScoreHelper>();
      const tokens = terms(text, opts);
      for (const term of tokens) {
        let h = helpers.get(term);
        if (!h) helpers.set(term, (h = { freq: 0, count: 0, exp: 0 }));
        h.exp = h.exp ? h.exp * 2 : 1;
        h.count += 1;
        h.freq += 1 / h.exp;
      }
      for (const [term, h] of helpers) {
        // Terms frequent within a short field count more; a field that is exactly the term a little more.
        const coeff = (0.5 * h.count) / tokens.length + 0.5;
        const adjustment = text.length === term.length && text.toLowerCase() === term ? 1.1 : 1;
        scores.set(term, (scores.get(term) ?? 0) + weight * h.freq * coeff * adjustment);
      }
    }
    return scores;
  }

  /** One key tuple per document: [terms, scores, suffix values, _id]; null when it holds no term. */
  override keysFor(doc: Document): KeyValues[] | null {
    if (this.partial && !this.partial.test(doc)) return null;
    const scores = this.scoreDocument(doc, this.languageOf(doc));
    const suffix = this.suffixPaths.map((parts) => {
      const state = { sawArray: false };
      const values = collectPathValues(doc, parts, state);
      if (state.sawArray || values.length > 1) {
        throw new CommandError(ErrorCode.CannotIndexParallelArrays, `text index ${this.name} cannot index an array in its scalar field '${parts.join('.')}'`);
      }
      return values[0] ?? null;
    });
    if (scores.size === 0) return null;
    return [[[...scores.keys()], [...scores.values()], suffix, doc._id]];
  }

  override key(v: readonly unknown[], rid: number): IndexKey {
    return { v, rid };
  }

  override load(keys: IndexKey[]): void {
    for (const key of keys) if (typeof key !== 'string') this.add([key.v as KeyValues], key.rid);
  }

  override findConflict(): KeyValues | null {
    return null;
  }

  override add(keys: KeyValues[] | null, rid: number): void {
    if (keys === null) return;
    const [termList, scoreList, suffix, id] = keys[0] as [string[], number[], unknown[], unknown];
    const canonicalId = canonicalValue(id);
    const entry: TextEntry = {
      suffix: suffix.map((v) => {
        const c = canonicalValue(v);
        return c === undefined ? undefined : intern(c);
      }),
      idKey: canonicalId?.startsWith('o') ? canonicalId.slice(1) : undefined,
    };
    this.entries.set(rid, entry);
    termList.forEach((term, i) => {
      let list = this.postings.get(term);
      if (!list) this.postings.set(term, (list = new Postings()));
      list.push(rid, scoreList[i], entry.idKey);
    });
    this.version++;
  }

  override remove(keys: KeyValues[] | null, rid: number): void {
    if (keys === null) return;
    for (const term of keys[0][0] as string[]) {
      const list = this.postings.get(term);
      if (!list) continue;
      list.remove(rid);
      if (list.length === 0) {
        this.postings.delete(term);
        this.lookupOrder.delete(list);
      }
    }
    this.entries.delete(rid);
    this.version++;
  }

  /** A term's posting list (read it before anything can change the index: a query scans it to its end at once). */
  postingsOf(term: string): Readonly<Pick<Postings, 'rids' | 'scores' | 'length'>> | undefined {
    return this.postings.get(term);
  }

  /**
   * A term's entries by score, then by ObjectId _id newest first: the order of a search ranked by relevance then
   * recency, so a single-term search reads only as far down as its page reaches. Undefined when some entry's _id
   * is not an ObjectId. Sorted once, then kept in order as entries come and go.
   */
  rankedPostingsOf(term: string): { rids: Int32Array; scores: Float64Array } | undefined {
    const list = this.postings.get(term);
    if (!list) return { rids: new Int32Array(0), scores: new Float64Array(0) };
    if (!list.ranked) {
      const ids: string[] = [];
      for (let i = 0; i < list.length; i++) {
        const idKey = this.entries.get(list.rids[i])?.idKey;
        if (idKey === undefined) return undefined;
        ids.push(idKey);
      }
      const order = Array.from({ length: list.length }, (_, i) => i);
      order.sort((a, b) => list.scores[b] - list.scores[a] || (ids[a] < ids[b] ? 1 : ids[a] > ids[b] ? -1 : 0));
      const ranked = new RankedRids((rid) => this.entries.get(rid)!.idKey!);
      ranked.rids = Int32Array.from(order, (i) => list.rids[i]);
      ranked.scores = Float64Array.from(order, (i) => list.scores[i]);
      ranked.length = list.length;
      list.ranked = ranked;
    }
    const { ranked } = list;
    return { rids: ranked.rids.subarray(0, ranked.length), scores: ranked.scores.subarray(0, ranked.length) };
  }

  /**
   * A term's score per record id, for a search of several terms that walks their ranked lists and needs each
   * document's whole score as soon as one list reaches it. Kept up to date like the ranked order, for the
   * MAX_SCORE_LOOKUPS terms asked for most recently (a map costs some 50 bytes per entry; a common term's array 8 per
   * record).
   */
  scoreLookupOf(term: string): ScoreLookup {
    const list = this.postings.get(term);
    if (!list) return EMPTY_LOOKUP;
    this.lookupOrder.delete(list);
    this.lookupOrder.add(list);
    if (!list.lookup) {
      let largest = 0;
      for (let i = 0; i < list.length; i++) if (list.rids[i] > largest) largest = list.rids[i];
      const lookup: KeptScores = list.length >= largest * DENSE_SHARE ? new DenseScores(largest + 1) : new Map<number, number>();
      for (let i = 0; i < list.length; i++) lookup.set(list.rids[i], list.scores[i]);
      list.lookup = lookup;
      if (this.lookupOrder.size > MAX_SCORE_LOOKUPS) {
        const oldest = this.lookupOrder.values().next().value!;
        this.lookupOrder.delete(oldest);
        oldest.lookup = null;
      }
    }
    return list.lookup;
  }

  entryOf(rid: number): TextEntry | undefined {
    return this.entries.get(rid);
  }

  /** Index entries (term, document) held: what explain and the bench count. */
  get size(): number {
    let n = 0;
    for (const list of this.postings.values()) n += list.length;
    return n;
  }

  /** Whether a document holds a phrase in any of the index's strings. */
  holdsPhrase(doc: Document, phrase: string, flags: Pick<TokenOptions, 'language' | 'caseSensitive' | 'diacriticSensitive'>): boolean {
    return this.textsOf(doc).some(([text]) => containsPhrase(text, phrase, flags));
  }

  /** The document's terms under the query's flags (for negations and case- or diacritic-sensitive checks). */
  termsOf(doc: Document, flags: Omit<TokenOptions, 'stopWords'>): Set<string> {
    const out = new Set<string>();
    const opts: TokenOptions = { ...flags, stopWords: true };
    for (const [text] of this.textsOf(doc)) for (const term of terms(text, opts)) out.add(term);
    return out;
  }
}

export function isTextIndex(index: BTreeIndex): index is TextIndex {
  return index instanceof TextIndex;
}

/** The index class a spec calls for. */
export function indexFor(spec: IndexSpec): BTreeIndex {
  return spec.key._fts === 'text' ? new TextIndex(spec) : new BTreeIndex(spec);
}
