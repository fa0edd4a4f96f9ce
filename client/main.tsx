import { hydrate, render } from 'preact';
import { App } from './app';
import { currentTranslator, startLanguage } from './i18n';
import { embeddedFeed, provideInitialFeed } from './initial-data';
import { session } from './session';

const root = document.getElementById('app')!;

void startLanguage()
  // A catalogue that cannot be fetched leaves the page in English rather than blank.
  .catch(() => undefined)
  .then(() => {
    // The server renders the homepage as a visitor sees it; a signed-in tab is sent on to its feed, so it
    // draws afresh instead of adopting the visitor's HTML, and so does a visitor who picked another language
    // than the one the server rendered in.
    const rendered = root.dataset.rendered === 'home' && document.documentElement.dataset.renderedLanguage === currentTranslator().language;
    if (rendered && !session.token()) {
      provideInitialFeed(embeddedFeed());
      hydrate(<App />, root);
    } else {
      root.textContent = '';
      render(<App />, root);
    }
  });
