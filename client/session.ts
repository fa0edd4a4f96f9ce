// Who is using this tab. The bearer token lives in localStorage (never a cookie); the account is fetched from /api/me.
import type { Me } from '../shared/api';
import { createStore, useStore } from './store';

const TOKEN_KEY = 'forum.token';

export type SessionState =
  | { status: 'loading' }
  | { status: 'visitor'; expired: boolean }
  | { status: 'user'; me: Me };

function readToken(): string | null {
  try {
    return localStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

function writeToken(token: string | null): void {
  try {
    if (token) localStorage.setItem(TOKEN_KEY, token);
    else localStorage.removeItem(TOKEN_KEY);
  } catch {
    // Storage can be disabled; the session then lasts as long as the tab.
  }
}

let currentToken = readToken();
const state = createStore<SessionState>(currentToken ? { status: 'loading' } : { status: 'visitor', expired: false });
const tokenChanges = createStore<string | null>(currentToken);

export const session = {
  state,
  /** Fires when the token changes, so the live connection can re-authenticate. */
  tokenChanges,
  token: () => currentToken,
  signIn(token: string, me: Me) {
    currentToken = token;
    writeToken(token);
    tokenChanges.set(token);
    state.set({ status: 'user', me });
  },
  update(me: Me) {
    if (currentToken) state.set({ status: 'user', me });
  },
  signOut() {
    currentToken = null;
    writeToken(null);
    tokenChanges.set(null);
    state.set({ status: 'visitor', expired: false });
  },
  /** The server refused the token (revoked, expired or the account was erased). */
  expire() {
    currentToken = null;
    writeToken(null);
    tokenChanges.set(null);
    state.set({ status: 'visitor', expired: true });
  },
};

// Another tab signing in or out changes this tab too (the server renderer has no tabs).
if (typeof window !== 'undefined') window.addEventListener('storage', (event) => {
  if (event.key !== TOKEN_KEY) return;
  if (!event.newValue) session.signOut();
  else if (event.newValue !== currentToken) location.reload();
});

export function useSession(): SessionState {
  return useStore(state);
}

export function isModerator(me: Me): boolean {
  return me.roles.includes('moderator') || me.roles.includes('admin');
}

let lastMe: Me | null = null;

/** The signed-in account, for pages that are only ever rendered behind the sign-in check. */
export function useMe(): Me {
  const current = useSession();
  if (current.status === 'user') lastMe = current.me;
  if (!lastMe) throw new Error('useMe used outside a signed-in page');
  return lastMe;
}
