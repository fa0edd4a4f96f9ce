/**
 * Measures the figures the engine promises (not part of the test suite):
 *   npx tsx test/embedded-mongo/bench.ts [--likes]
 * Durable insert rates (fsync per acknowledgement, group commit under concurrency), seeding
 * 200k posts, and the "newest 20 posts of 30 groups" query: examined vs returned and time.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MongoClient, ObjectId } from 'mongodb';
import { startEmbeddedMongo } from '../../server/embedded-mongo';
import { Catalog } from '../../server/embedded-mongo/catalog/catalog';
import { runQuery } from '../../server/embedded-mongo/commands/query';

const quiet = { info: () => undefined, warn: (m: string) => console.warn(m) };

async function durableInserts(): Promise<void> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'embedded-mongo-bench-'));
  const server = await startEmbeddedMongo({ dbpath: dir, logger: quiet });
  const client = await MongoClient.connect(server.uri, { maxPoolSize: 64 });
  const c = client.db('bench').collection('w');
  await c.createIndex({ k: 1 }, { unique: true });
  let t = performance.now();
  for (let i = 0; i < 1000; i++) await c.insertOne({ k: i });
  console.log(`durable insertOne, 1 client, sequential: ${Math.round(1000 / ((performance.now() - t) / 1000))}/s`);
  t = performance.now();
  let next = 1000;
  await Promise.all(Array.from({ length: 32 }, async () => {
    while (next < 9000) await c.insertOne({ k: next++ });
  }));
  console.log(`durable insertOne, 32 concurrent clients: ${Math.round(8000 / ((performance.now() - t) / 1000))}/s`);
  t = performance.now();
  for (let b = 0; b < 20; b++) await c.insertMany(Array.from({ length: 1000 }, (_, i) => ({ k: 100_000 + b * 1000 + i })));
  console.log(`durable insertMany of 1000: ${Math.round(20_000 / ((performance.now() - t) / 1000))} docs/s`);
  await client.close();
  await server.stop();
  await fs.rm(dir, { recursive: true, force: true });
}

async function feedQuery(withLikes: boolean): Promise<void> {
  const server = await startEmbeddedMongo({ logger: quiet });
  const client = await MongoClient.connect(server.uri);
  const posts = client.db('bench').collection('posts');
  await posts.createIndex({ groupId: 1, parentId: 1, createdAt: -1, _id: -1 });
  await posts.createIndex({ authorId: 1, createdAt: -1 });
  await posts.createIndex({ createdAt: -1 });
  const groups = Array.from({ length: 300 }, () => new ObjectId());
  const authors = Array.from({ length: 5000 }, () => new ObjectId());
  let t = performance.now();
  for (let b = 0; b < 200_000; b += 10_000) {
    await posts.insertMany(
      Array.from({ length: 10_000 }, (_, j) => {
        const i = b + j;
        return { groupId: groups[i % 300], authorId: authors[i % 5000], parentId: i % 4 === 0 ? new ObjectId() : null, createdAt: new Date(1.7e12 + i * 1000), body: 'x'.repeat(200), likeCount: 0 };
      }),
    );
  }
  console.log(`200k posts with 3 secondary indexes (in memory): ${((performance.now() - t) / 1000).toFixed(1)} s, heap ${Math.round(process.memoryUsage().heapUsed / 2 ** 20)} MB`);
  const filter = { groupId: { $in: groups.slice(0, 30) }, parentId: null };
  const ex = (await posts.find(filter).sort({ createdAt: -1, _id: -1 }).limit(20).explain('executionStats')) as {
    executionStats: { nReturned: number; totalDocsExamined: number; totalKeysExamined: number };
  };
  console.log(`30-group feed: returned ${ex.executionStats.nReturned}, docs examined ${ex.executionStats.totalDocsExamined}, keys examined ${ex.executionStats.totalKeysExamined}`);
  for (let i = 0; i < 200; i++) await posts.find(filter).sort({ createdAt: -1, _id: -1 }).limit(20).toArray();
  t = performance.now();
  for (let i = 0; i < 1000; i++) await posts.find(filter).sort({ createdAt: -1, _id: -1 }).limit(20).toArray();
  console.log(`30-group feed through the driver (round trip included): ${((performance.now() - t) / 1000).toFixed(3)} ms per query`);
  await client.close();
  await server.stop();

  const catalog = new Catalog();
  const coll = catalog.create('bench', 'posts', {});
  coll.addIndex({ v: 2, key: { groupId: 1, parentId: 1, createdAt: -1, _id: -1 }, name: 'feed' });
  for (let i = 0; i < 200_000; i++) coll.insert({ _id: new ObjectId(), groupId: groups[i % 300], parentId: i % 4 === 0 ? new ObjectId() : null, createdAt: new Date(1.7e12 + i * 1000) });
  const sort: [string, 1 | -1][] = [['createdAt', -1], ['_id', -1]];
  for (let i = 0; i < 500; i++) for (const _ of runQuery(coll, { filter, sort, limit: 20 }).docs);
  t = performance.now();
  for (let i = 0; i < 2000; i++) for (const _ of runQuery(coll, { filter, sort, limit: 20 }).docs);
  console.log(`30-group feed inside the engine (plan + scan + fetch): ${((performance.now() - t) / 2000).toFixed(3)} ms per query`);

  if (withLikes) {
    const s2 = await startEmbeddedMongo({ logger: quiet });
    const c2 = await MongoClient.connect(s2.uri);
    const likes = c2.db('bench').collection('likes');
    await likes.createIndex({ postId: 1, userId: 1 }, { unique: true });
    await likes.createIndex({ userId: 1, createdAt: -1 });
    const before = process.memoryUsage().heapUsed;
    t = performance.now();
    for (let b = 0; b < 1_000_000; b += 20_000) {
      await likes.insertMany(Array.from({ length: 20_000 }, (_, j) => ({ postId: new ObjectId(), userId: authors[(b + j) % 5000], createdAt: new Date() })));
    }
    console.log(`1M likes with 2 secondary indexes: ${((performance.now() - t) / 1000).toFixed(1)} s, heap +${Math.round((process.memoryUsage().heapUsed - before) / 2 ** 20)} MB`);
    await c2.close();
    await s2.stop();
  }
}

(async () => {
  console.log(`node ${process.version}, ${os.cpus().length} CPUs, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  await durableInserts();
  await feedQuery(process.argv.includes('--likes'));
})().catch((err: Error) => {
  console.error(err);
  process.exit(1);
});
