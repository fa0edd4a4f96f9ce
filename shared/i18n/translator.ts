// Turning a message key into words in one language: ICU MessageFormat (plurals, selects, numbers, dates)
// through intl-messageformat, each message compiled once per translator. Dates and numbers use Intl in the
// translator's language and time zone, so "3 minutes ago" and "2 Dec 2026" read as the person expects.
import { IntlMessageFormat } from 'intl-messageformat';
import type { MessageKey } from './catalogues';
import { directionOf, type Direction, type Language } from './languages';

export type MessageValue = string | number | Date | boolean | null | undefined;
export type MessageValues = Readonly<Record<string, MessageValue>>;
/** A tag in a message (`<link>privacy policy</link>`) becomes whatever this returns for its chunks. */
export type RichValues<T> = Readonly<Record<string, MessageValue | ((chunks: (string | T)[]) => T)>>;

export interface TranslatorOptions {
  /** IANA zone for dates and times; the runtime's own zone when absent (the browser's, in the client). */
  timeZone?: string;
}

const RELATIVE_STEPS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];

/**
 * K is the keys this translator has: every key on the server, every key but the e-mails' in the client
 * (which never loads the mail namespace).
 */
export class Translator<K extends string = MessageKey> {
  readonly dir: Direction;
  private readonly compiled = new Map<K, IntlMessageFormat>();
  private readonly dateTime: Intl.DateTimeFormat;
  private readonly dateOnly: Intl.DateTimeFormat;
  private readonly relative: Intl.RelativeTimeFormat;
  private readonly numbers: Intl.NumberFormat;

  constructor(
    readonly language: Language,
    private readonly catalogue: Readonly<Record<K, string>>,
    private readonly options: TranslatorOptions = {},
  ) {
    this.dir = directionOf(language);
    const timeZone = options.timeZone;
    this.dateTime = new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short', timeZone });
    this.dateOnly = new Intl.DateTimeFormat(language, { dateStyle: 'long', timeZone });
    this.relative = new Intl.RelativeTimeFormat(language, { numeric: 'auto' });
    this.numbers = new Intl.NumberFormat(language);
  }

  /** The message as plain text. A key the catalogue lacks (the build forbids it) shows as the key itself. */
  t(key: K, values?: MessageValues): string {
    const message = this.message(key);
    if (!message) return key;
    const result = message.format(values as Record<string, string | number | boolean | Date | null | undefined>);
    return Array.isArray(result) ? result.join('') : String(result);
  }

  /** The message with its tags turned into T (elements, in the client); plain strings in between. */
  rich<T>(key: K, values: RichValues<T>): (string | T)[] {
    const message = this.message(key);
    if (!message) return [key];
    const result = message.format<T>(values as Record<string, never>);
    return Array.isArray(result) ? (result as (string | T)[]) : [result as string | T];
  }

  number(value: number): string {
    return this.numbers.format(value);
  }

  /** Date and time, medium style ("2 Dec 2026, 14:05" in English, in Arabic digits and order in Arabic). */
  dateTimeOf(value: string | number | Date): string {
    const date = new Date(value);
    return Number.isNaN(date.getTime()) ? String(value) : this.dateTime.format(date);
  }

  /** A calendar date, long style. */
  dateOf(value: string | number | Date): string {
    const date = new Date(value);
    return Number.isNaN(date.getTime()) ? String(value) : this.dateOnly.format(date);
  }

  /** "3 minutes ago", "in 2 days", or the catalogue's "just now" within 45 seconds. */
  relativeTime(value: string | number | Date, now: number): string {
    const seconds = (new Date(value).getTime() - now) / 1000;
    if (Number.isNaN(seconds)) return '';
    if (Math.abs(seconds) < 45) return this.t('common.time.justNow' as K);
    for (const [unit, size] of RELATIVE_STEPS) {
      if (Math.abs(seconds) >= size) return this.relative.format(Math.round(seconds / size), unit);
    }
    return this.relative.format(Math.round(seconds / 60), 'minute');
  }

  private message(key: K): IntlMessageFormat | undefined {
    let message = this.compiled.get(key);
    if (message) return message;
    const source = this.catalogue[key];
    if (source === undefined) return undefined;
    message = new IntlMessageFormat(source, this.language, undefined, { ignoreTag: false });
    this.compiled.set(key, message);
    return message;
  }
}

