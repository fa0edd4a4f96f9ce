// `npm run bench [-- --full] [--seconds N] [--reseed]`: every hot path under load, each figure next to a
// baseline measured in the same run, written to test/bench/RESULTS.md. Servers run pinned to core 0 and this
// process (the load generator) to core 1. The forum runs as `npm start` does: embedded engine in-process.
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import type { Manifest } from './dataset';
import { SCALES, type ScaleName } from './dataset';
import { fetchChecked, measureDelivery, measureHttp, requireItems, socketPool, type Delivery, type HttpFigure } from './load';
import { hasTaskset, pinSelf, PRODUCTION_NODE_FLAGS, ROOT, startChild, stopAllChildren, tsNode, type Child } from './processes';
import { datasetDir, seed } from './seed';
import type { ProbeRequest, ProbeStats } from './support/probe';

const SERVER_CORE = 0;
const LOAD_CORE = 1;
const CONNECTIONS = 50;
const LIVE_SIZES = [100, 1_000, 5_000];
const LIVE_MESSAGES = 20;
const WRITE_SOCKETS = 1_000;
const PROBE = path.join(ROOT, 'test/bench/support/probe.ts');

interface Row {
  figure: string;
  measured: string;
  baseline: string;
  ratio: number;
  target: string;
  met: boolean | null;
  conditions: string;
}

const rows: Row[] = [];
const notes: string[] = [];
function log(line: string): void {
  process.stdout.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);
}

function fmt(n: number, digits = 0): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}
function cpuText(figure: HttpFigure): string {
  return `server CPU ${figure.serverCpu === null ? 'n/a' : `${fmt(figure.serverCpu * 100)} %`}, load generator CPU ${fmt(figure.loadCpu * 100)} %`;
}
function httpText(figure: HttpFigure): string {
  return `${fmt(figure.requestsPerSecond)} req/s, p50 ${fmt(figure.p50, 1)} ms, p99 ${fmt(figure.p99, 1)} ms`;
}

/** A server child with the probe preloaded, so its event loop, memory and CPU can be read over IPC. */
class Server {
  private nextId = 1;
  private constructor(
    readonly child: Child,
    readonly port: number,
  ) {}

  static async start(entry: string, args: string[], env: NodeJS.ProcessEnv, ready: RegExp): Promise<Server> {
    const [cmd, argv] = tsNode(entry, args, ['--expose-gc', '--import', PROBE]);
    const child = startChild(cmd, argv, { env, core: SERVER_CORE, ipc: true });
    const match = await child.waitFor(ready, 600_000);
    return new Server(child, Number(match[1]));
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  private ask(request: { probe: 'stats'; gc?: boolean } | { probe: 'reset' }): Promise<ProbeStats | undefined> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the server did not answer the probe')), 30_000);
      const onMessage = (message: { probeReply?: number; stats?: ProbeStats }): void => {
        if (message?.probeReply !== id) return;
        clearTimeout(timer);
        this.child.process.off('message', onMessage);
        resolve(message.stats);
      };
      this.child.process.on('message', onMessage);
      this.child.process.send({ ...request, id } as ProbeRequest);
    });
  }

  async stats(gc = false): Promise<ProbeStats> {
    return (await this.ask({ probe: 'stats', gc }))!;
  }

  async resetLoopDelay(): Promise<void> {
    await this.ask({ probe: 'reset' });
  }

  stop(): Promise<void> {
    return this.child.stop();
  }
}

async function settledRss(server: Server): Promise<number> {
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  await server.stats(true);
  await new Promise((resolve) => setTimeout(resolve, 500));
  return (await server.stats(true)).rss;
}

