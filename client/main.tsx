import { hydrate, render } from 'preact';
import { App } from './app';
import { embeddedFeed, provideInitialFeed } from './initial-data';
import { session } from './session';

const root = document.getElementById('app')!;
// The server renders the homepage as a visitor sees it; a signed-in tab is sent on to its feed, so it
// draws afresh instead of adopting the visitor's HTML.
if (root.dataset.rendered === 'home' && !session.token()) {
  provideInitialFeed(embeddedFeed());
  hydrate(<App />, root);
} else {
  root.textContent = '';
  render(<App />, root);
}
