// What a member types into the search box, split into the text MongoDB's $text reads (words, "phrases",
// -excluded) and the filters this forum adds (`in:<group slug>`, `from:<user id>`).
import { Types } from 'mongoose';
import { z } from 'zod';
import type { SearchType } from '../../shared/api';
import { Invalid } from '../errors';
import { parseBody, problem } from '../http/validation';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../services/pagination';

export const MAX_QUERY_CHARS = 200;
/** Deeper than this a reader refines the query; it also bounds what one request may sort. */
export const MAX_SEARCH_OFFSET = 1000;

export interface SearchRequest {
  type: SearchType;
  /** The $text search string: words, phrases and negations, without in:/from:. */
  text: string;
  groupSlug: string | null;
  authorId: Types.ObjectId | null;
  limit: number;
  /** Results ranked by relevance have no stable key to continue from, so the cursor is a position. */
  offset: number;
}

const searchSchema = z.object({
  q: z.string().trim().min(1, problem('errors.field.notEmpty')).max(MAX_QUERY_CHARS, problem('errors.field.atMostChars', { max: MAX_QUERY_CHARS })),
  type: z.enum(['posts', 'groups', 'people']).default('posts'),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
  cursor: z
    .string()
    .regex(/^\d{1,4}$/, problem('errors.field.cursor'))
    .refine((c) => Number(c) <= MAX_SEARCH_OFFSET, problem('errors.field.cursor'))
    .optional(),
});

export function parseSearchRequest(query: unknown): SearchRequest {
  const { q, type, limit, cursor } = parseBody(searchSchema, query);
  let groupSlug: string | null = null;
  let authorId: Types.ObjectId | null = null;
  // in:/from: count only outside phrases: a quoted "in:x" is text.
  const text = q.replace(/"[^"]*"?|(^|\s)(in|from):(\S*)/g, (whole: string, lead: string | undefined, key: string | undefined, value: string | undefined) => {
    if (!key) return whole;
    if (key === 'in') {
      if (!/^[a-z0-9-]{1,100}$/.test(value!)) throw new Invalid('q', 'errors.field.searchIn');
      groupSlug = value!;
    } else {
      if (!/^[0-9a-f]{24}$/i.test(value!)) throw new Invalid('q', 'errors.field.searchFrom');
      authorId = new Types.ObjectId(value!);
    }
    return lead ?? '';
  });
  if (!/[\p{L}\p{N}]/u.test(text.replace(/(^|\s)-("[^"]*"?|\S+)/g, ' '))) throw new Invalid('q', 'errors.field.searchWord');
  if (type !== 'posts' && (groupSlug || authorId)) throw new Invalid('q', 'errors.field.searchFilters');
  return { type, text: text.trim(), groupSlug, authorId, limit, offset: cursor ? Number(cursor) : 0 };
}
