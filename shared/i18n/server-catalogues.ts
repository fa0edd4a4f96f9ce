// Every language's catalogue, read at start-up: for the server (e-mails, the rendered homepage) and tests.
// The client must not import this file; it loads the one language it speaks (the rest lazily).
import arAdmin from './messages/ar/admin.json';
import arCommon from './messages/ar/common.json';
import arErrors from './messages/ar/errors.json';
import arMail from './messages/ar/mail.json';
import arMember from './messages/ar/member.json';
import arModeration from './messages/ar/moderation.json';
import arPrivacy from './messages/ar/privacy.json';
import arVisitor from './messages/ar/visitor.json';
import enAdmin from './messages/en/admin.json';
import enCommon from './messages/en/common.json';
import enErrors from './messages/en/errors.json';
import enMail from './messages/en/mail.json';
import enMember from './messages/en/member.json';
import enModeration from './messages/en/moderation.json';
import enPrivacy from './messages/en/privacy.json';
import enVisitor from './messages/en/visitor.json';
import { mergeNamespaces, type Catalogue, type NamespaceFiles } from './catalogues';
import { type Language } from './languages';
import { Translator, type TranslatorOptions } from './translator';

/** As on disk, per language and namespace: what scripts/check-catalogues.ts and its test inspect. */
export const CATALOGUE_FILES: Record<Language, NamespaceFiles> = {
  en: { common: enCommon, visitor: enVisitor, member: enMember, moderation: enModeration, admin: enAdmin, privacy: enPrivacy, mail: enMail, errors: enErrors },
  ar: { common: arCommon, visitor: arVisitor, member: arMember, moderation: arModeration, admin: arAdmin, privacy: arPrivacy, mail: arMail, errors: arErrors },
};

// The build refuses incomplete catalogues, so every merged catalogue has every key.
const catalogues = Object.fromEntries(
  Object.entries(CATALOGUE_FILES).map(([language, files]) => [language, mergeNamespaces(files) as Catalogue]),
) as Record<Language, Catalogue>;

/** Every message of a language (the server renderer hands it to the client's components). */
export function catalogueOf(language: Language): Catalogue {
  return catalogues[language];
}

const shared = new Map<Language, Translator>();

/** A translator for the language (cached per language when no time zone is asked for). */
export function translatorFor(language: Language, options?: TranslatorOptions): Translator {
  if (options?.timeZone) return new Translator(language, catalogues[language], options);
  let translator = shared.get(language);
  if (!translator) shared.set(language, (translator = new Translator(language, catalogues[language])));
  return translator;
}
