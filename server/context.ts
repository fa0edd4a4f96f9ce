import type { Config } from './config';
import type { DatabaseMode } from './db';
import type { Logger } from './log';
import type { UrlSigner } from './media/signed-urls';
import type { MediaStore } from './media/store';
import type { DomainEvents } from './services/events';

/** What every router and service of one running forum shares. Built once in server/forum.ts. */
export interface AppContext {
  readonly config: Config;
  readonly log: Logger;
  readonly events: DomainEvents;
  readonly media: MediaStore;
  readonly signer: UrlSigner;
  readonly dbMode: DatabaseMode;
  /** Leaves no deleted data in the embedded engine's files; see Database.compactStorage. */
  readonly compactStorage: () => Promise<void>;
}
