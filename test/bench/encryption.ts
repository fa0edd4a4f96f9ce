// `npx tsx test/bench/encryption.ts [--json] [--rounds N] [--posts N]`: what encryption at rest (DATA_ENCRYPTION_KEY)
// costs the embedded engine. `npm run bench` runs it as figure 12 with `--json` (one line of best figures).
// Every figure is measured with and without a key in the same run, alternating (plain, sealed, plain,
// sealed) so that a busy neighbour hurts both alike; the ratio is sealed / plain (rates) or plain / sealed
// (times), so 1.00 means free and 0.80 means a fifth slower.
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { MongoClient, ObjectId } from 'mongodb';
import { startEmbeddedMongo } from '../../server/embedded-mongo';

const quiet = { info: () => undefined, warn: (m: string) => console.warn(m) };
const { values: args } = parseArgs({ options: { json: { type: 'boolean' }, rounds: { type: 'string', default: '3' }, posts: { type: 'string', default: '50000' } } });
const ROUNDS = Number(args.rounds);
/** A multiple of the 5000-post batch. */
const POSTS = Math.max(5000, Math.round(Number(args.posts) / 5000) * 5000);

export interface Figures {
  sequentialPerSec: number;
  concurrentPerSec: number;
  batchDocsPerSec: number;
  restartMs: number;
  feedMs: number;
}

async function measure(key: Buffer | undefined): Promise<Figures> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'embedded-mongo-crypt-bench-'));
  try {
    let server = await startEmbeddedMongo({ dbpath: dir, logger: quiet, encryptionKey: key });
    let client = await MongoClient.connect(server.uri, { maxPoolSize: 64 });
    const w = client.db('bench').collection('w');
    await w.createIndex({ k: 1 }, { unique: true });
    let t = performance.now();
    for (let i = 0; i < 500; i++) await w.insertOne({ k: i, body: 'x'.repeat(300) });
    const sequentialPerSec = 500 / ((performance.now() - t) / 1000);
    t = performance.now();
    let next = 500;
    await Promise.all(Array.from({ length: 32 }, async () => {
      while (next < 8500) await w.insertOne({ k: next++, body: 'x'.repeat(300) });
    }));
    const concurrentPerSec = 8000 / ((performance.now() - t) / 1000);

    const posts = client.db('bench').collection('posts');
    await posts.createIndex({ groupId: 1, parentId: 1, createdAt: -1, _id: -1 });
    const groups = Array.from({ length: 300 }, () => new ObjectId());
    t = performance.now();
    for (let b = 0; b < POSTS; b += 5000) {
      await posts.insertMany(
        Array.from({ length: 5000 }, (_, j) => ({ groupId: groups[(b + j) % 300], parentId: null, createdAt: new Date(1.7e12 + (b + j) * 1000), body: 'y'.repeat(400) })),
      );
    }
    const batchDocsPerSec = POSTS / ((performance.now() - t) / 1000);
    await client.close();
    await server.stop();

    // Start-up reads the snapshot and journal back (opening every sealed record) and compacts.
    t = performance.now();
    server = await startEmbeddedMongo({ dbpath: dir, logger: quiet, encryptionKey: key });
    const restartMs = performance.now() - t;
    client = await MongoClient.connect(server.uri);
    const feed = client.db('bench').collection('posts');
    const filter = { groupId: { $in: groups.slice(0, 30) }, parentId: null };
    for (let i = 0; i < 20; i++) await feed.find(filter).sort({ createdAt: -1, _id: -1 }).limit(20).toArray();
    t = performance.now();
    for (let i = 0; i < 200; i++) await feed.find(filter).sort({ createdAt: -1, _id: -1 }).limit(20).toArray();
    const feedMs = (performance.now() - t) / 200;
    await client.close();
    await server.stop();
    return { sequentialPerSec, concurrentPerSec, batchDocsPerSec, restartMs, feedMs };
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

function best(runs: Figures[], key: keyof Figures, higherIsBetter: boolean): number {
  const values = runs.map((r) => r[key]);
  return higherIsBetter ? Math.max(...values) : Math.min(...values);
}

async function main(): Promise<void> {
  const key = randomBytes(32);
  const plain: Figures[] = [];
  const sealed: Figures[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    plain.push(await measure(undefined));
    sealed.push(await measure(key));
  }
  if (args.json) {
    const bestOf = (runs: Figures[]): Figures => ({
      sequentialPerSec: best(runs, 'sequentialPerSec', true),
      concurrentPerSec: best(runs, 'concurrentPerSec', true),
      batchDocsPerSec: best(runs, 'batchDocsPerSec', true),
      restartMs: best(runs, 'restartMs', false),
      feedMs: best(runs, 'feedMs', false),
    });
    console.log(JSON.stringify({ encryption: { rounds: ROUNDS, posts: POSTS, plain: bestOf(plain), sealed: bestOf(sealed) } }));
    return;
  }
  const rows: [string, keyof Figures, boolean, string][] = [
    ['durable insertOne, 1 client (fsync per write)', 'sequentialPerSec', true, '/s'],
    ['durable insertOne, 32 clients (group commit)', 'concurrentPerSec', true, '/s'],
    [`insertMany of 5000 (${POSTS / 1000}k posts of 400 B)`, 'batchDocsPerSec', true, ' docs/s'],
    [`restart: load ${POSTS / 1000}k posts, replay, compact`, 'restartMs', false, ' ms'],
    ['feed query: newest 20 of 30 groups', 'feedMs', false, ' ms'],
  ];
  console.log(`| figure | plain | encrypted | ratio (1.00 = free) |\n|---|---|---|---|`);
  for (const [label, k, higher, unit] of rows) {
    const p = best(plain, k, higher);
    const s = best(sealed, k, higher);
    const ratio = higher ? s / p : p / s;
    const digits = unit === ' ms' && p < 10 ? 2 : 0;
    console.log(`| ${label} | ${p.toFixed(digits)}${unit} | ${s.toFixed(digits)}${unit} | ${ratio.toFixed(2)} |`);
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
