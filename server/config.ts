// The only module that reads the environment. Everything else receives a Config.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseEncryptionKey } from './embedded-mongo/storage/crypto';
import { DEFAULT_SOCKET_LIMITS, type SocketLimits } from './realtime/connection-caps';

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
}

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

function nonEmpty(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

function parsePort(raw: string | undefined, name: string, fallback: number): number {
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) > 65535) {
    throw new ConfigError(`${name} must be a port number between 0 and 65535, got "${raw}"`);
  }
  return Number(raw);
}

function parseUrl(raw: string | undefined, name: string, protocols: string[]): string | null {
  if (raw === undefined) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`${name} must be a URL (${protocols.join(' or ')}), got "${raw}"`);
  }
  if (!protocols.includes(url.protocol)) {
    throw new ConfigError(`${name} must use ${protocols.join(' or ')}, got "${url.protocol}"`);
  }
  return raw;
}

function parseEmails(raw: string | undefined): Set<string> {
  const emails = new Set<string>();
  for (const part of (raw ?? '').split(',')) {
    const email = part.trim().toLowerCase();
    if (!email) continue;
    if (!/^[^\s@]+@[^\s@]+$/.test(email)) {
      throw new ConfigError(`FORUM_ADMIN_EMAILS must be comma-separated e-mail addresses, got "${part.trim()}"`);
    }
    emails.add(email);
  }
  return emails;
}

function parseTrustProxy(raw: string | undefined): boolean | number | string {
  if (raw === undefined || raw === 'false') return false;
  if (raw === 'true') return true;
  if (/^\d+$/.test(raw)) return Number(raw);
  return raw; // a list of addresses/subnets, as Express accepts
}

function parseChoice<T extends string>(raw: string | undefined, name: string, choices: readonly T[], fallback: T): T {
  if (raw === undefined) return fallback;
  if (!(choices as readonly string[]).includes(raw)) {
    throw new ConfigError(`${name} must be one of ${choices.join(', ')}, got "${raw}"`);
  }
  return raw as T;
}

function parseKey(raw: string, name: string): Buffer {
  try {
    return parseEncryptionKey(raw);
  } catch (err) {
    throw new ConfigError(`${name}: ${(err as Error).message}`);
  }
}

