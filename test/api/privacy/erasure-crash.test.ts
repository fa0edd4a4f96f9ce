// Erasure is resumable: a forum process killed with SIGKILL half way through an erasure leaves a job that
// the next process finishes, and afterwards no trace of the person is left and every count is exact.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { MongoClient, ObjectId, type Db } from 'mongodb';
import { findFiles, findTraces } from '../../support/erasure';
import type { CrashSeed } from './fixtures/erasure-child';

const CHILD = path.resolve(__dirname, 'fixtures/erasure-child.ts');
const ENGINE_CLI = path.resolve(__dirname, '../../../server/embedded-mongo/cli.ts');

function start(args: string[]): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Resolves with the first stdout match; rejects if the process exits first or time runs out. */
function waitFor(child: ChildProcess, pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => finish(new Error(`no ${pattern} within ${timeoutMs} ms; stderr: ${err}`)), timeoutMs);
    const onOut = (chunk: Buffer) => {
      out += chunk.toString();
      const match = pattern.exec(out);
      if (match) finish(null, match);
    };
    const onErr = (chunk: Buffer) => (err += chunk.toString());
    const onExit = (code: number | null) => finish(new Error(`exited (${code}) before ${pattern}; stderr: ${err}`));
    function finish(error: Error | null, match?: RegExpMatchArray) {
      clearTimeout(timer);
      child.stdout!.off('data', onOut);
      child.stderr!.off('data', onErr);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve(match!);
    }
    child.stdout!.on('data', onOut);
    child.stderr!.on('data', onErr);
    child.once('exit', onExit);
  });
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

describe('resumable erasure: a process killed mid-erasure', function () {
  this.timeout(120_000);
  let workdir: string;
  let engine: ChildProcess;
  let client: MongoClient;
  let db: Db;
  let uri: string;
  let seed: CrashSeed;

  before(async () => {
    workdir = mkdtempSync(path.join(os.tmpdir(), 'forum-erasure-crash-'));
    engine = start([ENGINE_CLI, '--port', '0', '--dbpath', path.join(workdir, 'db')]);
    uri = (await waitFor(engine, /listening on (mongodb:\/\/\S+)/, 30_000))[1]!;
    client = await MongoClient.connect(`${uri}/crash`);
    db = client.db('crash');

    const first = start([CHILD, 'erase', `${uri}/crash`, workdir]);
    await waitFor(first, /MIDWAY/, 60_000);
    first.kill('SIGKILL');
    await exited(first);
    seed = JSON.parse(readFileSync(path.join(workdir, 'seed.json'), 'utf8')) as CrashSeed;
  });

  after(async () => {
    await client?.close();
    engine?.kill('SIGTERM');
    if (engine) await exited(engine);
    rmSync(workdir, { recursive: true, force: true });
  });

  it('was killed half way: the job is recorded with some steps done, the account invisible but not yet gone', async () => {
    const job = await db.collection('erasurejobs').findOne({ userId: new ObjectId(seed.erasedId) });
    expect(job).to.not.equal(null);
    expect(job!.stepsDone).to.deep.equal(['preserve', 'posts']);
    expect((await db.collection('users').findOne({ _id: new ObjectId(seed.erasedId) }))!.status).to.equal('erasing');
    expect(await db.collection('likes').countDocuments({ userId: new ObjectId(seed.erasedId) })).to.be.greaterThan(0);
  });

  it('is finished by the next process, leaving no trace and exact counts', async () => {
    const second = start([CHILD, 'resume', `${uri}/crash`, workdir]);
    await waitFor(second, /DONE/, 60_000);
    expect(await exited(second)).to.equal(0);

    expect(await db.collection('erasurejobs').countDocuments({})).to.equal(0);
    expect(await findTraces([seed.erasedId, seed.email, seed.name, seed.dateOfBirth], db)).to.deep.equal([]);
    expect(await findFiles(path.join(workdir, 'uploads'), seed.fileKeys)).to.deep.equal([]);
    expect(await db.collection('suppressions').countDocuments({})).to.equal(1);

    for (const id of seed.othersPostIds) {
      const post = await db.collection('posts').findOne({ _id: new ObjectId(id) });
      const likes = await db.collection('likes').countDocuments({ postId: new ObjectId(id) });
      const replies = await db.collection('posts').countDocuments({ parentId: new ObjectId(id), hiddenAt: null, deletedAt: null });
      expect([post!.likeCount, post!.replyCount], id).to.deep.equal([likes, replies]);
    }
    for (const id of seed.groupIds) {
      const group = await db.collection('groups').findOne({ _id: new ObjectId(id) });
      expect(group!.memberCount).to.equal(await db.collection('memberships').countDocuments({ groupId: new ObjectId(id), status: 'member' }));
    }
    const placeholder = await db.collection('posts').findOne({ _id: new ObjectId(seed.answeredId) });
    expect(placeholder).to.deep.include({ authorId: null, body: '', images: [] });
    expect(await db.collection('posts').countDocuments({ _id: new ObjectId(seed.othersReplyId), parentId: new ObjectId(seed.answeredId) })).to.equal(1);
  });
});
