// Timings and limits that production leaves at their defaults and tests change. No environment variable
// sets them, so they are not configuration and stay out of Config; a forum gets them through its context.

export interface LoginLimits {
  /** Password checks per account (known or not) per window. */
  perAccount: number;
  /** Failed password checks per client address per window (successes give their attempt back). */
  perAddress: number;
  windowMs: number;
}

/** The production limits: the one place they are set. Tests pass their own to createForum. */
export const DEFAULT_LOGIN_LIMITS: LoginLimits = {
  perAccount: 5,
  perAddress: 20,
  windowMs: 15 * 60 * 1000,
};

export interface ErasureSettings {
  /** How long a process holds a job without renewing it; a dead holder's job waits this long at most. */
  leaseMs: number;
  /** How often each process looks for jobs nobody holds. */
  sweepMs: number;
  /** A pause before each removed item. Only tests set it, to stop a process half way. */
  stepDelayMs: number;
}

export const DEFAULT_ERASURE_SETTINGS: ErasureSettings = { leaseMs: 30_000, sweepMs: 60_000, stepDelayMs: 0 };

export interface Tuning {
  readonly loginLimits: LoginLimits;
  readonly erasure: ErasureSettings;
}

export interface TuningOverrides {
  loginLimits?: LoginLimits;
  erasure?: Partial<ErasureSettings>;
}

export function tuningWith(overrides: TuningOverrides = {}): Tuning {
  return {
    loginLimits: overrides.loginLimits ?? DEFAULT_LOGIN_LIMITS,
    erasure: { ...DEFAULT_ERASURE_SETTINGS, ...overrides.erasure },
  };
}
