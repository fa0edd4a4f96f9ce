// Child processes for multi-process tests: a private redis-server and whole forum processes
// (`server/main.ts`, configured only through the environment, exactly as in production).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const START_TIMEOUT_MS = 60_000;

/** Children still running; killed if the test process exits without stopping them (a crash, a timeout). */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const proc of running) proc.kill('SIGKILL');
});

/**
 * What process B answers settles to `expected` within a second. The cache's backstop age is 60 s, so only the
 * relayed event can make this pass; the second allows for Redis delivering it after A's HTTP response.
 */
export async function settlesTo<T>(read: () => Promise<T>, expected: T): Promise<T> {
  const deadline = Date.now() + 1_000;
  for (;;) {
    const status = await read();
    if (JSON.stringify(status) === JSON.stringify(expected) || Date.now() > deadline) return status;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => server.listen(0, '127.0.0.1', resolve).once('error', reject));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface Child {
  readonly process: ChildProcess;
  /** Everything the child wrote, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

/** Spawns `command` and resolves once `ready` matches its output; rejects (with the output) if it exits first. */
function start(command: string, args: string[], env: NodeJS.ProcessEnv, ready: RegExp): Promise<{ child: Child; match: RegExpMatchArray }> {
  const proc = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(proc);
  proc.once('exit', () => running.delete(proc));
  let output = '';
  const child: Child = {
    process: proc,
    output: () => output,
    stop: () =>
      new Promise<void>((resolve) => {
        if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
        const force = setTimeout(() => proc.kill('SIGKILL'), 10_000);
        proc.once('exit', () => {
          clearTimeout(force);
          resolve();
        });
        proc.kill('SIGTERM');
      }),
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void child.stop();
      reject(new Error(`${command} did not become ready within ${START_TIMEOUT_MS} ms:\n${output}`));
    }, START_TIMEOUT_MS);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = output.match(ready);
      if (match) {
        clearTimeout(timer);
        resolve({ child, match });
      }
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', onData);
    proc.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`could not run ${command}: ${error.message}`));
    });
    proc.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${command} exited (${code ?? signal}) before it was ready:\n${output}`));
    });
  });
}

export interface RedisServer extends Child {
  readonly url: string;
}

/** A throw-away redis-server on 127.0.0.1 without persistence (installed by scripts/ensure-test-deps.sh). */
export async function startRedis(): Promise<RedisServer> {
  const port = await freePort();
  const { child } = await start(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    process.env,
    /Ready to accept connections/,
  );
  return Object.assign(child, { url: `redis://127.0.0.1:${port}` });
}

export interface ForumProcess extends Child {
  readonly url: string;
}

/** A whole forum process (`node --import tsx server/main.ts`) on a free port, with the given settings. */
export async function startForumProcess(env: Record<string, string>): Promise<ForumProcess> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'forum-process-'));
  const { child, match } = await start(
    process.execPath,
    ['--import', 'tsx', path.resolve('server/main.ts')],
    {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: path.join(dir, 'data'),
      UPLOADS_DIR: path.join(dir, 'uploads'),
      MAIL_TRANSPORT: 'none',
      // info, because the bound port is read from the "listening" line.
      LOG_LEVEL: 'info',
      ...env,
    },
    /forum listening on (http:\/\/\S+?) /,
  );
  const stopChild = child.stop;
  return Object.assign(child, {
    url: match[1]!,
    async stop() {
      await stopChild();
      rmSync(dir, { recursive: true, force: true });
    },
  });
}

export interface EngineProcess extends Child {
  /** `mongodb://127.0.0.1:<port>` */
  readonly uri: string;
}

/** The embedded engine on its own (`npm run db`), in memory, on a free port: a database that a test can kill. */
export async function startEngineProcess(): Promise<EngineProcess> {
  const { child, match } = await start(
    process.execPath,
    ['--import', 'tsx', path.resolve('server/embedded-mongo/cli.ts'), '--port', '0'],
    { PATH: process.env.PATH, HOME: process.env.HOME },
    /embedded-mongo listening on (mongodb:\/\/\S+)/,
  );
  return Object.assign(child, { uri: match[1]! });
}
