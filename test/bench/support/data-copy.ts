import path from 'node:path';

/**
 * cpSync filter for copying a seeded data directory: the copy carries neither the engine's lock file
 * (it names a process that has nothing to do with the copy) nor a socket a forum left behind (sockets
 * are not files to copy).
 */
export function notTheLock(source: string): boolean {
  const name = path.basename(source);
  return name !== 'mongod.lock' && name !== 'mongod.sock';
}
