// Asks before leaving a page with unsaved text: in-app navigation asks through `confirm`, closing or
// reloading the tab through the browser's own `beforeunload` prompt.

type Guard = () => string | null;

/**
 * `page`: text lost by leaving the page (an edit in progress). `tab`: text kept while the tab lives (a
 * draft), lost only when the tab closes.
 */
export type GuardScope = 'page' | 'tab';

const guards = new Map<Guard, GuardScope>();

/** Registers a check that names what would be lost (or null); returns the function that removes it. */
export function guardLeaving(guard: Guard, scope: GuardScope): () => void {
  guards.set(guard, scope);
  return () => guards.delete(guard);
}

function unsaved(scopes: readonly GuardScope[]): string | null {
  for (const [guard, scope] of guards) {
    if (!scopes.includes(scope)) continue;
    const message = guard();
    if (message) return message;
  }
  return null;
}

/** Whether the person agrees to leave the page (true when nothing would be lost). */
export function mayLeave(): boolean {
  const message = unsaved(['page']);
  return message === null || confirm(message);
}

// The server renders the homepage with this module loaded, where there is no window.
if (typeof window !== 'undefined') window.addEventListener('beforeunload', (event) => {
  if (unsaved(['page', 'tab'])) event.preventDefault();
});
