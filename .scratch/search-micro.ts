import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MongoClient, ObjectId, type Db } from 'mongodb';
import { startEmbeddedMongo } from '../server/embedded-mongo';
import { datasetDir } from '../test/bench/seed';
import { notTheLock } from '../test/bench/support/data-copy';

async function cpuPer(label: string, n: number, inFlight: number, op: (i: number) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < 200; i++) await op(i);
  let best = Infinity;
  for (let round = 0; round < 3; round++) {
    const c0 = process.cpuUsage(); let next = 0;
    await Promise.all(Array.from({ length: inFlight }, async () => { while (next < n) await op(next++); }));
    const c = process.cpuUsage(c0); best = Math.min(best, (c.user + c.system) / n);
  }
  console.log(`${label.padEnd(50)} ${best.toFixed(0)} µs CPU per op`);
}

async function main(): Promise<void> {
  const scale = process.argv[2] ?? 'small';
  const source = datasetDir(scale);
  const manifest = JSON.parse(readFileSync(path.join(source, 'manifest.json'), 'utf8'));
  const copy = mkdtempSync(path.join(os.tmpdir(), 'sm-'));
  cpSync(path.join(source, 'db'), copy, { recursive: true, filter: notTheLock });
  const engine = await startEmbeddedMongo({ dbpath: copy, socketPath: path.join(copy, 'm.sock'), logger: { info: () => {}, warn: () => {} } });
  const client = await MongoClient.connect(engine.uri);
  const db: Db = client.db('forum');
  const pub = (await db.collection('groups').find({ visibility: 'public' }, { projection: { _id: 1 } }).toArray()).map((g) => g._id);
  const theirs = manifest.persona.groupIds.map((id: string) => new ObjectId(id));
  const seen = new Set(pub.map(String));
  const readable = [...pub, ...theirs.filter((id: ObjectId) => !seen.has(String(id)))];
  const scope = { groupId: { $in: readable }, hiddenAt: null, deletedAt: null, $or: [{ groupId: { $in: theirs } }, { membersOnly: { $ne: true } }] };
  console.log(`readable ${readable.length}, theirs ${theirs.length}, load ${os.loadavg()[0]!.toFixed(1)}`);
  await cpuPer('ping', 2000, 20, () => db.command({ ping: 1 }));
  const words = (process.argv[3] ?? 'clinic,notes,clinic patient').split(',');
  for (const w of words) {
    const cmd = (projection: object) => db.command({ find: 'posts', filter: { $text: { $search: w }, ...scope }, projection, sort: { score: { $meta: 'textScore' }, _id: -1 }, skip: 0, limit: 21, batchSize: 21, singleBatch: true });
    await cpuPer(`search "${w}" ids`, 2000, 20, () => cmd({ _id: 1, score: { $meta: 'textScore' } }));
    await cpuPer(`search "${w}" ids, no scope $or`, 2000, 20, () => db.command({ find: 'posts', filter: { $text: { $search: w }, groupId: { $in: readable } }, projection: { _id: 1, score: { $meta: 'textScore' } }, sort: { score: { $meta: 'textScore' }, _id: -1 }, limit: 21, batchSize: 21, singleBatch: true }));
  }
  await client.close(); await engine.stop();
}
main().catch((e) => { console.error(e); process.exit(1); });
