// The message catalogues: one JSON file per namespace and language under messages/<language>/, every key
// prefixed with its namespace ("admin.users.title" lives in admin.json). English is the reference: its keys
// are the type MessageKey, and scripts/check-catalogues.ts fails the build when another language lacks
// one (or has one English lacks, or a message that does not parse, or other arguments than English's).
// Adding a language: add it to languages.ts and copy messages/en/ to messages/<tag>/, translated.

export const NAMESPACES = ['common', 'visitor', 'member', 'moderation', 'admin', 'privacy', 'mail', 'errors'] as const;
export type Namespace = (typeof NAMESPACES)[number];

type EnglishCatalogue = typeof import('./messages/en/common.json') &
  typeof import('./messages/en/visitor.json') &
  typeof import('./messages/en/member.json') &
  typeof import('./messages/en/moderation.json') &
  typeof import('./messages/en/admin.json') &
  typeof import('./messages/en/privacy.json') &
  typeof import('./messages/en/mail.json') &
  typeof import('./messages/en/errors.json');

export type MessageKey = Extract<keyof EnglishCatalogue, string>;

/** One language's messages, every namespace merged (keys are already unique by their prefix). */
export type Catalogue = Readonly<Record<MessageKey, string>>;

/** What the client loads: everything but the e-mails and the server's error messages (rendered by the server). */
export type ClientMessageKey = Exclude<MessageKey, `mail.${string}` | `errors.${string}`>;
export type ClientCatalogue = Readonly<Record<ClientMessageKey, string>>;
export const CLIENT_NAMESPACES = NAMESPACES.filter((namespace) => namespace !== 'mail' && namespace !== 'errors');

/** As read from disk, before it is known to be complete. */
export type NamespaceFiles = Readonly<Record<Namespace, Readonly<Record<string, string>>>>;

export function mergeNamespaces(files: NamespaceFiles): Record<string, string> {
  return Object.assign({}, ...NAMESPACES.map((namespace) => files[namespace]));
}
