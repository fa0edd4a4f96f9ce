// `npx tsx test/bench/engine-profile.ts [--requests N] [--scale small|full]`: the queries of one signed-in
// `GET /api/feed` (as test/bench/baselines/replay.ts and the forum send them), run one after another through
// the official driver against the embedded engine started in this process on a copy of the seeded data set.
// Prints mean and p99 per query and per request, then figure 8's "newest 20 of the persona's groups" query.
// For a CPU profile: `node --import tsx --cpu-prof --cpu-prof-dir=/tmp/prof test/bench/engine-profile.ts`.
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { MongoClient, ObjectId, type Db, type Document } from 'mongodb';
import { startEmbeddedMongo } from '../../server/embedded-mongo';
import { SCALES, type Manifest, type ScaleName } from './dataset';
import { stopAllChildren } from './processes';
import { datasetDir, seed } from './seed';
import { notTheLock } from './support/data-copy';

const PROJECTION = { groupId: 1, authorId: 1, parentId: 1, body: 1, bodyText: 1, images: 1, likeCount: 1, replyCount: 1, hiddenAt: 1, createdAt: 1, editedAt: 1 };
const PAGE = 20;

type Timings = Map<string, number[]>;

async function timed<T>(timings: Timings, name: string, run: () => Promise<T>): Promise<T> {
  const t0 = process.hrtime.bigint();
  const result = await run();
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  let list = timings.get(name);
  if (!list) timings.set(name, (list = []));
  list.push(ms);
  return result;
}

/** One home-feed request's queries, in the forum's order; returns the number of posts it would show. */
async function homeFeed(db: Db, token: string, timings: Timings): Promise<number> {
  const tokenHash = createHash('sha256').update(token).digest('hex');
  const record = await timed(timings, 'token by tokenHash', () => db.collection('tokens').findOne({ tokenHash }));
  if (!record) throw new Error('the persona token is unknown');
  const user = await timed(timings, 'user by _id', () => db.collection('users').findOne({ _id: record.userId }));
  if (!user) throw new Error('the persona is unknown');
  const publicRows = await timed(timings, 'public groups', () => db.collection('groups').find({ visibility: 'public' }, { projection: { _id: 1 } }).toArray());
  const memberRows = await timed(timings, 'memberships by userId', () =>
    db.collection('memberships').find({ userId: user._id, status: 'member' }, { projection: { groupId: 1 } }).toArray(),
  );
  const seen = new Set(publicRows.map((row) => String(row._id)));
  const groupIds = [...publicRows.map((row) => row._id), ...memberRows.map((row) => row.groupId).filter((id) => !seen.has(String(id)))];
  const rows = await timed(timings, `posts of ${groupIds.length} groups`, () =>
    db
      .collection('posts')
      .find({ groupId: { $in: groupIds }, parentId: null, hiddenAt: null, deletedAt: null }, { projection: PROJECTION })
      .sort({ _id: -1 })
      .limit(PAGE + 1)
      .toArray(),
  );
  const kept = rows.slice(0, PAGE);
  const authorIds = [...new Map(kept.map((r) => [String(r.authorId), r.authorId])).values()];
  await timed(timings, `authors by _id $in (${authorIds.length})`, () =>
    db.collection('users').find({ _id: { $in: authorIds } }, { projection: { displayName: 1, avatarKey: 1, bio: 1, createdAt: 1 } }).toArray(),
  );
  await timed(timings, 'likes by userId, postId $in', () =>
    db.collection('likes').find({ userId: user._id, postId: { $in: kept.map((r) => r._id) } }, { projection: { postId: 1 } }).toArray(),
  );
  return kept.length;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function report(timings: Timings): void {
  const pad = Math.max(...[...timings.keys()].map((k) => k.length));
  for (const [name, list] of timings) {
    const sorted = [...list].sort((a, b) => a - b);
    const mean = list.reduce((s, x) => s + x, 0) / list.length;
    console.log(`  ${name.padEnd(pad)}  mean ${mean.toFixed(3)} ms  p50 ${percentile(sorted, 50).toFixed(3)} ms  p99 ${percentile(sorted, 99).toFixed(3)} ms`);
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { requests: { type: 'string', default: '2000' }, scale: { type: 'string', default: 'small' } }, strict: true });
  const scale = values.scale as ScaleName;
  if (!(scale in SCALES)) throw new Error(`--scale must be one of ${Object.keys(SCALES).join(', ')}`);
  const requests = Number(values.requests);
  const source = datasetDir(scale);
  if (!existsSync(path.join(source, 'manifest.json')) || !existsSync(path.join(source, 'db', 'snapshot.bin'))) {
    await seed({ name: scale, size: SCALES[scale] });
  }
  const manifest = JSON.parse(readFileSync(path.join(source, 'manifest.json'), 'utf8')) as Manifest;
  const copy = mkdtempSync(path.join(os.tmpdir(), 'engine-profile-'));
  cpSync(path.join(source, 'db'), copy, { recursive: true, filter: notTheLock });
  const quiet = { info: () => undefined, warn: (m: string) => console.warn(m) };
  const engine = await startEmbeddedMongo({ dbpath: copy, logger: quiet });
  const client = await MongoClient.connect(engine.uri);
  const db = client.db('forum');
  try {
    console.log(`node ${process.version}, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}; ${scale} data set, ${requests} home-feed requests`);
    const warm: Timings = new Map();
    for (let i = 0; i < Math.min(200, requests); i++) await homeFeed(db, manifest.persona.token, warm);
    const timings: Timings = new Map();
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    for (let i = 0; i < requests; i++) {
      const shown = await timed(timings, 'whole request', () => homeFeed(db, manifest.persona.token, timings));
      if (shown !== PAGE) throw new Error(`the feed showed ${shown} posts, expected ${PAGE}`);
    }
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    report(timings);
    // CPU time moves less than wall time when other work shares the cores.
    console.log(`  ${(requests / seconds).toFixed(0)} requests/s one at a time; process CPU ${((cpu.user + cpu.system) / requests / 1000).toFixed(3)} ms per request`);

    const groupIds = manifest.persona.groupIds.map((id) => new ObjectId(id));
    const filter: Document = { groupId: { $in: groupIds }, parentId: null, hiddenAt: null, deletedAt: null };
    const posts = db.collection('posts');
    const figure8: Timings = new Map();
    let cpu8 = process.cpuUsage();
    for (let i = 0; i < 1020; i++) {
      if (i === 20) cpu8 = process.cpuUsage();
      const name = i < 20 ? 'warm-up' : `figure 8: newest 20 of ${groupIds.length} groups`;
      await timed(figure8, name, () => posts.find(filter).sort({ _id: -1 }).limit(20).toArray());
    }
    const used8 = process.cpuUsage(cpu8);
    figure8.delete('warm-up');
    report(figure8);
    console.log(`  process CPU ${((used8.user + used8.system) / 1000 / 1000).toFixed(3)} ms per query`);
  } finally {
    await client.close();
    await engine.stop();
    rmSync(copy, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  void stopAllChildren().then(() => process.exit(1));
});
