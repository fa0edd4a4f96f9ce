// The only module that reads the environment. Everything else receives a Config.
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { parseEncryptionKey } from './embedded-mongo/storage/crypto';
import { DEFAULT_SOCKET_LIMITS, type SocketLimits } from './realtime/connection-caps';
import { DEFAULT_BRAND } from '../shared/brand';

export interface Config {
  port: number;
  host: string;
  /** Unset means: start the embedded engine under `dataDir`. */
  mongodbUri: string | null;
  dataDir: string;
  /**
   * Seals the embedded engine's journal and snapshots (AES-256-GCM); null keeps them plaintext.
   * From DATA_ENCRYPTION_KEY or the file DATA_ENCRYPTION_KEY_FILE names.
   */
  dataEncryptionKey: Buffer | null;
  /** Keys data may still be sealed with (DATA_ENCRYPTION_PREVIOUS_KEYS); the next start rewrites it under the current one. */
  previousDataEncryptionKeys: Buffer[];
  uploadsDir: string;
  clientDir: string;
  redisUrl: string | null;
  adminEmails: ReadonlySet<string>;
  /** Base URL used in links we send (parental consent, unsubscribe). */
  publicUrl: string;
  /** HMAC key for signed media URLs; null means one is generated and kept under `dataDir`. */
  mediaUrlSecret: string | null;
  /** Express "trust proxy" setting, so rate limits see the client address behind a load balancer. */
  trustProxy: boolean | number | string;
  /** Where queued messages go: an SMTP server, the log (loopback development only), or nowhere (recorded only). */
  mailTransport: 'smtp' | 'log' | 'none';
  /** `smtp://` or `smtps://` URL with user and password; set exactly when mailTransport is `smtp`. */
  smtpUrl: string | null;
  /** The From address of every message. */
  mailFrom: string;
  /** Connection, greeting and idle timeout of one SMTP conversation; a send's lease is three times this. */
  smtpTimeoutSeconds: number;
  logLevel: 'silent' | 'error' | 'warn' | 'info';
  /** Open Socket.IO connections allowed per client address and per account (0: no cap); unset means the defaults. */
  socketLimits?: SocketLimits;
  /** Days a read notification is kept before the TTL index removes it; unset means 90. */
  notificationRetentionDays?: number;
  /** The organisation's identity on its pages (header, `<title>`, description, Open Graph). */
  brand: BrandConfig;
}

export interface BrandConfig {
  /** FORUM_NAME. */
  name: string;
  /** FORUM_TAGLINE: the homepage's heading and the pages' description. */
  tagline: string;
  /** FORUM_LOGO_FILE, resolved; checked at start to be a readable image file. */
  logoFile: string | null;
  /** FORUM_ACCENT_COLOR as `#rrggbb`, or null for the stylesheet's own. */
  accentColor: string | null;
}

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

// One zod schema per variable: each turns the raw string (trimmed; empty means unset) into its setting or
// fails with one sentence naming the variable. Settings that depend on each other are checked after.

/** A trimmed variable, absent when unset or empty. */
const raw = z.preprocess((value) => (typeof value === 'string' && value.trim() ? value.trim() : undefined), z.string().optional());

function url(name: string, protocols: string[]) {
  return raw.transform((text, ctx) => {
    if (text === undefined) return null;
    let parsed: URL;
    try {
      parsed = new URL(text);
    } catch {
      ctx.addIssue({ code: 'custom', message: `${name} must be a URL (${protocols.join(' or ')}), got "${text}"` });
      return z.NEVER;
    }
    if (!protocols.includes(parsed.protocol)) {
      ctx.addIssue({ code: 'custom', message: `${name} must use ${protocols.join(' or ')}, got "${parsed.protocol}"` });
      return z.NEVER;
    }
    return text;
  });
}

function choice<T extends string>(name: string, choices: readonly [T, ...T[]]) {
  return raw.pipe(z.enum(choices, { error: (issue) => `${name} must be one of ${choices.join(', ')}, got "${String(issue.input)}"` }).optional());
}

