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
  const { limit, cursor } = parseBody(pageQuerySchema, query);
  return { limit, after: cursor ? new Types.ObjectId(cursor) : null };
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

/** toPage for items presented as UTF-8 JSON (each in chunks): the page's JSON bytes, exactly as JSON.stringify writes toPage's page. */
export async function toPageJson<Row extends { _id: Types.ObjectId }>(
  rows: readonly Row[],
  page: Pick<PageRequest, 'limit'>,
  present: (rows: readonly Row[]) => Promise<readonly (readonly Buffer[])[]>,
): Promise<Buffer> {
  const more = rows.length > page.limit;
  const kept = more ? rows.slice(0, page.limit) : rows;
  return pageJson(await present(kept), more ? String(kept[kept.length - 1]!._id) : null);
}

/** A Page's UTF-8 JSON from its items' JSON chunks, exactly as JSON.stringify writes `{items, nextCursor}`. */
export function pageJson(items: readonly (readonly Buffer[])[], nextCursor: string | null): Buffer {
  const parts: Buffer[] = [ITEMS_OPEN];
  for (let i = 0; i < items.length; i++) {
    if (i > 0) parts.push(COMMA);
    for (const chunk of items[i]!) parts.push(chunk);
  }
  parts.push(ITEMS_CLOSE, Buffer.from(JSON.stringify(nextCursor)), PAGE_CLOSE);
  return Buffer.concat(parts);
}

const ITEMS_OPEN = Buffer.from('{"items":[');
const COMMA = Buffer.from(',');
const ITEMS_CLOSE = Buffer.from('],"nextCursor":');
const PAGE_CLOSE = Buffer.from('}');
