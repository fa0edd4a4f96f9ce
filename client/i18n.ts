// The language this tab speaks. English is in the bundle; another language's catalogue is fetched when first
// needed (one chunk per namespace, never the e-mails' nor the server's errors), so the homepage carries one language only.
// Chosen from: the signed-in account's `language`, else the visitor's own pick (kept in localStorage, never
// a cookie), else the language the server rendered the page in (its Accept-Language), else the browser's.
import enAdmin from '../shared/i18n/messages/en/admin.json';
import enCommon from '../shared/i18n/messages/en/common.json';
import enMember from '../shared/i18n/messages/en/member.json';
import enModeration from '../shared/i18n/messages/en/moderation.json';
import enPrivacy from '../shared/i18n/messages/en/privacy.json';
import enVisitor from '../shared/i18n/messages/en/visitor.json';
import { CLIENT_NAMESPACES, type ClientCatalogue, type ClientMessageKey } from '../shared/i18n/catalogues';
import { chooseLanguage, DEFAULT_LANGUAGE, isSupportedLanguage, type Language } from '../shared/i18n/languages';
import { Translator } from '../shared/i18n/translator';
import { session } from './session';
import { createStore, useStore } from './store';

export type ClientTranslator = Translator<ClientMessageKey>;

const english: ClientCatalogue = { ...enCommon, ...enVisitor, ...enMember, ...enModeration, ...enAdmin, ...enPrivacy };
const catalogues = new Map<Language, ClientCatalogue>([['en', english]]);
const translator = createStore<ClientTranslator>(new Translator('en', english));

const CHOICE_KEY = 'forum.language';

async function loadCatalogue(language: Language): Promise<ClientCatalogue> {
  const known = catalogues.get(language);
  if (known) return known;
  const parts = await Promise.all(
    CLIENT_NAMESPACES.map(
      (namespace) =>
        import(
          /* webpackChunkName: "messages-[request]", webpackExclude: /(\/en\/|(mail|errors)\.json$)/ */
          `../shared/i18n/messages/${language}/${namespace}.json`
        ) as Promise<{ default: Record<string, string> }>,
    ),
  );
  const catalogue = Object.assign({}, ...parts.map((part) => part.default)) as ClientCatalogue;
  catalogues.set(language, catalogue);
  return catalogue;
}

let wanted: Language = DEFAULT_LANGUAGE;

/** Speak `language` from now on (once its catalogue is here); the document's lang and dir follow. */
export async function switchLanguage(language: Language): Promise<void> {
  wanted = language;
  const catalogue = await loadCatalogue(language);
  // A later choice that arrived first wins.
  if (wanted !== language || translator.get().language === language) return;
  translator.set(new Translator(language, catalogue));
  if (typeof document !== 'undefined') {
    document.documentElement.lang = language;
    document.documentElement.dir = translator.get().dir;
  }
}

/** The visitor's own pick (signed-in people set `language` in their profile instead). */
export function chooseVisitorLanguage(language: Language): Promise<void> {
  try {
    localStorage.setItem(CHOICE_KEY, language);
  } catch {
    // Storage can be disabled: the pick then lasts as long as the tab.
  }
  return switchLanguage(language);
}

function visitorPick(): string | null {
  try {
    return localStorage.getItem(CHOICE_KEY);
  } catch {
    return null;
  }
}

/** The language for this tab right now, from what is known of the person and the browser. */
export function currentPreference(): Language {
  const state = session.state.get();
  if (state.status === 'user') return chooseLanguage(state.me.language, navigator.languages);
  const rendered = document.documentElement.dataset.renderedLanguage;
  return chooseLanguage(visitorPick() ?? (isSupportedLanguage(rendered) ? rendered : null), navigator.languages);
}

/**
 * Loads the language the tab should start in; main.tsx waits for it before drawing, so a page the server
 * rendered in Arabic hydrates in Arabic. Later the account's preference is followed as it changes.
 */
export function startLanguage(): Promise<void> {
  session.state.subscribe((state) => {
    if (state.status === 'user' && isSupportedLanguage(state.me.language)) void switchLanguage(state.me.language);
  });
  return switchLanguage(currentPreference());
}

/** For the server renderer: speak this language with the catalogue the server already holds. */
export function provideCatalogue(language: Language, catalogue: ClientCatalogue): void {
  catalogues.set(language, catalogue);
  wanted = language;
  translator.set(new Translator(language, catalogue));
}

export function useT(): ClientTranslator {
  return useStore(translator);
}

/** Outside components (titles, confirm dialogs): the translator in use right now. */
export function currentTranslator(): ClientTranslator {
  return translator.get();
}
