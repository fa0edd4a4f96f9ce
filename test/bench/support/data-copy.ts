import path from 'node:path';

/**
 * cpSync filter for copying a seeded data directory: the copy must not carry the engine's lock
 * file, whose pid (from an interrupted seed) may by then belong to an unrelated live process and
 * make the copy's engine refuse to start.
 */
export function notTheLock(source: string): boolean {
  return path.basename(source) !== 'mongod.lock';
}
