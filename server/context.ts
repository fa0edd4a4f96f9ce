import type { Config } from './config';
import type { DatabaseMode } from './db';
import type { Logger } from './log';
import type { UrlSigner } from './media/signed-urls';
import type { MediaStore } from './media/store';
import type { ModeratorReadAuditor } from './policy/moderator-reads';
import type { DomainEvents } from './services/events';
import type { HealthChecks } from './services/health';
import type { Tuning } from './tuning';
import type { RateLimitStore } from './services/rate-limits';

/** What every router and service of one running forum shares. Built once in server/forum.ts. */
export interface AppContext {
  readonly config: Config;
  readonly log: Logger;
  readonly events: DomainEvents;
  readonly media: MediaStore;
  readonly signer: UrlSigner;
  readonly dbMode: DatabaseMode;
  readonly tuning: Tuning;
  /** Readiness probes of what this process depends on (the database, Redis). */
  readonly health: HealthChecks;
  /** Records a site moderator's read of a closed group they are not in (and refuses one without a reason). */
  readonly auditModeratorRead: ModeratorReadAuditor;
  /** Leaves no deleted data in the embedded engine's files; see Database.compactStorage. */
  readonly compactStorage: () => Promise<void>;
  /** Counters shared by every process (database, or Redis when configured) for sign-in and mail limits. */
  readonly limits: RateLimitStore;
}
