// Structured JSON logs (one object a line, pino). What must never reach a log — tokens, passwords, e-mail
// addresses, authorization headers — is removed here by configuration, whatever a call site passes.
import { pino, type DestinationStream } from 'pino';
import type { Config } from './config';

export interface Logger {
  error(message: string, detail?: unknown): void;
  warn(message: string): void;
  info(message: string): void;
}

/** Field names whose values are replaced wherever they appear in a logged object (three levels deep). */
const SECRET_FIELDS = ['token', 'password', 'newPassword', 'currentPassword', 'passwordHash', 'email', 'parentEmail', 'authorization', 'cookie'];
const REDACT_PATHS = SECRET_FIELDS.flatMap((field) => [field, `*.${field}`, `*.*.${field}`, `*.*.*.${field}`]);

const E_MAIL = /[^\s@"'<>(),;:]+@[^\s@"'<>(),;:]+\.[a-z]{2,}/gi;
const BEARER = /\bBearer\s+\S+/gi;
/** Long opaque strings (tokens are 43 base64url or 64 hex characters): nothing readable is this long and unbroken. */
const OPAQUE = /\b[A-Za-z0-9_-]{40,}\b/g;

/** Free text (messages, error messages and stacks) cleaned of addresses and anything that looks like a token. */
export function scrub(text: string): string {
  return text.replace(E_MAIL, '[e-mail]').replace(BEARER, 'Bearer [token]').replace(OPAQUE, '[redacted]');
}

/** An error as its fields (scrubbed text); any other detail as itself, so the redaction paths apply to its fields. */
function describe(detail: unknown): Record<string, unknown> {
  if (detail === undefined || detail === null) return {};
  if (detail instanceof Error) return { error: { type: detail.name, message: scrub(detail.message), stack: detail.stack ? scrub(detail.stack) : undefined } };
  return { detail: typeof detail === 'string' ? scrub(detail) : detail };
}

export function createLogger(level: Config['logLevel'], destination?: DestinationStream): Logger {
  const logger = pino(
    {
      level,
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    },
    destination ?? pino.destination({ dest: 1, sync: true }),
  );
  return {
    error: (message, detail) => logger.error(describe(detail), scrub(message)),
    warn: (message) => logger.warn(scrub(message)),
    info: (message) => logger.info(scrub(message)),
  };
}
