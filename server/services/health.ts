// Readiness: whether this process can serve, from probes of what it depends on (the database, Redis when
// configured). Load balancers ask often, so one round of probes answers every request for a second, and
// concurrent requests share a round in flight.
export type Probe = () => Promise<unknown>;

export interface Readiness {
  ok: boolean;
  /** Names of the probes that failed or did not answer in time. */
  failing: string[];
}

const FRESH_MS = 1_000;
const PROBE_TIMEOUT_MS = 2_000;

function withTimeout(probe: Probe): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error('no answer in time')), PROBE_TIMEOUT_MS);
  });
  return Promise.race([probe(), late]).finally(() => clearTimeout(timer));
}

export class HealthChecks {
  private readonly probes = new Map<string, Probe>();
  private last: { at: number; readiness: Readiness } | null = null;
  private running: Promise<Readiness> | null = null;

  add(name: string, probe: Probe): void {
    this.probes.set(name, probe);
    this.last = null;
  }

  async readiness(now = Date.now()): Promise<Readiness> {
    if (this.last && now - this.last.at < FRESH_MS) return this.last.readiness;
    this.running ??= this.probe().finally(() => (this.running = null));
    return this.running;
  }

  private async probe(): Promise<Readiness> {
    const results = await Promise.all(
      [...this.probes].map(async ([name, probe]) => {
        try {
          await withTimeout(probe);
          return null;
        } catch {
          return name;
        }
      }),
    );
    const failing = results.filter((name): name is string => name !== null);
    const readiness = { ok: failing.length === 0, failing };
    this.last = { at: Date.now(), readiness };
    return readiness;
  }
}
