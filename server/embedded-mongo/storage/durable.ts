import { promises as fs } from 'node:fs';
import path from 'node:path';
import { deserialize, serialize } from 'bson';
import type { Catalog } from '../catalog/catalog';
import type { Logger } from '../engine';
import { buildKeyring, cipherFor, recordPlace, type Keyring, type RecordCipher } from './crypto';
import { ensurePrivateDir, fsyncDir, type StorageFaults } from './file-io';
import { Journal, type JournalHeader } from './journal';
import { lockDirectory, type DirectoryLock } from './lock';
import { applyOp, type Storage, type WriteOp } from './ops';
import { scanRecords, splitBsonSequence } from './records';
import { captureImages, loadSnapshot, TMP_FILE, writeSnapshot } from './snapshot';

const JOURNAL_PATTERN = /^journal-(\d+)\.bin$/;
/** Past this size the journal is folded into a fresh snapshot. */
export const DEFAULT_COMPACT_AFTER_BYTES = 64 * 1024 * 1024;

export interface DurableOptions {
  logger: Logger;
  compactAfterBytes?: number;
  /** 32 bytes: seals every journal record and snapshot written from now on (AES-256-GCM). */
  encryptionKey?: Buffer;
  /** Keys that may still open older files; the start-up compaction rewrites them under `encryptionKey`. */
  previousEncryptionKeys?: Buffer[];
  /** Told once when the journal cannot be written: from then on nothing is acknowledged. */
  onFatal?: (err: Error) => void;
  faults?: StorageFaults;
}

function journalName(gen: number): string {
  return `journal-${String(gen).padStart(8, '0')}.bin`;
}

async function listJournals(dir: string): Promise<{ gen: number; file: string }[]> {
  const out: { gen: number; file: string }[] = [];
  for (const name of await fs.readdir(dir)) {
    const m = JOURNAL_PATTERN.exec(name);
    if (m) out.push({ gen: Number(m[1]), file: path.join(dir, name) });
  }
  return out.sort((a, b) => a.gen - b.gen);
}

/** A journal's first record is its header from format 2 on; format 1 journals hold only changes. */
function readJournalHeader(record: Buffer | undefined): JournalHeader | null {
  if (!record) return null;
  try {
    const parts = splitBsonSequence(record);
    if (parts.length !== 1) return null;
    const doc = deserialize(parts[0]) as Partial<JournalHeader>;
    return doc.kind === 'journal' ? (doc as JournalHeader) : null;
  } catch {
    return null;
  }
}

/**
 * Storage under a directory: `snapshot.bin` holds the state as of a journal generation,
 * `journal-N.bin` files hold every acknowledged change since. Start-up loads the snapshot,
 * replays newer journals (cutting a torn tail) and compacts them into a new snapshot.
 */
export class DurableStorage implements Storage {
  private journal!: Journal;
  private gen = 0;
  private compaction: Promise<void> | null = null;
  private failure: Error | null = null;
  private lock!: DirectoryLock;
  private readonly keyring: Keyring;
  /** Completed compactions since start-up, for tests and diagnostics. */
  compactions = 0;
  private readonly compactAfterBytes: number;

  private constructor(
    private readonly dir: string,
    private readonly catalog: Catalog,
    private readonly logger: Logger,
    private readonly options: DurableOptions,
  ) {
    this.compactAfterBytes = options.compactAfterBytes ?? DEFAULT_COMPACT_AFTER_BYTES;
    this.keyring = buildKeyring(options.encryptionKey, options.previousEncryptionKeys);
  }

  static async open(dir: string, catalog: Catalog, options: DurableOptions): Promise<DurableStorage> {
    await ensurePrivateDir(dir);
    const storage = new DurableStorage(dir, catalog, options.logger, options);
    storage.lock = await lockDirectory(dir);
    try {
      await storage.recover();
    } catch (err) {
      await storage.journal?.close().catch(() => undefined);
      await storage.lock.release();
      throw err;
    }
    return storage;
  }

  private get cipher(): RecordCipher | null {
    return this.keyring.current;
  }

  private newJournal(gen: number): Journal {
    return new Journal(path.join(this.dir, journalName(gen)), {
      gen,
      cipher: this.cipher,
      syncDirectory: () => fsyncDir(this.dir),
      onFailure: (err) => this.fail(err),
      faults: this.options.faults,
    });
  }

  private async recover(): Promise<void> {
    // A snapshot a crash left half-written is never read; it may hold data that was since erased.
    await fs.rm(path.join(this.dir, TMP_FILE), { force: true });
    const snap = await loadSnapshot(this.dir, this.catalog, this.keyring);
    const firstGen = snap?.journalGen ?? 0;
    const journals = await listJournals(this.dir);
    let replayed = 0;
    let lastGen = firstGen;
    for (const { gen, file } of journals) {
      if (gen < firstGen) continue;
      lastGen = Math.max(lastGen, gen);
      replayed += await this.replay(file, gen);
    }
    if (snap || replayed > 0) {
      this.logger.info(`embedded-mongo: recovered ${snap?.documents ?? 0} documents from the snapshot and ${replayed} journal records from ${this.dir}`);
    }
    this.gen = lastGen + 1;
    this.journal = this.newJournal(this.gen);
    const rekey = snap !== null && snap.keyId !== this.cipher?.keyId;
    if (replayed > 0 || journals.length > 0 || rekey) {
      await writeSnapshot(this.dir, this.gen, captureImages(this.catalog), { cipher: this.cipher, faults: this.options.faults });
      await this.removeJournalsBefore(this.gen);
    }
  }

