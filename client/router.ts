// History API routing: the server answers every non-API path with the same shell, the client picks the page.
import { mayLeave } from './leave-guard';
import { createStore, useStore } from './store';

export interface Location {
  path: string;
  search: URLSearchParams;
}

/** Rendered on the server (client/ssr.tsx) there is no location: the server renders the homepage only. */
const inBrowser = typeof window !== 'undefined';

function current(): Location {
  if (!inBrowser) return { path: '/', search: new URLSearchParams() };
  return { path: location.pathname.replace(/\/+$/, '') || '/', search: new URLSearchParams(location.search) };
}

const locationStore = createStore<Location>(current());

export function navigate(to: string, options: { replace?: boolean; force?: boolean } = {}): void {
  if (!options.force && !mayLeave()) return;
  rememberScroll();
  if (options.replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  locationStore.set(current());
  if (!options.replace) window.scrollTo(0, 0);
}

// Going back returns to where one was: each history entry keeps its scroll position, and a page whose
// content loads after the move is scrolled there once it is tall enough (or the person scrolls first).
if (inBrowser) history.scrollRestoration = 'manual';

function rememberScroll(): void {
  const state: unknown = history.state;
  history.replaceState({ ...(state && typeof state === 'object' ? state : {}), scrollY: window.scrollY }, '');
}

let saveTimer: ReturnType<typeof setTimeout> | null = null;
if (inBrowser) window.addEventListener(
  'scroll',
  () => {
    saveTimer ??= setTimeout(() => {
      saveTimer = null;
      rememberScroll();
    }, 200);
  },
  { passive: true },
);

let stopRestoring: (() => void) | null = null;

function restoreScroll(y: number): void {
  stopRestoring?.();
  const deadline = Date.now() + 5000;
  let frame = 0;
  const stop = () => {
    cancelAnimationFrame(frame);
    for (const event of ['wheel', 'touchstart', 'keydown'] as const) window.removeEventListener(event, stop);
    stopRestoring = null;
  };
  const step = () => {
    const reachable = document.documentElement.scrollHeight - window.innerHeight;
    window.scrollTo(0, Math.min(y, Math.max(0, reachable)));
    if (reachable >= y || Date.now() > deadline) stop();
    else frame = requestAnimationFrame(step);
  };
  for (const event of ['wheel', 'touchstart', 'keydown'] as const) window.addEventListener(event, stop, { passive: true });
  stopRestoring = stop;
  frame = requestAnimationFrame(step);
}

if (inBrowser) window.addEventListener('popstate', (event) => {
  locationStore.set(current());
  const y = (event.state as { scrollY?: unknown } | null)?.scrollY;
  restoreScroll(typeof y === 'number' ? y : 0);
});

// Plain <a href> links navigate in place unless the person asked for a new tab or a download.
if (inBrowser) document.addEventListener('click', (event) => {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const link = (event.target as Element | null)?.closest?.('a');
  if (!link || link.target || link.hasAttribute('download') || link.origin !== location.origin) return;
  if (/^\/(api|media|socket\.io)\//.test(link.pathname)) return;
  if (link.hash && link.pathname === location.pathname) return;
  event.preventDefault();
  navigate(link.pathname + link.search + link.hash);
});

export function useLocation(): Location {
  return useStore(locationStore);
}

export { matchPath } from '../shared/client-routes';
