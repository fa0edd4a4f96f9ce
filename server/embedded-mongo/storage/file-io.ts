import { promises as fs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';

/** Data files are readable by the owner only, in a directory only the owner can enter. */
export const FILE_MODE = 0o600;
export const DIR_MODE = 0o700;

/** The steps of a compaction, in order; a crash between any two must lose nothing acknowledged. */
export type CompactionStep = 'snapshot-written' | 'snapshot-synced' | 'snapshot-verified' | 'snapshot-renamed' | 'directory-synced' | 'journals-removed';

/**
 * Faults tests inject into storage: disks write less than asked, fsync fails, a process dies
 * between two steps. Production passes none.
 */
export interface StorageFaults {
  /** Stands in for `FileHandle.writev`, for example to write fewer bytes than asked. */
  writev?(fh: FileHandle, buffers: Uint8Array[], file: string): Promise<{ bytesWritten: number }>;
  /** Stands in for `FileHandle.datasync` on the journal. */
  datasync?(fh: FileHandle, file: string): Promise<void>;
  /** Called after each compaction step; throwing stops the compaction right there, as a crash would. */
  afterStep?(step: CompactionStep): void;
}

/** Creates the directory owner-only, and tightens one that already exists. */
export async function ensurePrivateDir(dir: string): Promise<void> {
  await fs.mkdir(dir, { recursive: true, mode: DIR_MODE });
  await fs.chmod(dir, DIR_MODE);
}

/** Writes every byte: writev may write fewer bytes than asked, and the rest must follow. */
export async function writeAll(fh: FileHandle, buffers: Uint8Array[], file: string, faults?: StorageFaults): Promise<number> {
  let queue = buffers.filter((b) => b.length > 0);
  let total = 0;
  while (queue.length > 0) {
    const { bytesWritten } = faults?.writev ? await faults.writev(fh, queue, file) : await fh.writev(queue);
    if (bytesWritten <= 0) throw new Error(`${file}: write made no progress`);
    total += bytesWritten;
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
  return total;
}

export async function fsyncDir(dir: string): Promise<void> {
  const fh = await fs.open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}