function count(name: string, fallback: number) {
  return raw.transform((text, ctx) => {
    if (text === undefined) return fallback;
    if (/^\d{1,9}$/.test(text)) return Number(text);
    ctx.addIssue({ code: 'custom', message: `${name} must be a whole number (0 for no limit), got "${text}"` });
    return z.NEVER;
  });
}

/** WCAG's relative luminance of a `#rrggbb` colour. */
function relativeLuminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((start) => {
    const channel = parseInt(hex.slice(start, start + 2), 16) / 255;
    return channel <= 0.04045 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** Words shown on every page: one line of printable text. */
function text(name: string, maxLength: number) {
  return raw.refine((value) => value === undefined || (value.length <= maxLength && !/[\u0000-\u001f\u007f]/.test(value)), {
    error: `${name} must be one line of at most ${maxLength} characters`,
  });
}

const adminEmails = z
  .string()
  .optional()
  .transform((text, ctx) => {
    const emails = new Set<string>();
    for (const part of (text ?? '').split(',')) {
      const email = part.trim().toLowerCase();
      if (!email) continue;
      if (!/^[^\s@]+@[^\s@]+$/.test(email)) {
        ctx.addIssue({ code: 'custom', message: `FORUM_ADMIN_EMAILS must be comma-separated e-mail addresses, got "${part.trim()}"` });
        return z.NEVER;
      }
      emails.add(email);
    }
    return emails;
  });

const trustProxy = raw.transform((text): boolean | number | string => {
  if (text === undefined || text === 'false') return false;
  if (text === 'true') return true;
  if (/^\d+$/.test(text)) return Number(text);
  return text; // a list of addresses/subnets, as Express accepts
});

const ENV_SCHEMA = z.object({
  PORT: raw.transform((text, ctx) => {
    if (text === undefined) return 3000;
    if (/^\d+$/.test(text) && Number(text) <= 65535) return Number(text);
    ctx.addIssue({ code: 'custom', message: `PORT must be a port number between 0 and 65535, got "${text}"` });
    return z.NEVER;
  }),
  HOST: raw.transform((text) => text ?? '127.0.0.1'),
  MONGODB_URI: url('MONGODB_URI', ['mongodb:', 'mongodb+srv:']),
  DATA_DIR: raw,
  DATA_ENCRYPTION_KEY: raw,
  DATA_ENCRYPTION_KEY_FILE: raw,
  DATA_ENCRYPTION_PREVIOUS_KEYS: raw,
  UPLOADS_DIR: raw,
  CLIENT_DIR: raw,
  REDIS_URL: url('REDIS_URL', ['redis:', 'rediss:']),
  FORUM_ADMIN_EMAILS: adminEmails,
  PUBLIC_URL: url('PUBLIC_URL', ['http:', 'https:']),
  MEDIA_URL_SECRET: raw.refine((text) => text === undefined || text.length >= 32, { message: 'MEDIA_URL_SECRET must be at least 32 characters long' }),
  TRUST_PROXY: trustProxy,
  SMTP_URL: url('SMTP_URL', ['smtp:', 'smtps:']),
  MAIL_TRANSPORT: choice('MAIL_TRANSPORT', ['smtp', 'log', 'none']),
  MAIL_FROM: raw.refine((text) => text === undefined || /^([^<>]*<)?[^\s@<>]+@[^\s@<>]+>?$/.test(text), {
    error: (issue) => `MAIL_FROM must be an address like forum@example.org or "Forum <forum@example.org>", got "${String(issue.input)}"`,
  }),
  SMTP_TIMEOUT_SECONDS: raw.transform((text, ctx) => {
    if (text === undefined) return 30;
    if (/^[1-9]\d{0,3}$/.test(text)) return Number(text);
    ctx.addIssue({ code: 'custom', message: `SMTP_TIMEOUT_SECONDS must be a whole number of seconds from 1 to 9999, got "${text}"` });
    return z.NEVER;
  }),
  LOG_LEVEL: choice('LOG_LEVEL', ['silent', 'error', 'warn', 'info']),
  SOCKETS_PER_ADDRESS: count('SOCKETS_PER_ADDRESS', DEFAULT_SOCKET_LIMITS.perAddress),
  SOCKETS_PER_ACCOUNT: count('SOCKETS_PER_ACCOUNT', DEFAULT_SOCKET_LIMITS.perAccount),
  NOTIFICATION_RETENTION_DAYS: raw.transform((text, ctx) => {
    if (text === undefined) return 90;
    if (/^[1-9]\d{0,3}$/.test(text)) return Number(text);
    ctx.addIssue({ code: 'custom', message: `NOTIFICATION_RETENTION_DAYS must be a whole number of days from 1 to 9999, got "${text}"` });
    return z.NEVER;
  }),
  FORUM_NAME: text('FORUM_NAME', 80),
  FORUM_TAGLINE: text('FORUM_TAGLINE', 200),
  FORUM_LOGO_FILE: raw,
  FORUM_ACCENT_COLOR: raw.transform((text, ctx) => {
    if (text === undefined) return null;
    const short = /^#([0-9a-f])([0-9a-f])([0-9a-f])$/i.exec(text);
    const colour = short ? `#${short[1]}${short[1]}${short[2]}${short[2]}${short[3]}${short[3]}`.toLowerCase() : /^#[0-9a-f]{6}$/i.test(text) ? text.toLowerCase() : null;
    if (!colour) {
      ctx.addIssue({ code: 'custom', message: `FORUM_ACCENT_COLOR must be a hex colour like #1f6f5c, got "${text}"` });
      return z.NEVER;
    }
    // Buttons write white on the accent: it must stay readable (WCAG AA, 4.5:1).
    const contrast = 1.05 / (relativeLuminance(colour) + 0.05);
    if (contrast < 4.5) {
      ctx.addIssue({ code: 'custom', message: `FORUM_ACCENT_COLOR ${text} is too light: white text on it has a contrast of ${contrast.toFixed(1)}:1, at least 4.5:1 is needed` });
      return z.NEVER;
    }
    return colour;
  }),
});

type ParsedEnv = z.infer<typeof ENV_SCHEMA>;

function parseKey(text: string, name: string): Buffer {
  try {
    return parseEncryptionKey(text);
  } catch (err) {
    throw new ConfigError(`${name}: ${(err as Error).message}`);
  }
}

/** Image types a browser shows as a logo and favicon, by file extension. */
export const LOGO_TYPES: Readonly<Record<string, string>> = {
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.webp': 'image/webp',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.ico': 'image/x-icon',
};
const LOGO_MAX_BYTES = 1024 * 1024;

function logoFile(file: string | undefined, cwd: string): string | null {
  if (file === undefined) return null;
  const resolved = path.resolve(cwd, file);
  const extension = path.extname(resolved).toLowerCase();
  if (!LOGO_TYPES[extension]) throw new ConfigError(`FORUM_LOGO_FILE "${file}" must be one of ${Object.keys(LOGO_TYPES).join(', ')}`);
  let size: number;
  try {
    const stat = statSync(resolved);
    if (!stat.isFile()) throw new ConfigError(`FORUM_LOGO_FILE "${file}" is not a file`);
    size = stat.size;
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    throw new ConfigError(`FORUM_LOGO_FILE "${file}" cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  if (size === 0 || size > LOGO_MAX_BYTES) throw new ConfigError(`FORUM_LOGO_FILE "${file}" must hold an image of at most 1 MB, not ${size} bytes`);
  return resolved;
}

function loadEncryptionKey(env: ParsedEnv, cwd: string): Buffer | null {
  const inline = env.DATA_ENCRYPTION_KEY;
  const file = env.DATA_ENCRYPTION_KEY_FILE;
  if (inline && file) throw new ConfigError('set DATA_ENCRYPTION_KEY or DATA_ENCRYPTION_KEY_FILE, not both');
  if (inline) return parseKey(inline, 'DATA_ENCRYPTION_KEY');
  if (!file) return null;
  let text: string;
  try {
    text = readFileSync(path.resolve(cwd, file), 'utf8');
  } catch (err) {
    throw new ConfigError(`DATA_ENCRYPTION_KEY_FILE "${file}" cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  return parseKey(text, `DATA_ENCRYPTION_KEY_FILE "${file}"`);
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/i;

/** Whether a listening address is reachable only from this machine. */
export function isLoopback(host: string): boolean {
  return LOOPBACK.test(host.replace(/^\[|\]$/g, ''));
}

/**
 * Mail settings. The log transport prints one-time links, so it is only a default (and only allowed)
 * while nobody but this machine can reach the forum.
 */
function mailSettings(env: ParsedEnv, host: string, publicUrl: string): Pick<Config, 'mailTransport' | 'smtpUrl' | 'mailFrom' | 'smtpTimeoutSeconds'> {
  const smtpUrl = env.SMTP_URL;
  const explicit = env.MAIL_TRANSPORT;
  const mailTransport = explicit ?? (smtpUrl ? 'smtp' : 'log');
  if (mailTransport === 'smtp' && !smtpUrl) throw new ConfigError('MAIL_TRANSPORT=smtp needs SMTP_URL (smtp://user:password@host:587)');
  if (!explicit && !smtpUrl && !isLoopback(host)) {
    throw new ConfigError(
      `HOST=${host} is reachable from other machines but no mail server is set: set SMTP_URL (or MAIL_TRANSPORT=none to record mail without sending)`,
    );
  }
  if (mailTransport === 'log' && !isLoopback(host)) {
    throw new ConfigError(`MAIL_TRANSPORT=log prints one-time links and is only allowed while HOST is a loopback address, got "${host}"`);
  }
  const mailFrom = env.MAIL_FROM ?? `forum@${new URL(publicUrl).hostname}`;
  return { mailTransport, smtpUrl: mailTransport === 'smtp' ? smtpUrl : null, mailFrom, smtpTimeoutSeconds: env.SMTP_TIMEOUT_SECONDS };
}

/** Builds and validates the configuration; throws ConfigError with one clear sentence. */
export function loadConfig(environment: Env = process.env, cwd = process.cwd()): Config {
  const parsed = ENV_SCHEMA.safeParse(environment);
  if (!parsed.success) throw new ConfigError(parsed.error.issues[0]!.message);
  const env = parsed.data;
  const host = env.HOST;
  const publicUrl = env.PUBLIC_URL ?? `http://${host.includes(':') ? `[${host}]` : host}:${env.PORT}`;
  return {
    port: env.PORT,
    host,
    mongodbUri: env.MONGODB_URI,
    dataDir: path.resolve(cwd, env.DATA_DIR ?? 'data'),
    dataEncryptionKey: loadEncryptionKey(env, cwd),
    previousDataEncryptionKeys: (env.DATA_ENCRYPTION_PREVIOUS_KEYS ?? '')
      .split(',')
      .filter((key) => key.trim())
      .map((key) => parseKey(key, 'DATA_ENCRYPTION_PREVIOUS_KEYS')),
    uploadsDir: path.resolve(cwd, env.UPLOADS_DIR ?? 'uploads'),
    clientDir: path.resolve(cwd, env.CLIENT_DIR ?? 'dist/client'),
    redisUrl: env.REDIS_URL,
    adminEmails: env.FORUM_ADMIN_EMAILS,
    publicUrl: publicUrl.replace(/\/+$/, ''),
    mediaUrlSecret: env.MEDIA_URL_SECRET ?? null,
    trustProxy: env.TRUST_PROXY,
    ...mailSettings(env, host, publicUrl),
    logLevel: env.LOG_LEVEL ?? 'info',
    socketLimits: { perAddress: env.SOCKETS_PER_ADDRESS, perAccount: env.SOCKETS_PER_ACCOUNT },
    notificationRetentionDays: env.NOTIFICATION_RETENTION_DAYS,
    brand: {
      name: env.FORUM_NAME ?? DEFAULT_BRAND.name,
      tagline: env.FORUM_TAGLINE ?? DEFAULT_BRAND.tagline,
      logoFile: logoFile(env.FORUM_LOGO_FILE, cwd),
      accentColor: env.FORUM_ACCENT_COLOR,
    },
  };
}
