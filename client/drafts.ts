// Unsent posts and replies, one draft per group and per reply thread, kept in this tab's sessionStorage:
// they survive moving around the forum and a reload, end with the tab, and are dropped on sign-out so the
// next person at a shared computer never finds them.
import { session } from './session';

const STORAGE_KEY = 'forum.drafts';

/** The composer a draft belongs to: a group's new-post box, or the reply box of one post. */
export function draftKey(groupId: string, parentId: string | null): string {
  return parentId ? `reply:${parentId}` : `group:${groupId}`;
}

function readAll(): Record<string, string> {
  try {
    const parsed: unknown = JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? '{}');
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, string>) : {};
  } catch {
    return {};
  }
}

export function loadDraft(key: string): string {
  return readAll()[key] ?? '';
}

/** Stores the draft's HTML; an empty one is removed. Storage may be full or refused: the draft then lives as long as the page. */
export function saveDraft(key: string, html: string): void {
  const drafts = readAll();
  if (html) drafts[key] = html;
  else delete drafts[key];
  try {
    if (Object.keys(drafts).length) sessionStorage.setItem(STORAGE_KEY, JSON.stringify(drafts));
    else sessionStorage.removeItem(STORAGE_KEY);
  } catch {
    // Nothing to do: the composer still holds the text.
  }
}

session.tokenChanges.subscribe((token) => {
  if (token === null) sessionStorage.removeItem(STORAGE_KEY);
});
