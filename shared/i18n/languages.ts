// The languages the forum speaks, and how a request's language is chosen. One list: the catalogues under
// messages/, the profile's language picker, Me.language's validation and the e-mails all read it.

export const LANGUAGES = {
  en: { name: 'English', dir: 'ltr' },
  ar: { name: 'العربية', dir: 'rtl' },
} as const satisfies Record<string, { name: string; dir: 'ltr' | 'rtl' }>;

export type Language = keyof typeof LANGUAGES;
export type Direction = 'ltr' | 'rtl';

export const DEFAULT_LANGUAGE: Language = 'en';
export const SUPPORTED_LANGUAGES = Object.keys(LANGUAGES) as Language[];

export function isSupportedLanguage(value: unknown): value is Language {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(LANGUAGES, value);
}

export function directionOf(language: Language): Direction {
  return LANGUAGES[language].dir;
}

/**
 * The supported language a BCP 47 tag asks for: an exact match, else its primary subtag ("ar-EG" → "ar",
 * "en-GB" → "en"), else null. Case-insensitive, as tags are.
 */
export function supportedLanguageFor(tag: string | null | undefined): Language | null {
  if (!tag) return null;
  const lower = tag.trim().toLowerCase();
  if (isSupportedLanguage(lower)) return lower;
  const primary = lower.split(/[-_]/)[0];
  return isSupportedLanguage(primary) ? primary : null;
}

/**
 * The languages an Accept-Language header asks for, best first (q-values honoured, q=0 refused, "*" and
 * malformed entries skipped). At most 20 entries are read, so a hostile header costs nothing.
 */
export function parseAcceptLanguage(header: string | null | undefined): string[] {
  if (!header) return [];
  const entries: { tag: string; q: number; order: number }[] = [];
  for (const [order, part] of header.split(',').slice(0, 20).entries()) {
    const [rawTag, ...params] = part.trim().split(';');
    const tag = rawTag!.trim();
    if (!/^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$/.test(tag)) continue;
    let q = 1;
    for (const param of params) {
      if (!/^\s*q\s*=/.test(param)) continue;
      const match = /^\s*q\s*=\s*([01](\.[0-9]{0,3})?)\s*$/.exec(param);
      q = match ? Number(match[1]) : NaN;
    }
    if (!(q > 0 && q <= 1)) continue;
    entries.push({ tag, q, order });
  }
  return entries.sort((a, b) => b.q - a.q || a.order - b.order).map((entry) => entry.tag);
}

/**
 * The language to speak: the account's preference when it is one we have, else the first supported
 * language the browser asks for, else English.
 */
export function chooseLanguage(preference: string | null | undefined, acceptLanguage?: string | readonly string[] | null): Language {
  const fromPreference = supportedLanguageFor(preference);
  if (fromPreference) return fromPreference;
  const asked = typeof acceptLanguage === 'string' || acceptLanguage == null ? parseAcceptLanguage(acceptLanguage) : acceptLanguage;
  for (const tag of asked) {
    const language = supportedLanguageFor(tag);
    if (language) return language;
  }
  return DEFAULT_LANGUAGE;
}
