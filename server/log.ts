import type { Config } from './config';

export interface Logger {
  error(message: string, detail?: unknown): void;
  warn(message: string): void;
  info(message: string): void;
}

const LEVELS = { silent: 0, error: 1, warn: 2, info: 3 } as const;

/** Plain line logger; personal data (e-mail, names, tokens) must never be passed to it. */
export function createLogger(level: Config['logLevel']): Logger {
  const at = LEVELS[level];
  const stamp = () => new Date().toISOString();
  return {
    error: (message, detail) => {
      if (at >= LEVELS.error) console.error(`${stamp()} error ${message}`, detail instanceof Error ? detail.stack : detail ?? '');
    },
    warn: (message) => {
      if (at >= LEVELS.warn) console.warn(`${stamp()} warn ${message}`);
    },
    info: (message) => {
      if (at >= LEVELS.info) console.log(`${stamp()} info ${message}`);
    },
  };
}
