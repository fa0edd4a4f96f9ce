// Child processes of the bench: the standalone engine, the forum and the baselines, each pinned to a core.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '../..');
export const DATA_ROOT = path.join(ROOT, 'test/bench/.data');

/**
 * The V8 flags `npm start` gives the forum (package.json `config.nodeFlags`). Every server of the bench, the
 * baselines included, runs with them, so the forum runs as in production and the baselines on equal terms.
 */
export const PRODUCTION_NODE_FLAGS: readonly string[] = String(
  (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { config?: { nodeFlags?: string } }).config?.nodeFlags ?? '',
)
  .split(/\s+/)
  .filter(Boolean);

/** `taskset -c <core>` in front of a command when taskset exists and the machine has that core. */
export function pinned(core: number | null, command: string, args: string[]): [string, string[]] {
  if (core === null || !hasTaskset()) return [command, args];
  return ['taskset', ['-c', String(core), command, ...args]];
}

let tasksetKnown: boolean | null = null;
export function hasTaskset(): boolean {
  tasksetKnown ??= ['/usr/bin/taskset', '/bin/taskset', '/usr/sbin/taskset'].some((p) => existsSync(p));
  return tasksetKnown;
}

/** Pins the current process (all its threads) to one core; false when that is not possible here. */
export function pinSelf(core: number): boolean {
  if (!hasTaskset()) return false;
  const result = spawnSync('taskset', ['-a', '-p', '-c', String(core), String(process.pid)]);
  return result.status === 0;
}

export interface Child {
  readonly process: ChildProcess;
  readonly pid: number;
  /** Everything it printed, for error messages. */
  output(): string;
  /** Resolves with the first stdout/stderr line matching the pattern; rejects if it exits first or times out. */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray>;
  stop(): Promise<void>;
}

/** Every child still running, so a failing bench or seed can stop what it started. */
const running = new Set<Child>();

export async function stopAllChildren(): Promise<void> {
  await Promise.all([...running].map((child) => child.stop()));
}

export function startChild(command: string, args: string[], options: { env?: NodeJS.ProcessEnv; core?: number | null; ipc?: boolean } = {}): Child {
  const [cmd, argv] = pinned(options.core ?? null, command, args);
  const child = spawn(cmd, argv, {
    cwd: ROOT,
    env: { ...process.env, ...options.env },
    stdio: options.ipc ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  const listeners = new Set<(chunk: string) => void>();
  const onData = (data: Buffer): void => {
    const chunk = data.toString();
    text = (text + chunk).slice(-20_000);
    for (const listener of listeners) listener(chunk);
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const handle: Child = {
    process: child,
    pid: child.pid!,
    output: () => text,
    waitFor(pattern, timeoutMs) {
      return new Promise((resolve, reject) => {
        let seen = text;
        const check = (): boolean => {
          const match = pattern.exec(seen);
          if (match) {
            cleanup();
            resolve(match);
            return true;
          }
          return false;
        };
        const listener = (chunk: string): void => {
          seen += chunk;
          check();
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`timed out after ${timeoutMs} ms waiting for ${pattern} from ${command} ${args.join(' ')}; output:\n${text}`));
        }, timeoutMs);
        const onExit = (): void => {
          cleanup();
          reject(new Error(`${command} ${args.join(' ')} exited (${child.exitCode}) before printing ${pattern}; output:\n${text}`));
        };
        function cleanup(): void {
          clearTimeout(timer);
          listeners.delete(listener);
          child.off('exit', onExit);
        }
        if (check()) return;
        listeners.add(listener);
        child.once('exit', onExit);
      });
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
        await exited;
        clearTimeout(killer);
      }
      running.delete(handle);
    },
  };
  running.add(handle);
  void exited.then(() => running.delete(handle));
  return handle;
}

/** Node running a TypeScript entry through tsx, with the production V8 flags. */
export function tsNode(entry: string, extra: string[] = [], nodeFlags: string[] = []): [string, string[]] {
  return [process.execPath, [...PRODUCTION_NODE_FLAGS, '--import', 'tsx', ...nodeFlags, path.join(ROOT, entry), ...extra]];
}

/** The standalone engine on a free port over `dbpath`; resolves once it listens. */
export async function startEngine(dbpath: string, core: number | null = null): Promise<{ child: Child; uri: string }> {
  const [cmd, args] = tsNode('server/embedded-mongo/cli.ts', ['--port', '0', '--dbpath', dbpath]);
  const child = startChild(cmd, args, { core });
  const match = await child.waitFor(/embedded-mongo listening on (mongodb:\/\/\S+)/, 600_000);
  return { child, uri: match[1]! };
}

/** Resident set size of a process in bytes (Linux), or null when /proc is not there. */
export function rssOf(pid: number): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /VmRSS:\s+(\d+) kB/.exec(status);
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** CPU seconds (user + system) a process has used so far (Linux), or null. */
export function cpuSecondsOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of stat, i.e. 11 and 12 after the command name.
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}
