// The server's entry (built by webpack for Node beside the browser bundle): the homepage as a visitor's
// browser first draws it, from the same components, so the browser can hydrate the HTML.
import renderToString from 'preact-render-to-string';
import type { PublicFeedPage } from '../shared/api';
import type { Brand } from '../shared/brand';
import type { ClientCatalogue } from '../shared/i18n/catalogues';
import type { Language } from '../shared/i18n/languages';
import { App } from './app';
import { setBrand } from './brand';
import { provideCatalogue } from './i18n';
import { provideInitialFeed } from './initial-data';

/** The inside of `<div id="app">` for `/`, for a visitor, in `language` (the server holds every catalogue). */
export function renderHomepage(feed: PublicFeedPage, brand: Brand, language: Language, catalogue: ClientCatalogue): string {
  setBrand(brand);
  provideCatalogue(language, catalogue);
  provideInitialFeed(feed);
  return renderToString(<App />);
}