function loadEncryptionKey(env: Env, cwd: string): Buffer | null {
  const inline = nonEmpty(env, 'DATA_ENCRYPTION_KEY');
  const file = nonEmpty(env, 'DATA_ENCRYPTION_KEY_FILE');
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

function parseCount(raw: string | undefined, name: string, fallback: number): number {
  if (raw === undefined) return fallback;
  if (!/^\d{1,9}$/.test(raw)) throw new ConfigError(`${name} must be a whole number (0 for no limit), got "${raw}"`);
  return Number(raw);
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
function parseMail(env: Env, host: string, publicUrl: string): Pick<Config, 'mailTransport' | 'smtpUrl' | 'mailFrom' | 'smtpTimeoutSeconds'> {
  const smtpUrl = parseUrl(nonEmpty(env, 'SMTP_URL'), 'SMTP_URL', ['smtp:', 'smtps:']);
  const explicit = nonEmpty(env, 'MAIL_TRANSPORT');
  const mailTransport = parseChoice(explicit, 'MAIL_TRANSPORT', ['smtp', 'log', 'none'] as const, smtpUrl ? 'smtp' : 'log');
  if (mailTransport === 'smtp' && !smtpUrl) throw new ConfigError('MAIL_TRANSPORT=smtp needs SMTP_URL (smtp://user:password@host:587)');
  if (!explicit && !smtpUrl && !isLoopback(host)) {
    throw new ConfigError(
      `HOST=${host} is reachable from other machines but no mail server is set: set SMTP_URL (or MAIL_TRANSPORT=none to record mail without sending)`,
    );
  }
  if (mailTransport === 'log' && !isLoopback(host)) {
    throw new ConfigError(`MAIL_TRANSPORT=log prints one-time links and is only allowed while HOST is a loopback address, got "${host}"`);
  }
  const mailFrom = nonEmpty(env, 'MAIL_FROM') ?? `forum@${new URL(publicUrl).hostname}`;
  if (!/^([^<>]*<)?[^\s@<>]+@[^\s@<>]+>?$/.test(mailFrom)) {
    throw new ConfigError(`MAIL_FROM must be an address like forum@example.org or "Forum <forum@example.org>", got "${mailFrom}"`);
  }
  const timeout = nonEmpty(env, 'SMTP_TIMEOUT_SECONDS');
  if (timeout !== undefined && !/^[1-9]\d{0,3}$/.test(timeout)) {
    throw new ConfigError(`SMTP_TIMEOUT_SECONDS must be a whole number of seconds from 1 to 9999, got "${timeout}"`);
  }
  return { mailTransport, smtpUrl: mailTransport === 'smtp' ? smtpUrl : null, mailFrom, smtpTimeoutSeconds: timeout ? Number(timeout) : 30 };
}

/** Builds and validates the configuration; throws ConfigError with one clear sentence. */
export function loadConfig(env: Env = process.env, cwd = process.cwd()): Config {
  const port = parsePort(nonEmpty(env, 'PORT'), 'PORT', 3000);
  const host = nonEmpty(env, 'HOST') ?? '127.0.0.1';
  const mediaUrlSecret = nonEmpty(env, 'MEDIA_URL_SECRET') ?? null;
  if (mediaUrlSecret !== null && mediaUrlSecret.length < 32) {
    throw new ConfigError('MEDIA_URL_SECRET must be at least 32 characters long');
  }
  const publicUrl =
    parseUrl(nonEmpty(env, 'PUBLIC_URL'), 'PUBLIC_URL', ['http:', 'https:']) ??
    `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    port,
    host,
    mongodbUri: parseUrl(nonEmpty(env, 'MONGODB_URI'), 'MONGODB_URI', ['mongodb:', 'mongodb+srv:']),
    dataDir: path.resolve(cwd, nonEmpty(env, 'DATA_DIR') ?? 'data'),
    dataEncryptionKey: loadEncryptionKey(env, cwd),
    previousDataEncryptionKeys: (nonEmpty(env, 'DATA_ENCRYPTION_PREVIOUS_KEYS') ?? '')
      .split(',')
      .filter((k) => k.trim())
      .map((k) => parseKey(k, 'DATA_ENCRYPTION_PREVIOUS_KEYS')),
    uploadsDir: path.resolve(cwd, nonEmpty(env, 'UPLOADS_DIR') ?? 'uploads'),
    clientDir: path.resolve(cwd, nonEmpty(env, 'CLIENT_DIR') ?? 'dist/client'),
    redisUrl: parseUrl(nonEmpty(env, 'REDIS_URL'), 'REDIS_URL', ['redis:', 'rediss:']),
    adminEmails: parseEmails(env.FORUM_ADMIN_EMAILS),
    publicUrl: publicUrl.replace(/\/+$/, ''),
    mediaUrlSecret,
    trustProxy: parseTrustProxy(nonEmpty(env, 'TRUST_PROXY')),
    ...parseMail(env, host, publicUrl),
    logLevel: parseChoice(nonEmpty(env, 'LOG_LEVEL'), 'LOG_LEVEL', ['silent', 'error', 'warn', 'info'] as const, 'info'),
    socketLimits: {
      perAddress: parseCount(nonEmpty(env, 'SOCKETS_PER_ADDRESS'), 'SOCKETS_PER_ADDRESS', DEFAULT_SOCKET_LIMITS.perAddress),
      perAccount: parseCount(nonEmpty(env, 'SOCKETS_PER_ACCOUNT'), 'SOCKETS_PER_ACCOUNT', DEFAULT_SOCKET_LIMITS.perAccount),
    },
  };
}
