import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');

export interface CliProcess {
  proc: ChildProcess;
  uri: string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Runs the standalone CLI the way `npm run db` does, through tsx, in a child process. */
export function runCli(args: string[]): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', path.join('server', 'embedded-mongo', 'cli.ts'), ...args], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export function collectOutput(proc: ChildProcess): { stdout: () => string; stderr: () => string; exited: CliProcess['exited'] } {
  let out = '';
  let err = '';
  proc.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  proc.stderr?.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
  return { stdout: () => out, stderr: () => err, exited };
}

/** Starts the CLI and resolves once it printed its listening line. */
export async function startCli(args: string[], timeoutMs = 30_000): Promise<CliProcess> {
  const proc = runCli(args);
  let err = '';
  proc.stderr?.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
  const lines = readline.createInterface({ input: proc.stdout! });
  const uri = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`CLI did not start within ${timeoutMs} ms: ${err}`));
    }, timeoutMs);
    lines.on('line', (line) => {
      const m = /^embedded-mongo listening on (mongodb:\/\/\S+)$/.exec(line);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    void exited.then(({ code }) => {
      clearTimeout(timer);
      reject(new Error(`CLI exited with ${code} before listening: ${err}`));
    });
  });
  return { proc, uri, stderr: () => err, exited };
}
