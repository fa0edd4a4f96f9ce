// Timings and limits that production leaves at their defaults and tests change. No environment variable
// sets them, so they are not configuration and stay out of Config; a forum gets them through its context.

export interface LoginLimits {
  /** Failed checks one client address may make on one account before each further one waits. */
  freePerPair: number;
  /** Failed sign-ins on one account from all addresses together before each further one waits. */
  freePerAccount: number;
  /** Failed checks per client address over all accounts per window; then it waits for the window's end. */
  perAddress: number;
  /** How long failures are remembered (each counter's window starts at its first failure). */
  windowMs: number;
  /** The first wait; each further failure doubles it. */
  firstDelayMs: number;
  maxPairDelayMs: number;
  /** Short, so that guessers spread over many addresses cannot keep the owner out. */
  maxAccountDelayMs: number;
}

/** The production limits: the one place they are set. Tests pass their own to createForum. */
export const DEFAULT_LOGIN_LIMITS: LoginLimits = {
  freePerPair: 5,
  freePerAccount: 20,
  perAddress: 100,
  windowMs: 60 * 60 * 1000,
  firstDelayMs: 1000,
  maxPairDelayMs: 15 * 60 * 1000,
  maxAccountDelayMs: 60 * 1000,
};

export interface QueueSettings {
  /** How often an idle worker looks for due messages (new ones wake it at once in their own process). */
  pollMs: number;
  /** How long a lease lasts; null means three times the SMTP timeout. */
  leaseMs: number | null;
  /** Attempts before a message that keeps failing temporarily is given up as failed. */
  maxAttempts: number;
  /** First retry delay; each further one doubles, up to backoffMaxMs, with up to ±25 % jitter. */
  backoffBaseMs: number;
  backoffMaxMs: number;
}

export const DEFAULT_QUEUE_SETTINGS: QueueSettings = {
  pollMs: 5_000,
  leaseMs: null,
  maxAttempts: 10,
  backoffBaseMs: 30_000,
  backoffMaxMs: 6 * 60 * 60 * 1000,
};

export interface MailLimits {
  /** Mail-sending requests one client address may make per hour. */
  perClientAddress: number;
  /** Messages the forum sends to one e-mail address per hour, whoever asks. */
  perTarget: number;
  /** Mail-sending requests one account may make per hour. */
  perAccount: number;
}

/** The production limits: the one place they are set. Tests pass their own to createForum. */
export const DEFAULT_MAIL_LIMITS: MailLimits = { perClientAddress: 30, perTarget: 5, perAccount: 10 };

export interface ErasureSettings {
  /** How long a process holds a job without renewing it; a dead holder's job waits this long at most. */
  leaseMs: number;
  /** How often each process looks for jobs nobody holds. */
  sweepMs: number;
  /** A pause before each removed item. Only tests set it, to stop a process half way. */
  stepDelayMs: number;
}

export const DEFAULT_ERASURE_SETTINGS: ErasureSettings = { leaseMs: 30_000, sweepMs: 60_000, stepDelayMs: 0 };

export interface DigestSettings {
  /** From the first notification waiting for a daily digest to the digest. */
  delayMs: number;
  /** How often each process looks for digests that are due. */
  pollMs: number;
}

export const DEFAULT_DIGEST_SETTINGS: DigestSettings = { delayMs: 24 * 60 * 60 * 1000, pollMs: 60_000 };

export interface Tuning {
  readonly loginLimits: LoginLimits;
  readonly notificationDigest: DigestSettings;
  readonly erasure: ErasureSettings;
  readonly mailQueue: QueueSettings;
  readonly mailLimits: MailLimits;
}

export interface TuningOverrides {
  loginLimits?: Partial<LoginLimits>;
  erasure?: Partial<ErasureSettings>;
  mailQueue?: Partial<QueueSettings>;
  mailLimits?: Partial<MailLimits>;
  notificationDigest?: Partial<DigestSettings>;
}

export function tuningWith(overrides: TuningOverrides = {}): Tuning {
  return {
    loginLimits: { ...DEFAULT_LOGIN_LIMITS, ...overrides.loginLimits },
    erasure: { ...DEFAULT_ERASURE_SETTINGS, ...overrides.erasure },
    mailQueue: { ...DEFAULT_QUEUE_SETTINGS, ...overrides.mailQueue },
    mailLimits: { ...DEFAULT_MAIL_LIMITS, ...overrides.mailLimits },
    notificationDigest: { ...DEFAULT_DIGEST_SETTINGS, ...overrides.notificationDigest },
  };
}
