// Cursor pagination, newest first. Ordering by _id (time-ordered ObjectIds) keeps pages stable under
// concurrent inserts: a new item sorts before any cursor already handed out, so pages never repeat or skip.
import { Types } from 'mongoose';
import { z } from 'zod';
import type { Page } from '../../shared/api';
import { parseBody, problem } from '../http/validation';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 50;

export interface PageRequest {
  limit: number;
  /** Items strictly older (newest-first lists) or newer (oldest-first lists) than this id. */
  after: Types.ObjectId | null;
}

const pageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
  cursor: z
    .string()
    .regex(/^[0-9a-f]{24}$/i, problem('errors.field.cursor'))
    .optional(),
});

export function parsePageRequest(query: unknown): PageRequest {
  // Most requests are a first page of the default size: zod's parse of `{}` cost a feed request more than its
  // own validation is worth (docs/performance.md, issue 23).
  if (isEmptyObject(query)) return { limit: DEFAULT_PAGE_SIZE, after: null };
  const { limit, cursor } = parseBody(pageQuerySchema, query);
  return { limit, after: cursor ? new Types.ObjectId(cursor) : null };
}

function isEmptyObject(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  for (const key in value) if (Object.hasOwn(value, key)) return false;
  return true;
}

/** Filter piece to add to a query sorted by `{_id: direction}`. */
export function cursorFilter(page: PageRequest, direction: -1 | 1 = -1): Record<string, unknown> {
  if (!page.after) return {};
  return { _id: direction === -1 ? { $lt: page.after } : { $gt: page.after } };
}

/**
 * Fetch `limit + 1` rows, then call this: the extra row only tells whether there is a next page.
 * The cursor is the last kept row's `_id`, unless the list is ordered by another key (`cursorOf`).
 */
export async function toPage<Row extends { _id: Types.ObjectId }, Item>(
  rows: Row[],
  page: Pick<PageRequest, 'limit'>,
  present: (rows: Row[]) => Item[] | Promise<Item[]>,
  cursorOf: (row: Row) => string = (row) => String(row._id),
): Promise<Page<Item>> {
  const more = rows.length > page.limit;
  const kept = more ? rows.slice(0, page.limit) : rows;
  return { items: await present(kept), nextCursor: more ? cursorOf(kept[kept.length - 1]!) : null };
}

/**
 * toPage for items presented as UTF-8 JSON (each in chunks), the kept rows' items already presented: the page's
 * JSON bytes, exactly as JSON.stringify writes toPage's page.
 */
export function writePageJson(rows: readonly { _id: Types.ObjectId }[], page: Pick<PageRequest, 'limit'>, items: readonly (readonly Buffer[])[]): Buffer {
  const more = rows.length > page.limit;
  return pageJson(items, more ? String(rows[page.limit - 1]!._id) : null);
}

/** A Page's UTF-8 JSON from its items' JSON chunks, exactly as JSON.stringify writes `{items, nextCursor}`. */
export function pageJson(items: readonly (readonly Buffer[])[], nextCursor: string | null): Buffer {
  const cursor = Buffer.from(JSON.stringify(nextCursor));
  let length = ITEMS_OPEN.length + Math.max(0, items.length - 1) + ITEMS_CLOSE.length + cursor.length + PAGE_CLOSE.length;
  for (const item of items) for (const chunk of item) length += chunk.length;
  // One allocation and TypedArray#set per piece: Buffer.concat's per-piece copy builds a view each time.
  const out = Buffer.allocUnsafeSlow(length);
  let at = 0;
  const put = (chunk: Uint8Array): void => {
    out.set(chunk, at);
    at += chunk.length;
  };
  put(ITEMS_OPEN);
  for (let i = 0; i < items.length; i++) {
    if (i > 0) put(COMMA);
    for (const chunk of items[i]!) put(chunk);
  }
  put(ITEMS_CLOSE);
  put(cursor);
  put(PAGE_CLOSE);
  return out;
}

const ITEMS_OPEN = Buffer.from('{"items":[');
const COMMA = Buffer.from(',');
const ITEMS_CLOSE = Buffer.from('],"nextCursor":');
const PAGE_CLOSE = Buffer.from('}');
