// The process entry as an operator meets it: configuration errors, start, graceful stop, data kept.
import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

interface Started {
  child: ChildProcess;
  url: string;
  exited: Promise<number | null>;
}

function startMain(env: Record<string, string>): Started & { output: () => string } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: os.tmpdir(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, url: '', exited, output: () => output };
}

async function waitForListening(started: ReturnType<typeof startMain>): Promise<string> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const match = /forum listening on (http:\/\/[^\s]+)/.exec(started.output());
    if (match) return match[1]!;
    if (started.child.exitCode !== null) throw new Error(`server exited early:\n${started.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`server did not start:\n${started.output()}`);
}

/** The token of the first link to `page` that the log transport printed (the development way to follow mail). */
async function linkInLog(started: ReturnType<typeof startMain>, page: string): Promise<string> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const match = new RegExp(`${page}\\?token=([\\w-]+)`).exec(started.output());
    if (match) return match[1]!;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no ${page} link in the log:\n${started.output()}`);
}

describe('server/main.ts', function () {
  this.timeout(60_000);
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'forum-main-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses an invalid setting with one clear line and no stack trace', async () => {
    const started = startMain({ PORT: 'eighty', DATA_DIR: dir });
    expect(await started.exited).to.equal(1);
    const lines = started.output().trim().split('\n');
    expect(lines).to.have.length(1);
    expect(lines[0]).to.match(/^Configuration error: PORT must be a port number/);
  });

  it('refuses to listen beyond loopback without a mail server, in one line', async () => {
    const started = startMain({ HOST: '0.0.0.0', PORT: '0', DATA_DIR: dir });
    expect(await started.exited).to.equal(1);
    const lines = started.output().trim().split('\n');
    expect(lines).to.have.length(1);
    expect(lines[0]).to.match(/^Configuration error: HOST=0\.0\.0\.0 is reachable from other machines but no mail server is set: set SMTP_URL/);
  });

  it('serves, stops gracefully on SIGTERM, and keeps acknowledged data across restarts', async () => {
    const env = { PORT: '0', DATA_DIR: path.join(dir, 'data'), UPLOADS_DIR: path.join(dir, 'uploads'), MAIL_TRANSPORT: 'log' };
    const first = startMain(env);
    const url = await waitForListening(first);
    expect(await (await fetch(`${url}/api/health`)).json()).to.deep.equal({ ok: true, db: 'embedded' });
    const registered = await fetch(`${url}/api/auth/register`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        email: 'kept@example.org',
        password: 'a long enough password',
        name: 'Kept Person',
        dateOfBirth: '1980-02-03',
        acceptTerms: true,
      }),
    });
    expect(registered.status).to.equal(202);
    // The owner follows the verification link (read from the queued message, as the mail tests do over SMTP).
    const verified = await fetch(`${url}/api/auth/verify-email`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      // With the registration password, as the verification page sends it (without it the password is dropped).
      body: JSON.stringify({ token: await linkInLog(first, '/verify-email'), password: 'a long enough password' }),
    });
    expect(verified.status).to.equal(200);
    first.child.kill('SIGTERM');
    expect(await first.exited).to.equal(0);
    expect(first.output()).to.match(/SIGTERM received, shutting down/);

    const second = startMain(env);
    const url2 = await waitForListening(second);
    const login = await fetch(`${url2}/api/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: 'kept@example.org', password: 'a long enough password' }),
    });
    expect(login.status).to.equal(200);
    second.child.kill('SIGINT');
    expect(await second.exited).to.equal(0);
  });

  it('finishes a request that is in flight when SIGTERM arrives, then exits', async () => {
    const started = startMain({ PORT: '0', DATA_DIR: path.join(dir, 'data'), UPLOADS_DIR: path.join(dir, 'uploads'), MAIL_TRANSPORT: 'none' });
    const url = new URL(await waitForListening(started));
    const body = JSON.stringify({ email: 'nobody@example.org', password: 'not the right one at all' });
    // Half the body now, the rest after the signal: the request is in flight for certain while shutdown begins.
    const answered = new Promise<{ status: number; text: string }>((resolve, reject) => {
      const request = http.request(
        { host: url.hostname, port: url.port, path: '/api/auth/login', method: 'POST', headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) } },
        (response) => {
          let text = '';
          response.on('data', (chunk: Buffer) => (text += chunk.toString()));
          response.on('end', () => resolve({ status: response.statusCode!, text }));
        },
      );
      request.on('error', reject);
      request.write(body.slice(0, 10));
      setTimeout(() => {
        started.child.kill('SIGTERM');
        setTimeout(() => request.end(body.slice(10)), 500);
      }, 200);
    });
    const { status, text } = await answered;
    expect(status).to.equal(401);
    expect(JSON.parse(text).error.code).to.equal('unauthorized');
    expect(await started.exited).to.equal(0);
  });
});
