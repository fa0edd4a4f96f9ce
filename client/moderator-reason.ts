// A site moderator's stated reason for reading closed groups they are not in, kept in this tab's memory only
// (never stored, gone on reload or sign-out): the reads it opens (group posts, posts, replies and a group's
// live feed) carry it, and the server audits each one.
import { session } from './session';
import { createStore } from './store';

export const moderatorReason = createStore<string | null>(null);

session.tokenChanges.subscribe(() => moderatorReason.set(null));