/** Post bodies compared across servers: signed image URLs carry an expiry window, so their query is left out. */
function comparable(text: string): string {
  return text.replace(/(\/media\/posts\/[^"?]+)\?[^"]*/g, '$1');
}

async function twelveMegapixelJpeg(file: string): Promise<Buffer> {
  if (existsSync(file)) return readFileSync(file);
  // Smooth gradients plus noise compress like a photo (a flat image would be unrealistically small).
  const width = 4000;
  const height = 3000;
  const raw = Buffer.alloc(width * height * 3);
  let seed = 7;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      const noise = (seed >>> 24) % 24;
      const i = (y * width + x) * 3;
      raw[i] = ((x * 255) / width + noise) & 255;
      raw[i + 1] = ((y * 255) / height + noise) & 255;
      raw[i + 2] = (((x + y) * 128) / (width + height) + noise * 2) & 255;
    }
  }
  const jpeg = await sharp(raw, { raw: { width, height, channels: 3 } }).jpeg({ quality: 88 }).toBuffer();
  writeFileSync(file, jpeg);
  return jpeg;
}

function multipart(field: string, filename: string, data: Buffer): { body: Buffer; contentType: string } {
  const boundary = `----bench${Date.now().toString(16)}`;
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\nContent-Type: image/jpeg\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return { body: Buffer.concat([head, data, tail]), contentType: `multipart/form-data; boundary=${boundary}` };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      full: { type: 'boolean', default: false },
      scale: { type: 'string' },
      seconds: { type: 'string', default: '10' },
      reseed: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const scale = (values.scale ?? (values.full ? 'full' : 'small')) as ScaleName;
  if (!(scale in SCALES)) throw new Error(`--scale must be one of ${Object.keys(SCALES).join(', ')}`);
  const seconds = Number(values.seconds);
  if (!(seconds > 0)) throw new Error('--seconds must be a positive number');
  const startedAt = new Date();
  const pinnedSelf = pinSelf(LOAD_CORE);
  const pinning = pinnedSelf ? `servers on core ${SERVER_CORE} (taskset -c ${SERVER_CORE}), load generator on core ${LOAD_CORE}` : 'not pinned (taskset unavailable)';
  log(`bench: scale ${scale}, ${seconds} s per HTTP run, ${pinning}; load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  if (!hasTaskset()) notes.push('taskset was not available: the load generator and the servers shared the cores; CPU shares are reported per run.');

  // Data set: seeded once per scale and reused; every run works on a fresh copy of it.
  const dir = datasetDir(scale);
  const manifestFile = path.join(dir, 'manifest.json');
  const wanted = SCALES[scale];
  let seedLine = 'reused the seeded data set';
  const existing = existsSync(manifestFile) ? (JSON.parse(readFileSync(manifestFile, 'utf8')) as Manifest & { rates: { documents: number; seconds: number }[] }) : null;
  if (values.reseed || !existing || JSON.stringify(existing.size) !== JSON.stringify(wanted) || !existsSync(path.join(dir, 'db', 'snapshot.bin'))) {
    log(`seeding ${scale}`);
    await seed({ name: scale, size: wanted, log: (line) => log(`  ${line}`) });
  }
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as Manifest & { rates: { collection: string; documents: number; seconds: number }[] };
  const seeded = manifest.rates.reduce((sum, rate) => sum + rate.documents, 0);
  const seedSeconds = manifest.rates.reduce((sum, rate) => sum + rate.seconds, 0);
  seedLine = `${fmt(seeded)} documents written in ${fmt(seedSeconds, 1)} s (${fmt(seeded / seedSeconds)} documents/s through the standalone engine; likes ${fmt(
    manifest.rates.find((rate) => rate.collection === 'likes')!.documents / manifest.rates.find((rate) => rate.collection === 'likes')!.seconds,
  )}/s), seeded ${manifest.seededAt}`;
  const runDir = path.join(dir, 'run');
  rmSync(runDir, { recursive: true, force: true });
  mkdirSync(runDir, { recursive: true });
  cpSync(path.join(dir, 'db'), path.join(runDir, 'db'), { recursive: true });
  const dataEnv = { DATA_DIR: runDir, UPLOADS_DIR: path.join(runDir, 'uploads'), LOG_LEVEL: 'info', MAIL_TRANSPORT: 'none', PORT: '0' };
  const persona = manifest.persona;
  const auth = { authorization: `Bearer ${persona.token}` };
  const size = manifest.size;
  const dataText = `${fmt(size.users)} users, ${fmt(size.groups)} groups, ${fmt(size.posts)} posts, ${fmt(size.likes)} likes`;

  // --- Replay baseline and the engine probe (the forum cannot hold the same data directory at the same time).
  log('raw-driver replay baseline');
  const replay = await Server.start('test/bench/baselines/replay.ts', [runDir], {}, /replay listening on (\d+)/);
  const replayHome = await fetchChecked(`${replay.url}/api/feed`, { headers: auth });
  requireItems('replay home feed', replayHome.json, 20);
  const closedPath = `/api/groups/${persona.closedGroupId}/posts`;
  const replayGroup = await fetchChecked(`${replay.url}${closedPath}`, { headers: auth });
  requireItems('replay closed-group feed', replayGroup.json, 1);
  const replayHomeLoad = await measureHttp({ url: `${replay.url}/api/feed`, headers: auth, connections: CONNECTIONS, seconds, minBytes: replayHome.text.length, serverPid: replay.child.pid });
  log(`  replay home feed: ${httpText(replayHomeLoad)}`);
  const replayGroupLoad = await measureHttp({ url: `${replay.url}${closedPath}`, headers: auth, connections: CONNECTIONS, seconds, minBytes: replayGroup.text.length, serverPid: replay.child.pid });
  log(`  replay group feed: ${httpText(replayGroupLoad)}`);
  // The same answers from a replay that remembers what the forum's read cache keeps: the same round trips.
  for (const [path, expected] of [['/api/feed', replayHome.text], [closedPath, replayGroup.text]] as const) {
    if (comparable((await fetchChecked(`${replay.url}/memo${path}`, { headers: auth })).text) !== comparable(expected)) throw new Error(`the remembering replay answers ${path} differently`);
  }
  const memoHomeLoad = await measureHttp({ url: `${replay.url}/memo/api/feed`, headers: auth, connections: CONNECTIONS, seconds, minBytes: replayHome.text.length, serverPid: replay.child.pid });
  log(`  remembering replay home feed: ${httpText(memoHomeLoad)}`);
  const memoGroupLoad = await measureHttp({ url: `${replay.url}/memo${closedPath}`, headers: auth, connections: CONNECTIONS, seconds, minBytes: replayGroup.text.length, serverPid: replay.child.pid });
  log(`  remembering replay group feed: ${httpText(memoGroupLoad)}`);
  const engine = (await fetchChecked(`${replay.url}/probe/engine?groups=${persona.groupIds.join(',')}`)).json as {
    returned: number; sameDocuments: boolean; docsExamined: number; keysExamined: number; nReturned: number; queryMs: { p50: number; p99: number }; sliceMs: { p50: number; p99: number }; groups: number;
  };
  if (engine.returned !== 20 || !engine.sameDocuments) throw new Error(`engine probe returned ${engine.returned} documents (same as the slice: ${engine.sameDocuments})`);
  log(`  engine: ${JSON.stringify(engine)}`);
  const inserts = (await fetchChecked(`${replay.url}/probe/inserts?seconds=3`)).json as { sequential: number; concurrent64: number; fsyncLoop: number };
  log(`  inserts: ${JSON.stringify(inserts)}`);
  await replay.stop();

  // --- Bare node:http with the health route's bytes.
  log('forum');
  const forum = await Server.start('server/main.ts', [], dataEnv, /forum listening on http:\/\/[^:]+:(\d+)/);
  const health = await fetchChecked(`${forum.url}/api/health`);
  const bare = await Server.start('test/bench/baselines/bare-http.ts', ['0', health.text, 'application/json; charset=utf-8'], {}, /bare-http listening on (\d+)/);
  const bareLoad = await measureHttp({ url: `${bare.url}/api/health`, connections: CONNECTIONS, seconds, minBytes: health.text.length, serverPid: bare.child.pid });
  await bare.stop();
  log(`  bare node:http: ${httpText(bareLoad)}`);

  // 1. Framework ceiling.
  const healthLoad = await measureHttp({ url: `${forum.url}/api/health`, connections: CONNECTIONS, seconds, minBytes: health.text.length, serverPid: forum.child.pid });
  log(`  health: ${httpText(healthLoad)}`);
  rows.push({
    figure: '1. `GET /api/health`, full middleware stack',
    measured: httpText(healthLoad),
    baseline: `bare node:http, same bytes: ${httpText(bareLoad)}`,
    ratio: healthLoad.requestsPerSecond / bareLoad.requestsPerSecond,
    target: 'published Express 5 on Node 20: about 0.2',
    met: null,
    conditions: `${CONNECTIONS} connections, ${seconds} s; forum: ${cpuText(healthLoad)}; bare: ${cpuText(bareLoad)}`,
  });

  // 2. Anonymous homepage.
  const publicFeed = await fetchChecked(`${forum.url}/api/feed/public`);
  requireItems('public feed', publicFeed.json, 20);
  const publicLoad = await measureHttp({ url: `${forum.url}/api/feed/public`, connections: CONNECTIONS, seconds, minBytes: publicFeed.text.length, serverPid: forum.child.pid });
  log(`  public feed: ${httpText(publicLoad)}`);
  rows.push({
    figure: '2. `GET /api/feed/public` (anonymous homepage)',
    measured: httpText(publicLoad),
    baseline: `(1) health: ${fmt(healthLoad.requestsPerSecond)} req/s`,
    ratio: publicLoad.requestsPerSecond / healthLoad.requestsPerSecond,
    target: '≥ 0.9 of (1)',
    met: publicLoad.requestsPerSecond / healthLoad.requestsPerSecond >= 0.9,
    conditions: `${fmt(publicFeed.text.length)} bytes, ${(publicFeed.json as { items: unknown[] }).items.length} posts; ${CONNECTIONS} connections; ${cpuText(publicLoad)}`,
  });

  // 3. Signed-in feeds, checked byte for byte against the replay.
  const home = await fetchChecked(`${forum.url}/api/feed`, { headers: auth });
  const group = await fetchChecked(`${forum.url}${closedPath}`, { headers: auth });
  if (comparable(home.text) !== comparable(replayHome.text)) throw new Error('the replay baseline does not answer the home feed exactly as the forum does');
  if (comparable(group.text) !== comparable(replayGroup.text)) throw new Error('the replay baseline does not answer the group feed exactly as the forum does');
  const homeLoad = await measureHttp({ url: `${forum.url}/api/feed`, headers: auth, connections: CONNECTIONS, seconds, minBytes: home.text.length, serverPid: forum.child.pid });
  log(`  home feed: ${httpText(homeLoad)}`);
  const groupLoad = await measureHttp({ url: `${forum.url}${closedPath}`, headers: auth, connections: CONNECTIONS, seconds, minBytes: group.text.length, serverPid: forum.child.pid });
  log(`  closed group feed: ${httpText(groupLoad)}`);
  for (const [name, load, replayed, remembered] of [
    ['`GET /api/feed`', homeLoad, replayHomeLoad, memoHomeLoad],
    ["a closed group's `GET /api/groups/:id/posts`", groupLoad, replayGroupLoad, memoGroupLoad],
  ] as const) {
    rows.push({
      figure: `3. ${name}, member of ${persona.groupIds.length} groups`,
      measured: httpText(load),
      baseline: `(2) public feed: ${fmt(publicLoad.requestsPerSecond)} req/s`,
      ratio: load.requestsPerSecond / publicLoad.requestsPerSecond,
      target: '≥ 0.5 of (2), p99 < 50 ms',
      met: load.requestsPerSecond / publicLoad.requestsPerSecond >= 0.5 && load.p99 < 50,
      conditions: `${CONNECTIONS} connections; ${cpuText(load)}`,
    });
    rows.push({
      figure: `3. ${name} against the raw-driver replay`,
      measured: httpText(load),
      baseline: `raw driver + JSON.stringify in node:http, same queries and bytes: ${httpText(replayed)}`,
      ratio: load.requestsPerSecond / replayed.requestsPerSecond,
      target: '≥ 0.6 of the replay',
      met: load.requestsPerSecond / replayed.requestsPerSecond >= 0.6,
      conditions: `${CONNECTIONS} connections; replay: ${cpuText(replayed)}; the forum answers 5 of the replay's 7 round trips from its read cache`,
    });
    rows.push({
      figure: `3. ${name} against the replay with the same round trips`,
      measured: httpText(load),
      baseline: `the replay remembering token, memberships, groups and authors (as the forum's read cache does), same bytes: ${httpText(remembered)}`,
      ratio: load.requestsPerSecond / remembered.requestsPerSecond,
      target: '≥ 0.6 of the replay (the stricter reading)',
      met: load.requestsPerSecond / remembered.requestsPerSecond >= 0.6,
      conditions: `${CONNECTIONS} connections; replay: ${cpuText(remembered)}`,
    });
  }

  // 4. Writes, without and then with sockets subscribed to the group written to.
  const writeFeed = `group:${persona.writeGroupId}`;
  const tokens = manifest.tokens.map((entry) => entry.token);
  const postUrl = `${forum.url}/api/groups/${persona.writeGroupId}/posts`;
  await fetchChecked(postUrl, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ body: '<p>bench check</p>' }), expect: 201 });
  const likeTargets = manifest.likeTargets;
  let likeIndex = 0;
  const likeRequest = (request: { path?: string; headers?: Record<string, string> }) => {
    const i = likeIndex++;
    // Every request a different (user, post) pair until all pairs are used, so most likes are real writes.
    const post = likeTargets[Math.floor(i / tokens.length) % likeTargets.length];
    return { ...request, path: `/api/posts/${post}/like`, headers: { authorization: `Bearer ${tokens[i % tokens.length]}` } };
  };
  await fetchChecked(`${forum.url}/api/posts/${likeTargets[0]}/like`, { method: 'PUT', headers: auth });
  const writes = async (): Promise<{ post: HttpFigure; like: HttpFigure }> => {
    const post = await measureHttp({
      url: postUrl, method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ body: '<p>A bench post with a <strong>little</strong> markup.</p>' }),
      connections: CONNECTIONS, seconds, minBytes: 200, serverPid: forum.child.pid,
    });
    const like = await measureHttp({ url: `${forum.url}/api/health`, method: 'PUT', setupRequest: likeRequest, connections: CONNECTIONS, seconds, minBytes: 30, serverPid: forum.child.pid });
    return { post, like };
  };
  const quiet = await writes();
  log(`  writes, no sockets: posts ${httpText(quiet.post)}; likes ${httpText(quiet.like)}`);
  const pool = socketPool(forum.url, tokens, writeFeed);
  const rss0 = await settledRss(forum);
  await pool.grow(WRITE_SOCKETS);
  const busy = await writes();
  log(`  writes, ${WRITE_SOCKETS} sockets: posts ${httpText(busy.post)}; likes ${httpText(busy.like)}`);
  for (const [name, withSockets, without] of [
    ['`POST /api/groups/:id/posts`', busy.post, quiet.post],
    ['`PUT /api/posts/:id/like`', busy.like, quiet.like],
  ] as const) {
    rows.push({
      figure: `4. ${name} with ${fmt(WRITE_SOCKETS)} sockets subscribed`,
      measured: httpText(withSockets),
      baseline: `same writes, no sockets: ${httpText(without)}`,
      ratio: withSockets.requestsPerSecond / without.requestsPerSecond,
      target: 'throughput reported (no target)',
      met: null,
      conditions: `${CONNECTIONS} connections; sockets in the load generator; ${cpuText(withSockets)}`,
    });
  }

  // 5 and 6. Live delivery at growing socket counts, and the memory each idle socket costs.
  const live: Delivery[] = [];
  const postLive = async (marker: string): Promise<void> => {
    await fetchChecked(postUrl, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ body: `<p>${marker}</p>` }), expect: 201 });
  };
  let livePayload = '';
  const forumRss = new Map<number, number>();
  pool.close();
  const livePool = socketPool(forum.url, tokens, writeFeed);
  for (const n of LIVE_SIZES) {
    const pool = livePool;
    await pool.grow(n);
    forumRss.set(n, await settledRss(forum));
    live.push(await measureDelivery(pool, LIVE_MESSAGES, postLive));
    log(`  live delivery, forum, ${n} sockets: ${JSON.stringify(live[live.length - 1])}`);
  }
  livePayload = (await fetchChecked(`${forum.url}/api/feed`, { headers: auth })).text;
  livePool.close();

  // 7. Avatar upload while the event loop is watched.
  const jpeg = await twelveMegapixelJpeg(path.join(dir, 'photo-12mp.jpg'));
  const form = multipart('image', 'photo.jpg', jpeg);
  const cores = os.cpus().length;
  await fetchChecked(`${forum.url}/api/me/avatar`, { method: 'PUT', headers: { ...auth, 'content-type': form.contentType }, body: form.body });
  await forum.resetLoopDelay();
  const upload = await measureHttp({
    url: `${forum.url}/api/me/avatar`, method: 'PUT', headers: { ...auth, 'content-type': form.contentType }, body: form.body,
    connections: cores, seconds: Math.max(seconds, 15), minBytes: 40, serverPid: forum.child.pid,
  });
  const uploadLoop = (await forum.stats()).loopDelay;
  log(`  upload: ${httpText(upload)}; loop delay ${JSON.stringify(uploadLoop)}`);
  await forum.stop();

  const sharpChild = startChild(...tsNode('test/bench/baselines/sharp-inprocess.ts', [path.join(dir, 'photo-12mp.jpg'), String(Math.max(seconds, 15)), String(cores), path.join(runDir, 'sharp-out')]), { core: SERVER_CORE });
  const sharpLine = await sharpChild.waitFor(/^\{.*\}$/m, 120_000);
  await sharpChild.stop();
  const sharpResult = JSON.parse(sharpLine[0]) as { perSecond: number; loopDelayP99: number };
  rows.push({
    figure: '7. `PUT /api/me/avatar`, 12-megapixel JPEG to stored sizes',
    measured: `${fmt(upload.requestsPerSecond, 2)} uploads/s, p99 ${fmt(upload.p99)} ms; event-loop delay p99 ${fmt(uploadLoop.p99, 1)} ms (max ${fmt(uploadLoop.max, 1)})`,
    baseline: `encodeImage in-process, concurrency ${cores}: ${fmt(sharpResult.perSecond, 2)} images/s (its loop p99 ${fmt(sharpResult.loopDelayP99, 1)} ms)`,
    ratio: upload.requestsPerSecond / sharpResult.perSecond,
    target: '≥ 0.8, loop delay p99 < 20 ms',
    met: upload.requestsPerSecond / sharpResult.perSecond >= 0.8 && uploadLoop.p99 < 20,
    conditions: `${fmt(jpeg.length / 1e6, 1)} MB JPEG, 4000×3000; ${cores} connections; ${cpuText(upload)}`,
  });

  // Bare Socket.IO broadcast of the same payload to the same number of clients; then a plain ws server's memory.
  const bareIo = await Server.start('test/bench/baselines/bare-realtime.ts', ['socketio'], {}, /bare-realtime listening on (\d+)/);
  const barePool = socketPool(bareIo.url, [], writeFeed);
  const payload = JSON.parse(livePayload) as { items: Record<string, unknown>[] };
  const sample = payload.items[0]!;
  const bareLive: Delivery[] = [];
  for (const n of LIVE_SIZES) {
    await barePool.grow(n);
    bareLive.push(
      await measureDelivery(barePool, LIVE_MESSAGES, async (marker) => {
        await fetchChecked(`${bareIo.url}/broadcast?room=${encodeURIComponent(writeFeed)}`, { method: 'POST', body: JSON.stringify({ ...sample, body: `<p>${marker}</p>` }), expect: 201 });
      }),
    );
    log(`  live delivery, bare Socket.IO, ${n} sockets: ${JSON.stringify(bareLive[bareLive.length - 1])}`);
  }
  barePool.close();
  await bareIo.stop();
  live.forEach((delivery, i) => {
    const base = bareLive[i]!;
    const last = i === live.length - 1;
    rows.push({
      figure: `5. live delivery, write acknowledged → \`post:new\` received, ${fmt(delivery.sockets)} sockets`,
      measured: `p50 ${fmt(delivery.p50, 1)} ms, p95 ${fmt(delivery.p95, 1)} ms, p99 ${fmt(delivery.p99, 1)} ms`,
      baseline: `bare Socket.IO broadcast: p50 ${fmt(base.p50, 1)}, p95 ${fmt(base.p95, 1)}, p99 ${fmt(base.p99, 1)} ms`,
      ratio: Math.max(base.p95, 0.1) / Math.max(delivery.p95, 0.1),
      target: last ? 'p95 < 250 ms and ≥ 0.8 of bare (p95 ratio)' : '≥ 0.8 of bare (p95 ratio)',
      met: Math.max(base.p95, 0.1) / Math.max(delivery.p95, 0.1) >= 0.8 && (!last || delivery.p95 < 250),
      conditions: `${LIVE_MESSAGES} posts one after another; ${delivery.beforeAck} of ${delivery.sockets * delivery.messages} receipts came before the HTTP response (counted as 0 ms)`,
    });
  });

  const ws = await Server.start('test/bench/baselines/bare-realtime.ts', ['ws'], {}, /bare-realtime listening on (\d+)/);
  const wsRss0 = await settledRss(ws);
  const { WebSocket } = await import('ws');
  const wsClients: InstanceType<typeof WebSocket>[] = [];
  const idleN = LIVE_SIZES[LIVE_SIZES.length - 1]!;
  while (wsClients.length < idleN) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(100, idleN - wsClients.length) }, () =>
        new Promise<InstanceType<typeof WebSocket>>((resolve, reject) => {
          const client = new WebSocket(`ws://127.0.0.1:${ws.port}/`);
          client.once('open', () => resolve(client));
          client.once('error', reject);
        }),
      ),
    );
    wsClients.push(...batch);
  }
  const wsRssN = await settledRss(ws);
  for (const client of wsClients) client.terminate();
  await ws.stop();
  const wsPerSocket = (wsRssN - wsRss0) / idleN;
  const forumPerSocket = (forumRss.get(idleN)! - rss0) / idleN;
  // RSS rarely shrinks, so the forum's baseline includes heap grown by the write runs before it; a figure at
  // or below zero means that growth was released meanwhile, not that sockets are free: never a pass.
  const memoryPlausible = forumPerSocket > 0;
  rows.push({
    figure: `6. memory per idle socket (authenticated, subscribed), ${fmt(idleN)} sockets`,
    measured: `${memoryPlausible ? '' : 'INVALID (RSS fell while sockets were added): '}${fmt(forumPerSocket / 1024, 1)} KiB (RSS ${fmt(rss0 / 2 ** 20)} → ${fmt(forumRss.get(idleN)! / 2 ** 20)} MiB)`,
    baseline: `plain ws: ${fmt(wsPerSocket / 1024, 1)} KiB (RSS ${fmt(wsRss0 / 2 ** 20)} → ${fmt(wsRssN / 2 ** 20)} MiB)`,
    ratio: forumPerSocket / wsPerSocket,
    target: '≤ 2× plain ws',
    met: memoryPlausible && forumPerSocket / wsPerSocket <= 2,
    conditions: 'RSS after a forced GC (--expose-gc), 2 s after the last connection',
  });

  // 4 (continued) and 8. Engine figures, measured in the replay process above.
  rows.push({
    figure: `8. engine: newest 20 of ${engine.groups} groups on ${fmt(size.posts)} posts`,
    measured: `examined ${engine.docsExamined} documents (${engine.keysExamined} keys) for ${engine.nReturned} returned; p50 ${fmt(engine.queryMs.p50, 2)} ms, p99 ${fmt(engine.queryMs.p99, 2)} ms through the driver`,
    baseline: `in-memory slice + copy of the same 20: p50 ${fmt(engine.sliceMs.p50, 3)} ms`,
    ratio: engine.sliceMs.p50 / engine.queryMs.p50,
    target: 'examined = returned, < 1 ms',
    met: engine.docsExamined === engine.nReturned && engine.queryMs.p50 < 1,
    conditions: 'driver and engine in one process, as `npm start` runs; 300 runs after 20 warm-up',
  });
  rows.push({
    figure: '8. engine: acknowledged (fsynced) inserts',
    measured: `${fmt(inserts.sequential)}/s one at a time; ${fmt(inserts.concurrent64)}/s with 64 in flight (group commit)`,
    baseline: `append + fsync loop of the same bytes: ${fmt(inserts.fsyncLoop)}/s`,
    ratio: inserts.sequential / inserts.fsyncLoop,
    target: 'reported',
    met: null,
    conditions: '3 s each, through the driver',
  });

  const conditions = [
    `- Date: ${startedAt.toISOString()}; Node ${process.version}; ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}; ${fmt(os.totalmem() / 2 ** 30)} GiB; load average at start ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}.`,
    `- Pinning: ${pinning}. Every baseline ran under the same pinning in the same run.`,
    `- Data set (${scale}): ${dataText}; ${seedLine}.`,
    `- Forum: \`node ${PRODUCTION_NODE_FLAGS.join(' ')} --import tsx server/main.ts\` (the V8 flags of \`npm start\`, package.json \`config.nodeFlags\`; every baseline server runs with them too) with \`DATA_DIR\` on a copy of the seeded data (embedded engine in-process, as \`npm start\`), persona signed in as a member of ${persona.groupIds.length} groups.`,
    `- HTTP: autocannon, ${CONNECTIONS} connections, ${seconds} s per run unless noted; every run fails on any error, timeout, non-2xx or short response.`,
    ...notes.map((note) => `- ${note}`),
  ];
  const table = [
    '| figure | measured | baseline (same run) | ratio | target | met | conditions |',
    '|---|---|---|---|---|---|---|',
    ...rows.map((row) => `| ${row.figure} | ${row.measured} | ${row.baseline} | ${fmt(row.ratio, 2)} | ${row.target} | ${row.met === null ? '–' : row.met ? 'yes' : '**no**'} | ${row.conditions} |`),
  ];
  const results = [
    '# Benchmark results',
    '',
    `Written by \`npm run bench${scale === 'full' ? ' -- --full' : ''}\` (test/bench/run.ts). Ratios: throughput is measured ÷ baseline; latency is baseline p95 ÷ measured p95; memory is measured ÷ baseline; engine time is baseline ÷ measured.`,
    '',
    ...conditions,
    '',
    ...table,
    '',
  ].join('\n');
  writeFileSync(path.join(ROOT, 'test/bench/RESULTS.md'), results);
  process.stdout.write(`\n${results}\n`);
  rmSync(runDir, { recursive: true, force: true });
}

main().then(
  () => process.exit(0),
  async (error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    await stopAllChildren();
    process.exit(1);
  },
);
