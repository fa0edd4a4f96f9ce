import { readFileSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { UserCredentials } from './auth';
import { startEmbeddedMongo } from './index';

const USAGE = 'usage: npm run db -- [--port <n>] [--dbpath <dir>] [--host <address>] [--auth --users-file <users.json>]';

function fail(message: string): never {
  process.stderr.write(`embedded-mongo: ${message} (${USAGE})\n`);
  process.exit(2);
}

/**
 * `[{"user": "...", "password": "..."}]`, readable by its owner only (like an ssh key): the passwords
 * in it are what stands between other local users and the data.
 */
function readUsers(file: string): UserCredentials[] {
  let text: string;
  try {
    if (statSync(file).mode & 0o077) fail(`--users-file ${file} must be readable by its owner only (chmod 600)`);
    text = readFileSync(file, 'utf8');
  } catch (err) {
    fail(`--users-file ${file} cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  let users: unknown;
  try {
    users = JSON.parse(text);
  } catch {
    fail(`--users-file ${file} is not JSON`);
  }
  const valid = Array.isArray(users) && users.length > 0 && users.every((u) => typeof u?.user === 'string' && u.user && typeof u?.password === 'string' && u.password);
  if (!valid) fail(`--users-file ${file} must hold a non-empty array of {"user": "...", "password": "..."}`);
  return users as UserCredentials[];
}

function parse(): { port: number; dbpath?: string; host: string; users?: UserCredentials[] } {
  let values: { port?: string; dbpath?: string; host?: string; auth?: boolean; 'users-file'?: string };
  try {
    ({ values } = parseArgs({
      args: process.argv.slice(2),
      options: { port: { type: 'string' }, dbpath: { type: 'string' }, host: { type: 'string' }, auth: { type: 'boolean' }, 'users-file': { type: 'string' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    fail((err as Error).message);
  }
  const port = values.port === undefined ? 27017 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port must be an integer between 0 and 65535, got '${values.port}'`);
  if (values.dbpath === '') fail('--dbpath must not be empty');
  if (values.host === '') fail('--host must not be empty');
  if ((values.auth === true) !== (values['users-file'] !== undefined)) fail('--auth and --users-file go together');
  const users = values['users-file'] ? readUsers(values['users-file']) : undefined;
  return { port, dbpath: values.dbpath, host: values.host ?? '127.0.0.1', users };
}

async function main(): Promise<void> {
  const opts = parse();
  const server = await startEmbeddedMongo({
    ...opts,
    logger: { info: (m) => process.stderr.write(`${m}\n`), warn: (m) => process.stderr.write(`${m}\n`) },
    // As mongod does on a journal error: stop, and let the restart replay what is on disk.
    onFatal: () => process.exit(1),
  });
  process.stdout.write(`embedded-mongo listening on ${server.uri}\n`);
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`embedded-mongo: ${signal} received, shutting down\n`);
    server.stop().then(
      () => process.exit(0),
      (err: Error) => {
        process.stderr.write(`embedded-mongo: shutdown failed: ${err.message}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((err: Error) => {
  process.stderr.write(`embedded-mongo: failed to start: ${err.message}\n`);
  process.exit(1);
});
