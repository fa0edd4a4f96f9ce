// Baseline for the feeds: the same queries the forum makes for `GET /api/feed` and a group's feed, sent
// through the raw driver and turned into the same JSON in a bare node:http handler, over the same embedded
// engine in the same process (as `npm start` runs it). What is left between this and the forum is the cost
// of Express, passport, mongoose, the policy module and the presenters. Under `/memo/…` it remembers what the
// forum's read cache keeps (viewer, readable groups, groups, authors, each group's newest posts, the viewer's
// likes), so both make the same round trips: none once warm.
// Also answers the engine probe (figure 8). Usage: replay.ts <dataDir> (prints "replay listening on <port>").
import { createHash } from 'node:crypto';
import { openSync, closeSync, fsyncSync, writeSync, rmSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { MongoClient, ObjectId, type Db, type Document } from 'mongodb';
import { serialize } from 'bson';
import { startEmbeddedMongo } from '../../../server/embedded-mongo';
import { signPostImage } from '../../../server/media/post-images';
import { loadMediaSecret, UrlSigner } from '../../../server/media/signed-urls';

const PROJECTION = { groupId: 1, authorId: 1, parentId: 1, body: 1, bodyText: 1, images: 1, likeCount: 1, replyCount: 1, hiddenAt: 1, createdAt: 1, editedAt: 1 };
const PAGE = 20;

interface Viewer {
  _id: ObjectId;
  siteModerator: boolean;
}

/** What the viewer is to a group, for the posts' `can`: its visibility and the viewer's role there (null: not a member). */
interface GroupFacts {
  visibility: string;
  role: string | null;
}

/** The readable groups, with what `can` needs of each. */
interface Readable {
  ids: ObjectId[];
  facts: Map<string, GroupFacts>;
}

/** The `/memo/…` answers' memory; null while answering an unprefixed request. */
type Memo = Map<string, unknown> | null;
const remembered = new Map<string, unknown>();

async function recall<T>(memo: Memo, key: string, load: () => Promise<T>): Promise<T> {
  if (!memo) return load();
  if (memo.has(key)) return memo.get(key) as T;
  const value = await load();
  memo.set(key, value);
  return value;
}

async function viewerOf(db: Db, header: string | undefined, memo: Memo): Promise<Viewer | null> {
  const token = /^Bearer (.+)$/.exec(header ?? '')?.[1];
  if (!token) return null;
  return recall(memo, `viewer:${token}`, () => lookUpViewer(db, token));
}

async function lookUpViewer(db: Db, token: string): Promise<Viewer | null> {
  const record = await db.collection('tokens').findOne({ tokenHash: createHash('sha256').update(token).digest('hex') });
  if (!record || record.expiresAt.getTime() <= Date.now()) return null;
  const user = await db.collection('users').findOne({ _id: record.userId });
  const roles = (user?.roles ?? []) as string[];
  return user && user.status === 'active' ? { _id: user._id as ObjectId, siteModerator: roles.includes('moderator') || roles.includes('admin') } : null;
}

function readableGroups(db: Db, viewer: Viewer, memo: Memo): Promise<Readable> {
  return recall(memo, `readable:${viewer._id}`, () => lookUpReadableGroups(db, viewer));
}

async function lookUpReadableGroups(db: Db, viewer: Viewer): Promise<Readable> {
  const [publicRows, memberRows] = await Promise.all([
    db.collection('groups').find({ visibility: 'public' }, { projection: { _id: 1 } }).toArray(),
    db.collection('memberships').find({ userId: viewer._id, status: 'member' }, { projection: { groupId: 1, role: 1 } }).toArray(),
  ]);
  const facts = new Map<string, GroupFacts>(publicRows.map((row) => [String(row._id), { visibility: 'public', role: null }]));
  const ids = publicRows.map((row) => row._id as ObjectId);
  for (const row of memberRows) {
    const known = facts.get(String(row.groupId));
    if (known) known.role = row.role as string;
    else {
      facts.set(String(row.groupId), { visibility: 'closed', role: row.role as string });
      ids.push(row.groupId as ObjectId);
    }
  }
  return { ids, facts };
}

/** The forum's `can` for a listed post (readable, top-level, neither hidden nor deleted), restated for the baseline. */
function permissions(row: Document, viewer: Viewer, group: GroupFacts | undefined) {
  const isAuthor = row.authorId != null && String(row.authorId) === String(viewer._id);
  const member = group?.role != null;
  const manages = group?.role === 'owner' || group?.role === 'moderator';
  return {
    edit: isAuthor,
    delete: isAuthor || manages || viewer.siteModerator,
    reply: row.parentId == null && member,
    like: group?.visibility === 'public' || member,
    report: !isAuthor,
    hide: viewer.siteModerator || manages,
    // Only a hidden post can be restored, and feeds list none.
    restore: false,
  };
}

function newestOf(db: Db, groupIds: ObjectId[]): Promise<Document[]> {
  return db
    .collection('posts')
    .find({ groupId: { $in: groupIds }, parentId: null, hiddenAt: null, deletedAt: null }, { projection: PROJECTION })
    .sort({ _id: -1 })
    .limit(PAGE + 1)
    .toArray();
}

interface Head {
  rows: Document[];
  /** Hex ids, compared as strings. */
  ids: string[];
}

/**
 * The first page's rows. Remembering, each group's newest rows are kept (as the forum's read cache keeps
 * group heads) and merged in memory; the heads hold a full page each, so the merge is exact.
 */
async function topLevel(db: Db, groupIds: ObjectId[], memo: Memo): Promise<Document[]> {
  if (!memo) return newestOf(db, groupIds);
  const heads = await Promise.all(
    groupIds.map((id) =>
      recall(memo, `head:${id}`, async (): Promise<Head> => {
        const rows = await newestOf(db, [id]);
        return { rows, ids: rows.map((row) => String(row._id)) };
      }),
    ),
  );
  const at = heads.map(() => 0);
  const rows: Document[] = [];
  while (rows.length < PAGE + 1) {
    let best = -1;
    for (let i = 0; i < heads.length; i++) {
      if (at[i]! < heads[i]!.ids.length && (best < 0 || heads[i]!.ids[at[i]!]! > heads[best]!.ids[at[best]!]!)) best = i;
    }
    if (best < 0) break;
    rows.push(heads[best]!.rows[at[best]!]!);
    at[best]!++;
  }
  return rows;
}

/** Documents by id from a collection, the remembered ones from memory. */
async function byIds(db: Db, memo: Memo, collection: string, ids: ObjectId[], projection: Document): Promise<Document[]> {
  const known = memo ? ids.filter((id) => memo.has(`${collection}:${id}`)).map((id) => memo.get(`${collection}:${id}`) as Document | null) : [];
  const missing = memo ? ids.filter((id) => !memo.has(`${collection}:${id}`)) : ids;
  const found = missing.length ? await db.collection(collection).find({ _id: { $in: missing } }, { projection }).toArray() : [];
  if (memo) {
    const byId = new Map(found.map((doc) => [String(doc._id), doc]));
    for (const id of missing) memo.set(`${collection}:${id}`, byId.get(String(id)) ?? null);
  }
  return [...known.filter((doc): doc is Document => doc !== null), ...found];
}

/** Hex ids of the rows the viewer likes; remembering, every like of the viewer is kept (as the forum's read cache does). */
async function likedAmong(db: Db, viewer: Viewer, rows: Document[], memo: Memo): Promise<Set<string>> {
  const likes = db.collection('likes');
  if (memo) {
    return recall(memo, `likes:${viewer._id}`, async () =>
      new Set((await likes.find({ userId: viewer._id }, { projection: { _id: 0, postId: 1 } }).toArray()).map((like) => String(like.postId))),
    );
  }
  const found = await likes.find({ userId: viewer._id, postId: { $in: rows.map((r) => r._id) } }, { projection: { postId: 1 } }).toArray();
  return new Set(found.map((like) => String(like.postId)));
}

async function present(db: Db, signer: UrlSigner, rows: Document[], viewer: Viewer, memo: Memo, facts: Map<string, GroupFacts>): Promise<string> {
  const more = rows.length > PAGE;
  const kept = more ? rows.slice(0, PAGE) : rows;
  const authorIds = [...new Map(kept.filter((r) => r.authorId).map((r) => [String(r.authorId), r.authorId])).values()];
  const withImages = kept.filter((r) => r.images?.length);
  const [authors, likes, groups] = await Promise.all([
    byIds(db, memo, 'users', authorIds, { displayName: 1, avatarKey: 1, bio: 1, createdAt: 1 }),
    likedAmong(db, viewer, kept, memo),
    withImages.length
      ? byIds(db, memo, 'groups', [...new Set(withImages.map((r) => String(r.groupId)))].map((id) => new ObjectId(id)), { visibility: 1 })
      : Promise.resolve([]),
  ]);
  const byId = new Map(authors.map((a) => [String(a._id), a]));
  const liked = likes;
  const publicGroups = new Set(groups.filter((g) => g.visibility === 'public').map((g) => String(g._id)));
  const now = Math.floor(Date.now() / 1000);
  const items = kept.map((row) => {
    const author = row.authorId ? byId.get(String(row.authorId)) : undefined;
    const longLived = publicGroups.has(String(row.groupId)) && !row.hiddenAt;
    return {
      id: String(row._id),
      groupId: String(row.groupId),
      author: author
        ? { id: String(author._id), displayName: author.displayName, avatarUrl: author.avatarKey ? `/media/avatars/${author.avatarKey}-512.webp` : null, bio: author.bio ?? '', joinedAt: author.createdAt.toISOString() }
        : null,
      body: row.body ?? '',
      bodyText: row.bodyText ?? '',
      parentId: row.parentId ? String(row.parentId) : null,
      images: (row.images ?? []).map((image: { key: string; width: number; height: number }) => ({
        url: signPostImage(signer, image.key, '1280', longLived, now),
        width: image.width,
        height: image.height,
        thumbnailUrl: signPostImage(signer, image.key, '320', longLived, now),
      })),
      likeCount: row.likeCount ?? 0,
      likedByMe: liked.has(String(row._id)),
      replyCount: row.replyCount ?? 0,
      createdAt: row.createdAt.toISOString(),
      editedAt: row.editedAt ? row.editedAt.toISOString() : null,
      can: permissions(row, viewer, facts.get(String(row.groupId))),
    };
  });
  return JSON.stringify({ items, nextCursor: more ? String(kept[kept.length - 1]!._id) : null });
}

async function homeFeed(db: Db, signer: UrlSigner, viewer: Viewer, memo: Memo): Promise<string> {
  const readable = await readableGroups(db, viewer, memo);
  return present(db, signer, await topLevel(db, readable.ids, memo), viewer, memo, readable.facts);
}

async function groupFeed(db: Db, signer: UrlSigner, viewer: Viewer, groupId: ObjectId, memo: Memo): Promise<string | null> {
  const [group] = await byIds(db, memo, 'groups', [groupId], { visibility: 1 });
  if (!group) return null;
  const membership = await recall(memo, `membership:${groupId}:${viewer._id}`, () =>
    db.collection('memberships').findOne({ groupId, userId: viewer._id }, { projection: { status: 1, role: 1 } }),
  );
  const member = membership?.status === 'member';
  if (group.visibility !== 'public' && !member) return null;
  const facts = new Map([[String(groupId), { visibility: group.visibility as string, role: member ? (membership!.role as string) : null }]]);
  return present(db, signer, await topLevel(db, [groupId], memo), viewer, memo, facts);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Figure 8: the "newest 20 of these groups" query, its explain, and the in-memory slice of the same documents. */
async function engineProbe(db: Db, groupIds: ObjectId[]): Promise<Document> {
  const filter = { groupId: { $in: groupIds }, parentId: null, hiddenAt: null, deletedAt: null };
  const posts = db.collection('posts');
  const explain = (await posts.find(filter).sort({ _id: -1 }).limit(20).explain('executionStats')) as Document;
  const stats = explain.executionStats as Document;
  const runs = 300;
  const times: number[] = [];
  let returned: Document[] = [];
  for (let i = 0; i < runs + 20; i++) {
    const t0 = process.hrtime.bigint();
    returned = await posts.find(filter).sort({ _id: -1 }).limit(20).toArray();
    if (i >= 20) times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  times.sort((a, b) => a - b);
  // The baseline: the same 20 documents already in memory, sorted; a slice and a copy (the driver hands out fresh objects).
  const all = (await posts.find(filter).sort({ _id: -1 }).toArray()).slice(0, 5_000);
  const sliceTimes: number[] = [];
  let sliced: Document[] = [];
  for (let i = 0; i < runs + 20; i++) {
    const t0 = process.hrtime.bigint();
    sliced = structuredClone(all.slice(0, 20));
    if (i >= 20) sliceTimes.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  sliceTimes.sort((a, b) => a - b);
  const same = returned.length === 20 && returned.every((doc, i) => String(doc._id) === String(all[i]!._id)) && sliced.length === 20;
  return {
    returned: returned.length,
    sameDocuments: same,
    docsExamined: stats.totalDocsExamined,
    keysExamined: stats.totalKeysExamined,
    nReturned: stats.nReturned,
    queryMs: { p50: percentile(times, 50), p99: percentile(times, 99) },
    sliceMs: { p50: percentile(sliceTimes, 50), p99: percentile(sliceTimes, 99) },
    groups: groupIds.length,
  };
}

/** Acknowledged inserts per second at a given concurrency, for `seconds`; the engine fsyncs before acknowledging. */
async function insertRate(db: Db, concurrency: number, seconds: number): Promise<number> {
  const collection = db.collection('bench_probe_inserts');
  const until = Date.now() + seconds * 1000;
  let done = 0;
  const t0 = Date.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < until) {
        await collection.insertOne({ groupId: new ObjectId(), body: '<p>probe insert of a typical post size</p>'.repeat(8), createdAt: new Date() });
        done++;
      }
    }),
  );
  const rate = done / ((Date.now() - t0) / 1000);
  await collection.drop();
  return rate;
}

