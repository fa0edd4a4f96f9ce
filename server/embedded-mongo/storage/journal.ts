import { promises as fs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { frameRecord } from './records';

interface Pending {
  buffers: Uint8Array[];
  resolve: () => void;
  reject: (err: Error) => void;
}

/**
 * Append-only journal with group commit: every record waits for an fdatasync that covers it,
 * and records appended while one fdatasync runs share the next one.
 */
export class Journal {
  private pending: Pending[] = [];
  private flushing: Promise<void> | null = null;
  private failure: Error | null = null;
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
    private bytes: number,
    private syncDirectory: (() => Promise<void>) | null,
  ) {
    this.opened = fs.open(path, 'a');
    // Surfaced by the first flush or by close(); a rejection nobody awaits yet must not crash.
    this.opened.catch(() => undefined);
  }

  /** Bytes in the file, including records still waiting for their fsync. */
  get size(): number {
    return this.bytes;
  }

  /** Resolves once the record is on disk. */
  append(payload: Uint8Array): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    const buffers = frameRecord(payload);
    this.bytes += buffers[0].length + buffers[1].length;
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ buffers, resolve, reject });
      this.flushing ??= this.flushLoop();
    });
  }

  private async flushLoop(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending;
      this.pending = [];
      try {
        const fh = await this.opened;
        if (this.syncDirectory) {
          await this.syncDirectory();
          this.syncDirectory = null;
        }
        await writeAll(fh, batch.flatMap((p) => p.buffers));
        await fh.datasync();
        this.syncCount++;
        for (const p of batch) p.resolve();
      } catch (err) {
        // After a failed write or fsync nothing later can be acknowledged safely.
        this.failure = err as Error;
        for (const p of [...batch, ...this.pending]) p.reject(this.failure);
        this.pending = [];
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

async function writeAll(fh: FileHandle, buffers: Uint8Array[]): Promise<void> {
  let queue = buffers;
  while (queue.length > 0) {
    const { bytesWritten } = await fh.writev(queue);
    let left = bytesWritten;
    const rest: Uint8Array[] = [];
    for (const b of queue) {
      if (left >= b.length) left -= b.length;
      else {
        rest.push(left > 0 ? b.subarray(left) : b);
        left = 0;
      }
    }
    queue = rest;
  }
}
