import { promises as fs } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { FILE_MODE } from './file-io';

export const LOCK_FILE = 'mongod.lock';

/** Owns a data directory for as long as the process holds it. */
export interface DirectoryLock {
  release(): Promise<void>;
}

function inUse(dir: string, file: string, pid: string): Error {
  return new Error(`${dir} is in use by process ${pid || 'unknown'} (${file}); stop it or choose another --dbpath`);
}

async function readPid(file: string): Promise<string> {
  return (await fs.readFile(file, 'utf8').catch(() => '')).trim();
}

/**
 * On Linux the lock is a Unix socket bound in the abstract namespace under the directory's device
 * and inode: binding is atomic, a second bind fails, and the kernel releases it when the owner
 * dies, so a crashed process never leaves a lock behind and two processes can never both hold it.
 * `mongod.lock` only tells people which process that is.
 */
async function abstractSocketLock(dir: string, file: string): Promise<DirectoryLock> {
  // The birth time tells a directory from a later one that reuses its inode number.
  const { dev, ino, birthtimeMs } = await fs.stat(dir);
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EADDRINUSE') reject(err);
      else readPid(file).then((pid) => reject(inUse(dir, file, pid)), reject);
    });
    server.listen(`\0embedded-mongo-lock:${dev}:${ino}:${birthtimeMs}`, () => resolve());
  });
  server.unref();
  await fs.writeFile(file, `${process.pid}\n`, { mode: FILE_MODE });
  // A file a crashed owner left behind keeps its old mode through writeFile.
  await fs.chmod(file, FILE_MODE);
  let released = false;
  return {
    async release() {
      if (released) return;
      released = true;
      await fs.rm(file, { force: true });
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Elsewhere: the lock file is created exclusively; one whose process is gone is taken over once. */
async function exclusiveFileLock(dir: string, file: string): Promise<DirectoryLock> {
  for (let attempt = 0; ; attempt++) {
    try {
      await fs.writeFile(file, `${process.pid}\n`, { flag: 'wx', mode: FILE_MODE });
      return { release: () => fs.rm(file, { force: true }) };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = await readPid(file);
      if (attempt > 0 || (Number(pid) > 0 && isAlive(Number(pid)))) throw inUse(dir, file, pid);
      await fs.rm(file, { force: true });
    }
  }
}

/** Takes the data directory for this process or throws naming the process that has it. */
export function lockDirectory(dir: string): Promise<DirectoryLock> {
  const file = path.join(dir, LOCK_FILE);
  return process.platform === 'linux' ? abstractSocketLock(dir, file) : exclusiveFileLock(dir, file);
}
