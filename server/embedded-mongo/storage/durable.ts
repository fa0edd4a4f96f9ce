import { promises as fs } from 'node:fs';
import path from 'node:path';
import { deserialize, serialize } from 'bson';
import type { Catalog } from '../catalog/catalog';
import type { Logger } from '../engine';
import { Journal } from './journal';
import { applyOp, type Storage, type WriteOp } from './ops';
import { scanRecords, splitBsonSequence } from './records';
import { captureImages, fsyncDir, loadSnapshot, writeSnapshot } from './snapshot';

const JOURNAL_PATTERN = /^journal-(\d+)\.bin$/;
const LOCK_FILE = 'mongod.lock';
/** Past this size the journal is folded into a fresh snapshot. */
export const DEFAULT_COMPACT_AFTER_BYTES = 64 * 1024 * 1024;

export interface DurableOptions {
  logger: Logger;
  compactAfterBytes?: number;
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

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
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
  /** Completed compactions since start-up, for tests and diagnostics. */
  compactions = 0;
  private readonly compactAfterBytes: number;

  private constructor(
    private readonly dir: string,
    private readonly catalog: Catalog,
    private readonly logger: Logger,
    options: DurableOptions,
  ) {
    this.compactAfterBytes = options.compactAfterBytes ?? DEFAULT_COMPACT_AFTER_BYTES;
  }

  static async open(dir: string, catalog: Catalog, options: DurableOptions): Promise<DurableStorage> {
    await fs.mkdir(dir, { recursive: true });
    const storage = new DurableStorage(dir, catalog, options.logger, options);
    await storage.lock();
    try {
      await storage.recover();
    } catch (err) {
      await storage.unlock();
      throw err;
    }
    return storage;
  }

  private async lock(): Promise<void> {
    const file = path.join(this.dir, LOCK_FILE);
    try {
      const pid = Number((await fs.readFile(file, 'utf8')).trim());
      if (pid && pid !== process.pid && isAlive(pid)) {
        throw new Error(`${this.dir} is in use by process ${pid} (${file}); stop it or choose another --dbpath`);
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    await fs.writeFile(file, `${process.pid}\n`);
  }

  private async unlock(): Promise<void> {
    await fs.rm(path.join(this.dir, LOCK_FILE), { force: true });
  }

  private async recover(): Promise<void> {
    const snap = await loadSnapshot(this.dir, this.catalog);
    const firstGen = snap?.journalGen ?? 0;
    const journals = await listJournals(this.dir);
    let replayed = 0;
    let lastGen = firstGen;
    for (const { gen, file } of journals) {
      if (gen < firstGen) continue;
      lastGen = Math.max(lastGen, gen);
      replayed += await this.replay(file);
    }
    if (snap || replayed > 0) {
      this.logger.info(`embedded-mongo: recovered ${snap?.documents ?? 0} documents from the snapshot and ${replayed} journal records from ${this.dir}`);
    }
    this.gen = lastGen + 1;
    this.journal = new Journal(path.join(this.dir, journalName(this.gen)), 0, () => fsyncDir(this.dir));
    if (replayed > 0 || journals.length > 0) {
      await writeSnapshot(this.dir, this.gen, captureImages(this.catalog));
      await this.removeJournalsBefore(this.gen);
    }
  }

  /** Applies one journal file; a torn or corrupt tail is cut off and the cut logged. */
  private async replay(file: string): Promise<number> {
    const data = await fs.readFile(file);
    const scan = scanRecords(data);
    for (const record of scan.records) {
      for (const bytes of splitBsonSequence(record)) {
        const op = deserialize(bytes) as WriteOp;
        try {
          applyOp(this.catalog, op);
        } catch (err) {
          this.logger.warn(`embedded-mongo: journal ${file}: could not re-apply ${op.op} on ${op.db}: ${(err as Error).message}`);
        }
      }
    }
    if (scan.problem) {
      this.logger.warn(
        `embedded-mongo: journal ${file} has a torn tail (${scan.problem}); cutting ${data.length - scan.validLength} bytes of unacknowledged writes`,
      );
      await fs.truncate(file, scan.validLength);
    }
    return scan.records.length;
  }

  private async removeJournalsBefore(gen: number): Promise<void> {
    for (const j of await listJournals(this.dir)) if (j.gen < gen) await fs.rm(j.file, { force: true });
    await fsyncDir(this.dir);
  }

  commit(ops: WriteOp[]): Promise<void> {
    const payload = Buffer.concat(ops.map((op) => serialize(op)));
    const durable = this.journal.append(payload);
    if (this.journal.size > this.compactAfterBytes && !this.compaction) this.compact();
    return durable;
  }

  /**
   * Switches to a new journal and snapshots the state at that same instant. Documents are
   * never edited in place, so the captured references stay a consistent image while the
   * snapshot is written in the background.
   */
  compact(): Promise<void> {
    if (this.compaction) return this.compaction;
    const old = this.journal;
    this.gen++;
    const gen = this.gen;
    this.journal = new Journal(path.join(this.dir, journalName(gen)), 0, () => fsyncDir(this.dir));
    const images = captureImages(this.catalog);
    this.compaction = (async () => {
      try {
        await writeSnapshot(this.dir, gen, images);
        await old.close();
        await this.removeJournalsBefore(gen);
        this.compactions++;
      } catch (err) {
        this.logger.warn(`embedded-mongo: compaction failed, the journals stay in place: ${(err as Error).message}`);
        await old.close().catch(() => undefined);
      } finally {
        this.compaction = null;
      }
    })();
    return this.compaction;
  }

  async close(): Promise<void> {
    if (this.compaction) await this.compaction;
    await this.journal.close();
    await this.unlock();
  }
}
