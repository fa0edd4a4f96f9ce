// The server's entry (built by webpack for Node beside the browser bundle): the homepage as a visitor's
// browser first draws it, from the same components, so the browser can hydrate the HTML.
import renderToString from 'preact-render-to-string';
import type { PublicFeedPage } from '../shared/api';
import type { Brand } from '../shared/brand';
import { App } from './app';
import { setBrand } from './brand';
import { provideInitialFeed } from './initial-data';

/** The inside of `<div id="app">` for `/`, for a visitor. */
export function renderHomepage(feed: PublicFeedPage, brand: Brand): string {
  setBrand(brand);
  provideInitialFeed(feed);
  return renderToString(<App />);
}