  /**
   * Applies one journal file. A torn or corrupt tail is cut off and the cut logged (it was never
   * acknowledged); a complete record that cannot be opened or applied stops the start, naming it.
   */
  private async replay(file: string, gen: number): Promise<number> {
    const data = await fs.readFile(file);
    const scan = scanRecords(data);
    const header = readJournalHeader(scan.records[0]);
    const cipher = header ? cipherFor(this.keyring, header.keyId, file) : null;
    let applied = 0;
    for (let i = header ? 1 : 0; i < scan.records.length; i++) {
      const where = `journal ${file}: record ${i} at byte ${scan.offsets[i]}`;
      let payload = scan.records[i];
      if (cipher) {
        try {
          payload = cipher.open(payload, recordPlace('journal', header?.gen ?? gen, scan.offsets[i]));
        } catch (err) {
          throw new Error(`${where} cannot be opened: ${(err as Error).message}; refusing to start`);
        }
      }
      let ops: WriteOp[];
      try {
        ops = splitBsonSequence(payload).map((bytes) => deserialize(bytes) as WriteOp);
      } catch (err) {
        throw new Error(`${where} cannot be read: ${(err as Error).message}; refusing to start`);
      }
      for (const op of ops) {
        try {
          applyOp(this.catalog, op);
        } catch (err) {
          throw new Error(`${where} (${op.op} on ${op.db}${'coll' in op ? `.${op.coll}` : ''}) cannot be applied: ${(err as Error).message}; refusing to start`);
        }
      }
      applied++;
    }
    if (scan.problem) {
      this.logger.warn(
        `embedded-mongo: journal ${file} has a torn tail (${scan.problem}); cutting ${data.length - scan.validLength} bytes of unacknowledged writes`,
      );
      await fs.truncate(file, scan.validLength);
    }
    return applied;
  }

  private async removeJournalsBefore(gen: number): Promise<void> {
    for (const j of await listJournals(this.dir)) if (j.gen < gen) await fs.rm(j.file, { force: true });
    await fsyncDir(this.dir);
  }

  /** Fail-stop, as mongod does: changes applied in memory but not on disk must never be served as durable. */
  private fail(err: Error): void {
    if (this.failure) return;
    this.failure = err;
    this.logger.warn(`embedded-mongo: fatal storage error, refusing every further command: ${err.message}`);
    this.options.onFatal?.(err);
  }

  commit(ops: WriteOp[]): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    const payload = Buffer.concat(ops.map((op) => serialize(op)));
    const durable = this.journal.append(payload);
    if (this.journal.size > this.compactAfterBytes && !this.compaction) {
      this.compact().catch((err: Error) => this.logger.warn(`embedded-mongo: compaction failed, the journals stay in place: ${err.message}`));
    }
    return durable;
  }

  /**
   * Switches to a new journal and snapshots the state at that same instant. Documents are
   * never edited in place, so the captured references stay a consistent image while the
   * snapshot is written in the background. A compaction already running is joined.
   */
  compact(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.compaction) return this.compaction;
    const old = this.journal;
    this.gen++;
    const gen = this.gen;
    this.journal = this.newJournal(gen);
    const images = captureImages(this.catalog);
    this.compaction = (async () => {
      try {
        await writeSnapshot(this.dir, gen, images, { cipher: this.cipher, faults: this.options.faults });
        await old.close();
        await this.removeJournalsBefore(gen);
        this.options.faults?.afterStep?.('journals-removed');
        this.compactions++;
      } catch (err) {
        await old.close().catch(() => undefined);
        throw err;
      } finally {
        this.compaction = null;
      }
    })();
    return this.compaction;
  }

  /**
   * Rewrites the data directory so that nothing deleted before this call stays in any file
   * (erasure's last step): waits out a compaction that captured an earlier state, then runs one.
   */
  async compactNow(): Promise<void> {
    while (this.compaction) await this.compaction.catch(() => undefined);
    await this.compact();
  }

  /** Lets go of the directory as a killed process would: nothing more is written. For crash tests. */
  async abandon(): Promise<void> {
    this.failure ??= new Error('storage abandoned');
    await this.compaction?.catch(() => undefined);
    await this.journal.close().catch(() => undefined);
    await this.lock.release();
  }

  async close(): Promise<void> {
    if (this.compaction) await this.compaction.catch(() => undefined);
    await this.journal.close().catch((err: Error) => {
      if (!this.failure) throw err;
    });
    await this.lock.release();
  }
}
