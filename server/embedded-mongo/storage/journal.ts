import { promises as fs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { serialize } from 'bson';
import { recordPlace, type RecordCipher } from './crypto';
import { FILE_MODE, writeAll, type StorageFaults } from './file-io';
import { frameRecord, RECORD_HEADER_BYTES } from './records';

interface Pending {
  buffers: Uint8Array[];
  resolve: () => void;
  reject: (err: Error) => void;
}

export interface JournalOptions {
  /** The journal's generation, written in its header and bound into every sealed record. */
  gen: number;
  /** Seals every record after the plaintext header; null writes plaintext. */
  cipher: RecordCipher | null;
  /** Makes the new directory entry durable before the first record is acknowledged. */
  syncDirectory: (() => Promise<void>) | null;
  /** Told once when a write or fsync fails: from then on nothing can be acknowledged. */
  onFailure?: (err: Error) => void;
  faults?: StorageFaults;
}

/** The first record of every journal: plaintext, so a reader knows the format and which key seals the rest. */
export interface JournalHeader {
  kind: 'journal';
  format: 2;
  gen: number;
  keyId?: string;
}

/**
 * Append-only journal with group commit: every record waits for an fdatasync that covers it,
 * and records appended while one fdatasync runs share the next one.
 */
export class Journal {
  private pending: Pending[] = [];
  private flushing: Promise<void> | null = null;
  private failure: Error | null = null;
  private bytes = 0;
  private syncDirectory: (() => Promise<void>) | null;
  /** How many fdatasyncs have run; group commit keeps this well below the number of appends. */
  syncCount = 0;

  private readonly opened: Promise<FileHandle>;

  /**
   * Starts opening (creating) the file without waiting, so the switch to a new journal can
   * happen synchronously between two writes; the first flush waits for the open and makes
   * the new directory entry durable before anything in the file is acknowledged.
   */
  constructor(
    readonly path: string,
    private readonly options: JournalOptions,
  ) {
    this.syncDirectory = options.syncDirectory;
    this.opened = fs.open(path, 'a', FILE_MODE);
    // Surfaced by the first flush or by close(); a rejection nobody awaits yet must not crash.
    this.opened.catch(() => undefined);
    const header: JournalHeader = { kind: 'journal', format: 2, gen: options.gen, ...(options.cipher ? { keyId: options.cipher.keyId } : {}) };
    this.enqueue(frameRecord(serialize(header)), () => undefined, () => undefined);
  }

  /** Bytes in the file, including records still waiting for their fsync. */
  get size(): number {
    return this.bytes;
  }

  /** Resolves once the record is on disk. */
  append(payload: Uint8Array): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    const { cipher, gen } = this.options;
    const framed = frameRecord(cipher ? cipher.seal(payload, recordPlace('journal', gen, this.bytes)) : payload);
    return new Promise<void>((resolve, reject) => this.enqueue(framed, resolve, reject));
  }

  private enqueue(buffers: Uint8Array[], resolve: () => void, reject: (err: Error) => void): void {
    this.bytes += RECORD_HEADER_BYTES + buffers[1].length;
    this.pending.push({ buffers, resolve, reject });
    this.flushing ??= this.flushLoop();
  }

  private async flushLoop(): Promise<void> {
    const { faults } = this.options;
    while (this.pending.length > 0) {
      const batch = this.pending;
      this.pending = [];
      try {
        const fh = await this.opened;
        if (this.syncDirectory) {
          await this.syncDirectory();
          this.syncDirectory = null;
        }
        await writeAll(fh, batch.flatMap((p) => p.buffers), this.path, faults);
        await (faults?.datasync ? faults.datasync(fh, this.path) : fh.datasync());
        this.syncCount++;
        for (const p of batch) p.resolve();
      } catch (err) {
        // After a failed write or fsync the kernel may have dropped the dirty pages and cleared
        // the error: retrying could report success for data that never reached the disk.
        this.failure = new Error(`journal ${this.path}: ${(err as Error).message}`);
        for (const p of [...batch, ...this.pending]) p.reject(this.failure);
        this.pending = [];
        this.options.onFailure?.(this.failure);
      }
    }
    this.flushing = null;
  }

  /** Waits for everything appended so far, then closes the file. */
  async close(): Promise<void> {
    while (this.flushing) await this.flushing;
    await (await this.opened).close();
  }
}
