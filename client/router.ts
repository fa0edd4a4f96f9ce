// History API routing: the server answers every non-API path with the same shell, the client picks the page.
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

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (options.replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  locationStore.set(current());
  if (!options.replace) window.scrollTo(0, 0);
}

if (inBrowser) window.addEventListener('popstate', () => locationStore.set(current()));

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