/** The disk's ceiling for the same bytes: append and fsync, one record at a time. */
function fsyncRate(dir: string, seconds: number): number {
  const file = path.join(dir, 'fsync-probe.bin');
  const record = serialize({ groupId: new ObjectId(), body: '<p>probe insert of a typical post size</p>'.repeat(8), createdAt: new Date() });
  const fd = openSync(file, 'w');
  const until = Date.now() + seconds * 1000;
  const t0 = Date.now();
  let done = 0;
  try {
    while (Date.now() < until) {
      writeSync(fd, record);
      fsyncSync(fd);
      done++;
    }
  } finally {
    closeSync(fd);
    rmSync(file, { force: true });
  }
  return done / ((Date.now() - t0) / 1000);
}

async function main(): Promise<void> {
  const dataDir = process.argv[2];
  if (!dataDir) throw new Error('usage: replay.ts <dataDir>');
  const engine = await startEmbeddedMongo({ dbpath: path.join(dataDir, 'db') });
  const client = await MongoClient.connect(`${engine.uri}/forum`);
  const db = client.db('forum');
  const signer = new UrlSigner(await loadMediaSecret(null, dataDir));

  const server = http.createServer((req, res) => {
    const send = (status: number, body: string): void => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    };
    (async () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const memo: Memo = url.pathname.startsWith('/memo/') ? remembered : null;
      if (memo) url.pathname = url.pathname.slice('/memo'.length);
      if (url.pathname === '/probe/engine') {
        const ids = (url.searchParams.get('groups') ?? '').split(',').filter(Boolean).map((id) => new ObjectId(id));
        return send(200, JSON.stringify(await engineProbe(db, ids)));
      }
      if (url.pathname === '/probe/inserts') {
        const seconds = Number(url.searchParams.get('seconds') ?? 3);
        const result = {
          sequential: await insertRate(db, 1, seconds),
          concurrent64: await insertRate(db, 64, seconds),
          fsyncLoop: fsyncRate(path.join(dataDir, 'db'), seconds),
        };
        return send(200, JSON.stringify(result));
      }
      const viewer = await viewerOf(db, req.headers.authorization, memo);
      if (!viewer) return send(401, '{"error":{"code":"unauthorized","message":"Sign in first."}}');
      if (url.pathname === '/api/feed') return send(200, await homeFeed(db, signer, viewer, memo));
      const group = /^\/api\/groups\/([0-9a-f]{24})\/posts$/.exec(url.pathname);
      if (group) {
        const body = await groupFeed(db, signer, viewer, new ObjectId(group[1]), memo);
        return body === null ? send(404, '{"error":{"code":"not_found","message":"No such group."}}') : send(200, body);
      }
      send(404, '{"error":{"code":"not_found","message":"No such route."}}');
    })().catch((error: unknown) => send(500, JSON.stringify({ error: String(error) })));
  });
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    process.stdout.write(`replay listening on ${typeof address === 'object' && address ? address.port : 0}\n`);
  });
  process.on('SIGTERM', () => {
    server.close();
    client
      .close()
      .then(() => engine.stop())
      .then(() => process.exit(0), () => process.exit(1));
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`replay failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
