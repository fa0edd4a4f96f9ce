// `npm run bench [-- --full] [--seconds N] [--reseed] [--only 6,7] [--cpu-prof DIR]`: every hot path under load, each figure next
// to a baseline measured in the same run, written to test/bench/RESULTS.md (--only measures those figures, and
// those their baselines come from, and replaces just their rows). Servers run pinned to core 0 and this
// process (the load generator) to core 1. The forum runs as `npm start` does: embedded engine in-process.
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import type { Manifest } from './dataset';
import { SCALES, type ScaleName } from './dataset';
import { gunzipSync } from 'node:zlib';
import { fetchChecked, measureDelivery, measureHttp, rawResponse, requireItems, socketPool, startSocketClients, wireBytes, type Delivery, type ClientCounts, type HttpFigure, type SocketClients } from './load';
import { hasTaskset, pinSelf, PRODUCTION_NODE_FLAGS, ROOT, startChild, stopAllChildren, tsNode, type Child } from './processes';
import { datasetDir, seed } from './seed';
import type { ProbeRequest, ProbeStats } from './support/probe';
import { notTheLock } from './support/data-copy';
import { MAX_ENTRY_AGE_MS, SWEEP_INTERVAL_MS as READ_CACHE_SWEEP_MS } from '../../server/db/droppable-cache';
import { MAX_SEARCH_OFFSET } from '../../server/search/query';
import { MAX_POST_ROWS } from '../../server/services/read-cache';
import type { Figures as EncryptionFigures } from './encryption';
import { MENTIONED, measureNotificationDelivery } from './notifications';

const SERVER_CORE = 0;
const LOAD_CORE = 1;
const CONNECTIONS = 50;
const LIVE_SIZES = [100, 1_000, 5_000];
/** A p95 over fewer posts moved by half between runs: one collection pause during one post decided it. */
const LIVE_MESSAGES = 60;
/** Writes sent and received before measuring live delivery, so neither side is timed while its code is still being compiled. */
const WARM_UP_MESSAGES = 5;
/** Figure 4: sockets subscribed to the written group while posts are written, each size against none. */
const WRITE_SOCKETS = [1_000, 5_000];
const WRITE_BODY = '<p>A bench post with a <strong>little</strong> markup.</p>';
const IDLE_SOCKETS = 5_000;
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
/** Baseline's server CPU per request ÷ the measured one's, as a ratio like the throughput ratios. */
function cpuPerRequestRatio(baseline: HttpFigure, measured: HttpFigure): string {
  if (baseline.serverCpuSeconds === null || measured.serverCpuSeconds === null || !baseline.requests || !measured.requests) return 'n/a';
  const perRequest = (figure: HttpFigure) => (figure.serverCpuSeconds! / figure.requests) * 1e6;
  return `${fmt(perRequest(measured))} µs against ${fmt(perRequest(baseline))} µs, ${fmt(perRequest(baseline) / perRequest(measured), 2)}`;
}
/**
 * The socket clients' share of the load core during a run with sockets, next to autocannon's: near 100 %
 * together, the load core (not the server) set the rate.
 */
function clientsCpuText(figure: HttpFigure): string {
  const clients = figure.watchedCpu[0] ?? null;
  if (clients === null) return "socket clients' process CPU n/a";
  return `socket clients' process CPU ${fmt(clients * 100)} % of the load core, which autocannon shares (together ${fmt((clients + figure.loadCpu) * 100)} %)`;
}

/**
 * A run in which sockets disconnected measured fewer receivers than it names: its row says INVALID and why,
 * and is never a pass, but keeps its CPU figures (a slow consumer dropped under load is itself a finding).
 */
function droppedText(received: ClientCounts, n: number): string | null {
  return received.dropped ? `INVALID (${fmt(received.dropped)} of ${fmt(n)} sockets disconnected during the run: ${JSON.stringify(received.reasons)}): ` : null;
}

/** How much of what was sent the clients had read when the writes stopped: well under 100 %, they were behind. */
function backlogText(read: number, sent: number): string {
  return `the clients had read ${fmt((100 * read) / sent)} % of the ${fmt(sent)} events when the writes ended`;
}

function httpText(figure: HttpFigure): string {
  return `${fmt(figure.requestsPerSecond)} req/s, p50 ${fmt(figure.p50, 1)} ms, p99 ${fmt(figure.p99, 1)} ms`;
}

/** A server child with the probe preloaded, so its event loop, memory and CPU can be read over IPC. */
class Server {
  /** `--cpu-prof DIR`: every server writes a V8 CPU profile there when it stops (read it with cpuprofile-summary.ts). */
  static profileDir: string | null = null;
  private nextId = 1;
  private constructor(
    readonly child: Child,
    readonly port: number,
  ) {}

  static async start(entry: string, args: string[], env: NodeJS.ProcessEnv, ready: RegExp): Promise<Server> {
    const profile = Server.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${Server.profileDir}`] : [];
    const [cmd, argv] = tsNode(entry, args, ['--expose-gc', ...profile, '--import', PROBE]);
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

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Resident and heap memory of an idle server, in bytes. */
interface Settled {
  rss: number;
  heapUsed: number;
}

/**
 * Memory once forced collections stop freeing any. One forced GC compacts only part of a fragmented heap,
 * and V8 hands the pages it freed back to the system from a background thread after gc() returns, so
 * each reading waits a moment after its collection; the lowest reading counts once two in a row gain
 * less than 1 MiB.
 */
async function settledMemory(server: Server): Promise<Settled> {
  await sleep(2_000);
  let lowest: Settled = { rss: Infinity, heapUsed: Infinity };
  let flat = 0;
  for (let round = 0; round < 20 && flat < 2; round++) {
    await server.stats(true);
    await sleep(250);
    const { rss, heapUsed } = await server.stats();
    flat = lowest.rss - rss < 2 ** 20 ? flat + 1 : 0;
    if (rss < lowest.rss) lowest = { rss, heapUsed };
  }
  return lowest;
}

/** The image pipeline called in-process by its own child, `concurrency` at a time (figure 7's baseline). */
async function encodeInProcess(photo: string, seconds: number, concurrency: number, outDir: string): Promise<{ perSecond: number; loopDelayP99: number }> {
  const child = startChild(...tsNode('test/bench/baselines/sharp-inprocess.ts', [photo, String(seconds), String(concurrency), outDir]), { core: SERVER_CORE });
  const line = await child.waitFor(/^\{.*\}$/m, 120_000);
  await child.stop();
  log(`  encodeImage in-process: ${line[0]}`);
  return JSON.parse(line[0]) as { perSecond: number; loopDelayP99: number };
}

/** Server CPU milliseconds per request of a run (user + system, whatever the wall clock did). */
function cpuMsPer(figure: HttpFigure): number {
  return ((figure.serverCpuSeconds ?? NaN) * 1000) / figure.requests;
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

/** What the replay process answers on /probe/engine and /probe/inserts (figure 8). */
interface EngineProbe {
  returned: number; sameDocuments: boolean; docsExamined: number; keysExamined: number; nReturned: number; queryMs: { p50: number; p99: number }; sliceMs: { p50: number; p99: number }; groups: number;
}
interface InsertsProbe {
  sequential: number; concurrent64: number; fsyncLoop: number;
}

const FIGURES = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
/** A figure whose baseline is another figure's measurement brings that figure along. */
const BASELINE_FIGURES: Record<number, number[]> = { 2: [1], 3: [2], 11: [5] };
/** The figures measured on the forum process that serves the HTTP runs (6 gets a fresh one of its own). */
const MAIN_FORUM_FIGURES = [1, 2, 3, 4, 5, 7, 9, 10, 11];
const SEARCH_CONNECTIONS = 20;
/**
 * The data set's vocabulary is a few dozen words: "clinic" is in most posts, "notes" only in those with a link;
 * "clinic patient" asks for two words each in two thirds of the posts (ranked by their summed scores).
 */
const SEARCH_WORDS: [kind: string, word: string][] = [
  ['a common word', 'clinic'],
  ['a rare word', 'notes'],
  ['two common words', 'clinic patient'],
];
/**
 * English stop words, which MongoDB drops from a $text search: "clinic the of and" asks the database exactly what
 * "clinic" asks, but under another cache key. Three of these after the word give 27,000 queries the search cache
 * has never seen, so a run that uses each at most once measures the database path of every request.
 */
const STOP_WORDS = ['a', 'an', 'the', 'and', 'or', 'but', 'of', 'to', 'in', 'on', 'at', 'by', 'for', 'with', 'from', 'is', 'are', 'was', 'were', 'be', 'been', 'it', 'its', 'this', 'that', 'these', 'those', 'as', 'so', 'than'];

/** Search pages hold 20 posts unless asked otherwise. */
const SEARCH_PAGE = 20;
/**
 * Pages of one word read in turn hold this many different posts: more than the post cache keeps (first in,
 * first out), so each page's posts were let go before it comes round again and every request reads them from
 * the database too.
 */
const COLD_PAGES = Math.ceil((MAX_POST_ROWS + 1) / SEARCH_PAGE);
if ((COLD_PAGES - 1) * SEARCH_PAGE > MAX_SEARCH_OFFSET) throw new Error('the post cache holds more posts than search pages reach');

/** The n-th query of a word the search cache has not seen (n < 27,000). */
function unseenQuery(word: string, n: number): string {
  const k = STOP_WORDS.length;
  return `${word} ${STOP_WORDS[n % k]} ${STOP_WORDS[Math.floor(n / k) % k]} ${STOP_WORDS[Math.floor(n / k / k) % k]}`;
}
interface TextIndexProbe {
  posts: number;
  withText: { ms: number; heldBytes: number };
  without: { ms: number; heldBytes: number };
  searches: { word: string; keysExamined: number; docsExamined: number; nReturned: number; inScope: number; everywhere: number; plan: string }[];
}

function selectFigures(only: string | undefined): Set<number> {
  const chosen = new Set<number>();
  const add = (figure: number): void => {
    if (chosen.has(figure)) return;
    chosen.add(figure);
    for (const needed of BASELINE_FIGURES[figure] ?? []) add(needed);
  };
  for (const part of only === undefined ? FIGURES.map(String) : only.split(',')) {
    const figure = Number(part.trim());
    if (!FIGURES.includes(figure)) throw new Error(`--only takes figure numbers from 1 to ${FIGURES.length}, comma-separated; got "${part}"`);
    add(figure);
  }
  return chosen;
}

function figureNumber(figure: string): number {
  return Number(/^(\d+)\./.exec(figure)?.[1] ?? NaN);
}

function tableLine(row: Row): string {
  return `| ${row.figure} | ${row.measured} | ${row.baseline} | ${fmt(row.ratio, 2)} | ${row.target} | ${row.met === null ? '–' : row.met ? 'yes' : '**no**'} | ${row.conditions} |`;
}

/** Opens `n` plain WebSocket connections to a server, 100 at a time. */
async function openWebSockets(port: number, n: number): Promise<{ terminate(): void }> {
  const { WebSocket } = await import('ws');
  const clients: InstanceType<typeof WebSocket>[] = [];
  while (clients.length < n) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(100, n - clients.length) }, () =>
        new Promise<InstanceType<typeof WebSocket>>((resolve, reject) => {
          const client = new WebSocket(`ws://127.0.0.1:${port}/`);
          client.once('open', () => resolve(client));
          client.once('error', reject);
        }),
      ),
    );
    clients.push(...batch);
  }
  return {
    terminate() {
      for (const client of clients) client.terminate();
    },
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      full: { type: 'boolean', default: false },
      scale: { type: 'string' },
      seconds: { type: 'string', default: '10' },
      reseed: { type: 'boolean', default: false },
      only: { type: 'string' },
      'cpu-prof': { type: 'string' },
    },
    strict: true,
  });
  const scale = (values.scale ?? (values.full ? 'full' : 'small')) as ScaleName;
  if (!(scale in SCALES)) throw new Error(`--scale must be one of ${Object.keys(SCALES).join(', ')}`);
  const seconds = Number(values.seconds);
  if (!(seconds > 0)) throw new Error('--seconds must be a positive number');
  const figures = selectFigures(values.only);
  Server.profileDir = values['cpu-prof'] ? path.resolve(values['cpu-prof']) : null;
  const want = (figure: number): boolean => figures.has(figure);
  const startedAt = new Date();
  const pinnedSelf = pinSelf(LOAD_CORE);
  const pinning = pinnedSelf ? `servers on core ${SERVER_CORE} (taskset -c ${SERVER_CORE}), load generator on core ${LOAD_CORE}` : 'not pinned (taskset unavailable)';
  const loadAverage = os.loadavg().map((l) => l.toFixed(2)).join(' ');
  log(`bench: scale ${scale}, figures ${[...figures].sort().join(', ')}, ${seconds} s per HTTP run, ${pinning}; load average ${loadAverage}`);
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
  /** A copy of the seeded data for one forum process to own. */
  const dataCopy = (name: string): NodeJS.ProcessEnv => {
    const dataDir = path.join(runDir, name);
    mkdirSync(dataDir, { recursive: true });
    cpSync(path.join(dir, 'db'), path.join(dataDir, 'db'), { recursive: true, filter: notTheLock });
    return { DATA_DIR: dataDir, UPLOADS_DIR: path.join(dataDir, 'uploads'), LOG_LEVEL: 'info', MAIL_TRANSPORT: 'none', PORT: '0', SOCKETS_PER_ADDRESS: '0', SOCKETS_PER_ACCOUNT: '0' };
  };
  const dataEnv = dataCopy('main');
  const persona = manifest.persona;
  const auth = { authorization: `Bearer ${persona.token}` };
  const size = manifest.size;
  const dataText = `${fmt(size.users)} users, ${fmt(size.groups)} groups, ${fmt(size.posts)} posts, ${fmt(size.likes)} likes`;
  const closedPath = `/api/groups/${persona.closedGroupId}/posts`;
  const writeFeed = `group:${persona.writeGroupId}`;
  const tokens = manifest.tokens.map((entry) => entry.token);
  const cores = os.cpus().length;
  const uploadSeconds = Math.max(seconds, 15);
  const photoFile = path.join(dir, 'photo-12mp.jpg');

  // --- Replay baseline and the engine probe (the forum cannot hold the same data directory at the same time).
  let replayed: { home: { text: string }; group: { text: string }; homeLoad: HttpFigure; groupLoad: HttpFigure; memoHomeLoad: HttpFigure; memoGroupLoad: HttpFigure } | null = null;
  let engine: EngineProbe | null = null;
  let inserts: InsertsProbe | null = null;
  if (want(3) || want(8)) {
    log('raw-driver replay baseline');
    const replay = await Server.start('test/bench/baselines/replay.ts', [dataEnv.DATA_DIR!], {}, /replay listening on (\d+)/);
    if (want(3)) {
      const home = await fetchChecked(`${replay.url}/api/feed`, { headers: auth });
      requireItems('replay home feed', home.json, 20);
      const group = await fetchChecked(`${replay.url}${closedPath}`, { headers: auth });
      requireItems('replay closed-group feed', group.json, 1);
      const homeLoad = await measureHttp({ url: `${replay.url}/api/feed`, headers: auth, connections: CONNECTIONS, seconds, minBytes: home.text.length, serverPid: replay.child.pid });
      log(`  replay home feed: ${httpText(homeLoad)}`);
      const groupLoad = await measureHttp({ url: `${replay.url}${closedPath}`, headers: auth, connections: CONNECTIONS, seconds, minBytes: group.text.length, serverPid: replay.child.pid });
      log(`  replay group feed: ${httpText(groupLoad)}`);
      // The same answers from a replay that remembers what the forum's read cache keeps: the same round trips.
      for (const [route, expected] of [['/api/feed', home.text], [closedPath, group.text]] as const) {
        if (comparable((await fetchChecked(`${replay.url}/memo${route}`, { headers: auth })).text) !== comparable(expected)) throw new Error(`the remembering replay answers ${route} differently`);
      }
      const memoHomeLoad = await measureHttp({ url: `${replay.url}/memo/api/feed`, headers: auth, connections: CONNECTIONS, seconds, minBytes: home.text.length, serverPid: replay.child.pid });
      log(`  remembering replay home feed: ${httpText(memoHomeLoad)}`);
      const memoGroupLoad = await measureHttp({ url: `${replay.url}/memo${closedPath}`, headers: auth, connections: CONNECTIONS, seconds, minBytes: group.text.length, serverPid: replay.child.pid });
      log(`  remembering replay group feed: ${httpText(memoGroupLoad)}`);
      replayed = { home, group, homeLoad, groupLoad, memoHomeLoad, memoGroupLoad };
    }
    if (want(8)) {
      engine = (await fetchChecked(`${replay.url}/probe/engine?groups=${persona.groupIds.join(',')}`)).json as EngineProbe;
      if (engine.returned !== 20 || !engine.sameDocuments) throw new Error(`engine probe returned ${engine.returned} documents (same as the slice: ${engine.sameDocuments})`);
      log(`  engine: ${JSON.stringify(engine)}`);
      inserts = (await fetchChecked(`${replay.url}/probe/inserts?seconds=3`)).json as InsertsProbe;
      log(`  inserts: ${JSON.stringify(inserts)}`);
    }
    await replay.stop();
  }

  const live: Delivery[] = [];
  let livePayload = '';
  let writePayload = '';
  let writesWithout: HttpFigure | null = null;
  const writesWith: { sockets: number; post: HttpFigure; invalid: string | null }[] = [];
  if (MAIN_FORUM_FIGURES.some(want)) {
    log('forum');
    const forum = await Server.start('server/main.ts', [], dataEnv, /forum listening on http:\/\/[^:]+:(\d+)/);
    let healthLoad: HttpFigure | null = null;
    let publicLoad: HttpFigure | null = null;

    // 1. Framework ceiling, against bare node:http with the health route's bytes.
    if (want(1)) {
      const health = await fetchChecked(`${forum.url}/api/health`);
      const bare = await Server.start('test/bench/baselines/bare-http.ts', ['0', health.text, 'application/json; charset=utf-8'], {}, /bare-http listening on (\d+)/);
      const bareLoad = await measureHttp({ url: `${bare.url}/api/health`, connections: CONNECTIONS, seconds, minBytes: health.text.length, serverPid: bare.child.pid });
      await bare.stop();
      log(`  bare node:http: ${httpText(bareLoad)}`);
      healthLoad = await measureHttp({ url: `${forum.url}/api/health`, connections: CONNECTIONS, seconds, minBytes: health.text.length, serverPid: forum.child.pid });
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
    }

    // 2. Anonymous homepage.
    if (want(2) && healthLoad) {
      const publicFeed = await fetchChecked(`${forum.url}/api/feed/public`);
      requireItems('public feed', publicFeed.json, 20);
      // As browsers ask for it: every browser sends Accept-Encoding, and the page is kept gzipped for them.
      const browser = { 'accept-encoding': 'gzip, deflate, br' };
      const zipped = await wireBytes(`${forum.url}/api/feed/public`, browser);
      if (zipped.encoding !== 'gzip') throw new Error(`the public feed came ${zipped.encoding ?? 'uncompressed'} to a browser's Accept-Encoding`);
      publicLoad = await measureHttp({ url: `${forum.url}/api/feed/public`, headers: browser, connections: CONNECTIONS, seconds, minBytes: zipped.bytes, serverPid: forum.child.pid });
      log(`  public feed: ${httpText(publicLoad)}`);
      const plainLoad = await measureHttp({ url: `${forum.url}/api/feed/public`, connections: CONNECTIONS, seconds, minBytes: publicFeed.text.length, serverPid: forum.child.pid });
      log(`  public feed, no Accept-Encoding: ${httpText(plainLoad)}`);
      const posts = (publicFeed.json as { items: unknown[] }).items.length;
      rows.push({
        figure: '2. `GET /api/feed/public` (anonymous homepage, as a browser asks: gzip accepted)',
        measured: httpText(publicLoad),
        baseline: `(1) health: ${fmt(healthLoad.requestsPerSecond)} req/s`,
        ratio: publicLoad.requestsPerSecond / healthLoad.requestsPerSecond,
        target: '≥ 0.9 of (1)',
        met: publicLoad.requestsPerSecond / healthLoad.requestsPerSecond >= 0.9,
        conditions: `${fmt(zipped.bytes)} bytes gzipped (${fmt(publicFeed.text.length)} plain), ${posts} posts; ${CONNECTIONS} connections; ${cpuText(publicLoad)}`,
      });
      rows.push({
        figure: '2. `GET /api/feed/public` without Accept-Encoding (plain JSON)',
        measured: httpText(plainLoad),
        baseline: `(1) health: ${fmt(healthLoad.requestsPerSecond)} req/s`,
        ratio: plainLoad.requestsPerSecond / healthLoad.requestsPerSecond,
        target: 'reported (bare node:http itself serves 56 KB at about half its rate for 30 bytes)',
        met: null,
        conditions: `${fmt(publicFeed.text.length)} bytes, ${posts} posts; ${CONNECTIONS} connections; ${cpuText(plainLoad)}`,
      });
    }

    // 10. The server-rendered homepage, against bare node:http sending the very same (gzipped) bytes.
    if (want(10)) {
      const browser = { 'accept-encoding': 'gzip, deflate' };
      const page = await rawResponse(`${forum.url}/`, browser);
      if (page.encoding !== 'gzip' || !gunzipSync(page.body).toString('utf8').includes('data-rendered="home"')) {
        throw new Error('GET / did not answer the server-rendered homepage gzipped: run `npm run build:client` first');
      }
      const bodyFile = path.join(runDir, 'homepage.html.gz');
      writeFileSync(bodyFile, page.body);
      const bare = await Server.start('test/bench/baselines/bare-http.ts', ['0', `@${bodyFile}`, 'text/html; charset=utf-8', 'gzip'], {}, /bare-http listening on (\d+)/);
      const bareLoad = await measureHttp({ url: `${bare.url}/`, headers: browser, connections: CONNECTIONS, seconds, minBytes: page.body.length, serverPid: bare.child.pid });
      await bare.stop();
      log(`  bare node:http, homepage bytes: ${httpText(bareLoad)}`);
      const homeLoad = await measureHttp({ url: `${forum.url}/`, headers: browser, connections: CONNECTIONS, seconds, minBytes: page.body.length, serverPid: forum.child.pid });
      log(`  homepage: ${httpText(homeLoad)}`);
      rows.push({
        figure: '10. `GET /` server-rendered homepage (as a browser asks: gzip accepted)',
        measured: httpText(homeLoad),
        baseline: `bare node:http, same bytes: ${httpText(bareLoad)}`,
        ratio: homeLoad.requestsPerSecond / bareLoad.requestsPerSecond,
        target: '≥ 0.5 of bare node:http',
        met: homeLoad.requestsPerSecond / bareLoad.requestsPerSecond >= 0.5,
        conditions: `${fmt(page.body.length)} bytes gzipped (${fmt(gunzipSync(page.body).length)} plain); ${CONNECTIONS} connections, ${seconds} s; forum: ${cpuText(homeLoad)}; bare: ${cpuText(bareLoad)}`,
      });
    }

    // 3. Signed-in feeds, checked byte for byte against the replay.
    if (want(3) && publicLoad && replayed) {
      const home = await fetchChecked(`${forum.url}/api/feed`, { headers: auth });
      const group = await fetchChecked(`${forum.url}${closedPath}`, { headers: auth });
      if (comparable(home.text) !== comparable(replayed.home.text)) throw new Error('the replay baseline does not answer the home feed exactly as the forum does');
      if (comparable(group.text) !== comparable(replayed.group.text)) throw new Error('the replay baseline does not answer the group feed exactly as the forum does');
      const homeLoad = await measureHttp({ url: `${forum.url}/api/feed`, headers: auth, connections: CONNECTIONS, seconds, minBytes: home.text.length, serverPid: forum.child.pid });
      log(`  home feed: ${httpText(homeLoad)}`);
      const groupLoad = await measureHttp({ url: `${forum.url}${closedPath}`, headers: auth, connections: CONNECTIONS, seconds, minBytes: group.text.length, serverPid: forum.child.pid });
      log(`  closed group feed: ${httpText(groupLoad)}`);
      for (const [name, load, replay, remembered] of [
        ['`GET /api/feed`', homeLoad, replayed.homeLoad, replayed.memoHomeLoad],
        ["a closed group's `GET /api/groups/:id/posts`", groupLoad, replayed.groupLoad, replayed.memoGroupLoad],
      ] as const) {
        rows.push({
          figure: `3. ${name}, member of ${persona.groupIds.length} groups`,
          measured: httpText(load),
          baseline: `(2) public feed: ${fmt(publicLoad.requestsPerSecond)} req/s`,
          ratio: load.requestsPerSecond / publicLoad.requestsPerSecond,
          target: '≥ 0.5 of (2), p99 < 25 ms',
          met: load.requestsPerSecond / publicLoad.requestsPerSecond >= 0.5 && load.p99 < 25,
          conditions: `${CONNECTIONS} connections; ${cpuText(load)}; by server CPU per request (which holds on a shared machine, where the share of a core each run gets does not): ${cpuPerRequestRatio(publicLoad, load)}`,
        });
        rows.push({
          figure: `3. ${name} against the raw-driver replay`,
          measured: httpText(load),
          baseline: `raw driver + JSON.stringify in node:http, same queries and bytes: ${httpText(replay)}`,
          ratio: load.requestsPerSecond / replay.requestsPerSecond,
          target: '≥ 0.6 of the replay',
          met: load.requestsPerSecond / replay.requestsPerSecond >= 0.6,
          conditions: `${CONNECTIONS} connections; replay: ${cpuText(replay)}; the forum's read cache answers every one of the replay's round trips once warm (token, memberships, groups, each group's newest posts, authors, the viewer's likes)`,
        });
        rows.push({
          figure: `3. ${name} against the replay with the same round trips`,
          measured: httpText(load),
          baseline: `the replay remembering token, memberships, groups, each group's newest posts, authors and the viewer's likes (as the forum's read cache does: no round trips once warm), same bytes: ${httpText(remembered)}`,
          ratio: load.requestsPerSecond / remembered.requestsPerSecond,
          target: '≥ 0.6 of the replay (the stricter reading)',
          met: load.requestsPerSecond / remembered.requestsPerSecond >= 0.6,
          conditions: `${CONNECTIONS} connections; replay: ${cpuText(remembered)}`,
        });
      }
    }

    // 4. Writes, without and then with sockets subscribed to the group written to. The sockets live in a
    // client process of their own on the load core, so reading 1,000s of frames does not slow autocannon.
    const postUrl = `${forum.url}/api/groups/${persona.writeGroupId}/posts`;
    if (want(4)) {
      const created = await fetchChecked(postUrl, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ body: WRITE_BODY }), expect: 201 });
      // What `post:new` carries: the post as the writer got it, without the per-viewer fields.
      const { likedByMe: _mine, can: _myActions, ...livePost } = created.json as Record<string, unknown>;
      writePayload = JSON.stringify(livePost);
      const likeTargets = manifest.likeTargets;
      let likeIndex = 0;
      const likeRequest = (request: { path?: string; headers?: Record<string, string> }) => {
        const i = likeIndex++;
        // Every request a different (user, post) pair until all pairs are used, so most likes are real writes.
        const post = likeTargets[Math.floor(i / tokens.length) % likeTargets.length];
        return { ...request, path: `/api/posts/${post}/like`, headers: { authorization: `Bearer ${tokens[i % tokens.length]}` } };
      };
      await fetchChecked(`${forum.url}/api/posts/${likeTargets[0]}/like`, { method: 'PUT', headers: auth });
      const postLoad = (clients?: SocketClients) =>
        measureHttp({
          url: postUrl, method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ body: WRITE_BODY }),
          connections: CONNECTIONS, seconds, minBytes: 200, serverPid: forum.child.pid, watch: clients ? [clients.cpuSeconds] : [],
        });
      const likeLoad = () => measureHttp({ url: `${forum.url}/api/health`, method: 'PUT', setupRequest: likeRequest, connections: CONNECTIONS, seconds, minBytes: 30, serverPid: forum.child.pid });
      const quietPost = await postLoad();
      const quietLike = await likeLoad();
      log(`  writes, no sockets: posts ${httpText(quietPost)}; server CPU ${fmt(cpuMsPer(quietPost), 2)} ms per post; likes ${httpText(quietLike)}`);
      writesWithout = quietPost;
      const tokensFile = path.join(runDir, 'tokens.json');
      writeFileSync(tokensFile, JSON.stringify(tokens));
      for (const n of WRITE_SOCKETS) {
        const clients = await startSocketClients(forum.url, writeFeed, n, tokensFile, LOAD_CORE);
        const post = await postLoad(clients);
        const readAtEnd = backlogText((await clients.received()).posts, post.requests * n);
        log(`  writes, ${n} sockets: posts ${httpText(post)}; server CPU ${fmt(cpuMsPer(post), 2)} ms per post; ${clientsCpuText(post)}; ${readAtEnd}`);
        const like = n === WRITE_SOCKETS[0] ? await likeLoad() : null;
        const received = await clients.stop();
        log(`  writes, ${n} sockets:${like ? ` likes ${httpText(like)};` : ''} received ${JSON.stringify(received)}`);
        const invalid = droppedText(received, n);
        if (!invalid && received.posts < post.requests * n) throw new Error(`writes with ${n} sockets: ${received.posts} post:new received for ${post.requests} posts`);
        writesWith.push({ sockets: n, post, invalid });
        const ratioTarget = n === WRITE_SOCKETS[0] ? 0.5 : 0.3;
        const ratio = post.requestsPerSecond / quietPost.requestsPerSecond;
        rows.push({
          figure: `4. \`POST /api/groups/:id/posts\` with ${fmt(n)} sockets subscribed`,
          measured: `${invalid ?? ''}${httpText(post)}; server CPU ${fmt(cpuMsPer(post), 2)} ms per post`,
          baseline: `same writes, no sockets: ${httpText(quietPost)}; server CPU ${fmt(cpuMsPer(quietPost), 2)} ms per post`,
          ratio,
          target: `≥ ${ratioTarget} of the same writes without sockets`,
          met: !invalid && ratio >= ratioTarget,
          conditions: `${CONNECTIONS} connections; ${fmt(n)} sockets in a client process of their own on the load core, every post:new counted; ${cpuText(post)}; ${clientsCpuText(post)}; ${readAtEnd}`,
        });
        if (like) {
          rows.push({
            figure: `4. \`PUT /api/posts/:id/like\` with ${fmt(n)} sockets subscribed`,
            measured: httpText(like),
            baseline: `same writes, no sockets: ${httpText(quietLike)}`,
            ratio: like.requestsPerSecond / quietLike.requestsPerSecond,
            target: 'throughput reported (no target)',
            met: null,
            conditions: `${CONNECTIONS} connections; ${fmt(n)} sockets in a client process of their own on the load core; like:update coalesced per post; ${cpuText(like)}`,
          });
        }
      }
    }

    // 5. Live delivery at growing socket counts (the bare baseline runs after the forum has stopped).
    if (want(5)) {
      const postLive = async (marker: string): Promise<void> => {
        await fetchChecked(postUrl, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ body: `<p>${marker}</p>` }), expect: 201 });
      };
      const livePool = socketPool(forum.url, tokens, writeFeed);
      for (const n of LIVE_SIZES) {
        await livePool.grow(n);
        // Unmeasured writes first, as the bare baseline gets below: the first few pay for compiling the path.
        if (n === LIVE_SIZES[0]) await measureDelivery(livePool, WARM_UP_MESSAGES, postLive);
        live.push(await measureDelivery(livePool, LIVE_MESSAGES, postLive));
        log(`  live delivery, forum, ${n} sockets: ${JSON.stringify(live[live.length - 1])}`);
      }
      // 11. Notifications: posts mentioning 20 people, with the largest pool still connected to the group.
      if (want(11)) {
        const mentioned = manifest.tokens.slice(0, MENTIONED);
        await measureNotificationDelivery(forum.url, postUrl, auth, mentioned, WARM_UP_MESSAGES);
        const delivery = await measureNotificationDelivery(forum.url, postUrl, auth, mentioned, LIVE_MESSAGES);
        log(`  notification delivery, ${livePool.sockets.length} sockets on the group: ${JSON.stringify(delivery)}`);
        const fanout = live[live.length - 1]!;
        rows.push({
          figure: `11. notification delivery, write acknowledged → \`notification:new\` at each of ${MENTIONED} mentioned people, ${fmt(livePool.sockets.length)} sockets on the group`,
          measured: `p50 ${fmt(delivery.fromAck.p50, 1)} ms, p95 ${fmt(delivery.fromAck.p95, 1)} ms, p99 ${fmt(delivery.fromAck.p99, 1)} ms (from sending: p95 ${fmt(delivery.p95, 1)} ms)`,
          baseline: `(5) fan-out \`post:new\` to ${fmt(fanout.sockets)} sockets, same run: p95 ${fmt(fanout.fromAck.p95, 1)} ms from the acknowledgement, ${fmt(fanout.p95, 1)} ms from sending`,
          ratio: Math.max(fanout.p95, 0.1) / Math.max(delivery.p95, 0.1),
          target: 'reported next to the fan-out (ratio: fan-out p95 / notification p95, from sending)',
          met: null,
          conditions: `${LIVE_MESSAGES} posts one after another, each mentioning the same ${MENTIONED} people (each with one socket); ${delivery.beforeAck} of ${MENTIONED * LIVE_MESSAGES} receipts came before the writer's HTTP response`,
        });
        // The mentioned people now hold LIVE_MESSAGES unread notifications each: the count reads those.
        {
          // Health again, with the same sockets connected, so both sides of the ratio run in the same conditions.
          const healthNow = await measureHttp({ url: `${forum.url}/api/health`, connections: CONNECTIONS, seconds, minBytes: 10, serverPid: forum.child.pid });
          const reader = { authorization: `Bearer ${mentioned[0]!.token}` };
          const counted = await fetchChecked(`${forum.url}/api/notifications/unread-count`, { headers: reader });
          const count = (counted.json as { count: number }).count;
          const load = await measureHttp({ url: `${forum.url}/api/notifications/unread-count`, headers: reader, connections: CONNECTIONS, seconds, minBytes: counted.text.length, serverPid: forum.child.pid });
          log(`  unread count: ${httpText(load)}; health just before: ${httpText(healthNow)}`);
          rows.push({
            figure: '11. `GET /api/notifications/unread-count`',
            measured: httpText(load),
            baseline: `\`GET /api/health\` just before, same sockets connected: ${httpText(healthNow)}`,
            ratio: load.requestsPerSecond / healthNow.requestsPerSecond,
            target: '≥ 0.5 of health',
            met: load.requestsPerSecond / healthNow.requestsPerSecond >= 0.5,
            conditions: `${count} unread notifications, judged against the policy once, then answered from memory until an event changes what they depend on; ${CONNECTIONS} connections; ${livePool.sockets.length} sockets still connected; ${cpuText(load)}`,
          });
        }
      }
      livePayload = (await fetchChecked(`${forum.url}/api/feed`, { headers: auth })).text;
      livePool.close();
    }

    // 7. Avatar upload while the event loop is watched, between two runs of the in-process baseline (the
    // forum sits idle meanwhile), so load that comes and goes on a shared machine weighs on both sides.
    if (want(7)) {
      const jpeg = await twelveMegapixelJpeg(photoFile);
      const form = multipart('image', 'photo.jpg', jpeg);
      await fetchChecked(`${forum.url}/api/me/avatar`, { method: 'PUT', headers: { ...auth, 'content-type': form.contentType }, body: form.body });
      const before = await encodeInProcess(photoFile, uploadSeconds, cores, path.join(runDir, 'sharp-out'));
      await forum.resetLoopDelay();
      const load = await measureHttp({
        url: `${forum.url}/api/me/avatar`, method: 'PUT', headers: { ...auth, 'content-type': form.contentType }, body: form.body,
        connections: cores, seconds: uploadSeconds, minBytes: 40, serverPid: forum.child.pid,
      });
      const loop = (await forum.stats()).loopDelay;
      log(`  upload: ${httpText(load)}; loop delay ${JSON.stringify(loop)}`);
      const after = await encodeInProcess(photoFile, uploadSeconds, cores, path.join(runDir, 'sharp-out'));
      const baseline = (before.perSecond + after.perSecond) / 2;
      rows.push({
        figure: '7. `PUT /api/me/avatar`, 12-megapixel JPEG to stored sizes',
        measured: `${fmt(load.requestsPerSecond, 2)} uploads/s, p99 ${fmt(load.p99)} ms; event-loop delay p99 ${fmt(loop.p99, 1)} ms (max ${fmt(loop.max, 1)})`,
        baseline: `encodeImage in-process, concurrency ${cores}: ${fmt(before.perSecond, 2)} images/s before and ${fmt(after.perSecond, 2)} after, mean ${fmt(baseline, 2)} (its loop p99 ${fmt(before.loopDelayP99, 1)} / ${fmt(after.loopDelayP99, 1)} ms)`,
        ratio: load.requestsPerSecond / baseline,
        target: '≥ 0.8, loop delay p99 < 20 ms',
        met: load.requestsPerSecond / baseline >= 0.8 && loop.p99 < 20,
        conditions: `${fmt(jpeg.length / 1e6, 1)} MB JPEG, 4000×3000; ${cores} connections, ${uploadSeconds} s; ${cpuText(load)}`,
      });
    }

    // 9. Search next to the home feed, both at 20 connections in this run.
    if (want(9)) {
      const home = await fetchChecked(`${forum.url}/api/feed`, { headers: auth });
      const homeLoad = await measureHttp({ url: `${forum.url}/api/feed`, headers: auth, connections: SEARCH_CONNECTIONS, seconds, minBytes: home.text.length, serverPid: forum.child.pid });
      log(`  home feed at ${SEARCH_CONNECTIONS} connections: ${httpText(homeLoad)}`);
      for (const [kind, word] of SEARCH_WORDS) {
        const url = `${forum.url}/api/search?type=posts&q=${encodeURIComponent(word)}`;
        const first = await fetchChecked(url, { headers: auth });
        requireItems(`search for ${word}`, first.json, 1);
        const load = await measureHttp({ url, headers: auth, connections: SEARCH_CONNECTIONS, seconds, minBytes: first.text.length, serverPid: forum.child.pid });
        log(`  search (${kind} "${word}"): ${httpText(load)}`);
        rows.push({
          figure: `9. \`GET /api/search\` for ${kind} ("${word}"), member of ${persona.groupIds.length} groups`,
          measured: httpText(load),
          baseline: `\`GET /api/feed\`, same persona, same connections: ${httpText(homeLoad)}`,
          ratio: load.requestsPerSecond / homeLoad.requestsPerSecond,
          target: '≥ 0.3 of the home feed, p99 < 50 ms',
          met: load.requestsPerSecond / homeLoad.requestsPerSecond >= 0.3 && load.p99 < 50,
          conditions: `${SEARCH_CONNECTIONS} connections; ${cpuText(load)}; server CPU per request ${cpuPerRequestRatio(homeLoad, load)} (home feed ÷ search); ranked by textScore then newest, 20 per page with highlights; the same query each time, so from the search cache after the first`,
        });
        let n = 0;
        const unseen = await measureHttp({
          url,
          headers: auth,
          connections: SEARCH_CONNECTIONS,
          seconds,
          minBytes: first.text.length,
          serverPid: forum.child.pid,
          setupRequest: (request) => ({ ...request, path: `/api/search?type=posts&q=${encodeURIComponent(unseenQuery(word, n++))}` }),
        });
        if (n > STOP_WORDS.length ** 3) throw new Error(`figure 9 sent ${n} searches, more than the ${STOP_WORDS.length ** 3} distinct queries it has`);
        log(`  search (${kind} "${word}", a query the cache has not seen each time): ${httpText(unseen)}`);
        rows.push({
          figure: `9. \`GET /api/search\` for ${kind} ("${word}"), member of ${persona.groupIds.length} groups, each request a query new to the cache`,
          measured: httpText(unseen),
          baseline: `\`GET /api/feed\`, same persona, same connections: ${httpText(homeLoad)}`,
          ratio: unseen.requestsPerSecond / homeLoad.requestsPerSecond,
          target: '≥ 0.3 of the home feed, p99 < 50 ms',
          met: unseen.requestsPerSecond / homeLoad.requestsPerSecond >= 0.3 && unseen.p99 < 50,
          conditions: `${SEARCH_CONNECTIONS} connections; ${cpuText(unseen)}; server CPU per request ${cpuPerRequestRatio(homeLoad, unseen)} (home feed ÷ search); the words followed by three stop words (dropped by $text: the same database work, a new cache key), so every request asks the database for the ranking; the 21 posts it names are the same each time, so they come from the post cache after the first`,
        });
      }
      // The same, with posts the post cache does not hold either: each request ranks and reads from the database.
      const [coldKind, coldWord] = SEARCH_WORDS[0]!;
      // Queries counted down from the last, so none is one the run above asked.
      const coldUrl = (page: number, n: number): string =>
        `/api/search?type=posts&q=${encodeURIComponent(unseenQuery(coldWord, STOP_WORDS.length ** 3 - 1 - n))}${page ? `&cursor=${page * SEARCH_PAGE}` : ''}`;
      const lastPage = await fetchChecked(`${forum.url}${coldUrl(COLD_PAGES - 1, 0)}`, { headers: auth });
      requireItems(`page ${COLD_PAGES} of the search for ${coldWord}`, lastPage.json, SEARCH_PAGE);
      let m = 1;
      const cold = await measureHttp({
        url: `${forum.url}${coldUrl(0, 0)}`,
        headers: auth,
        connections: SEARCH_CONNECTIONS,
        seconds,
        minBytes: Math.floor(lastPage.text.length / 2),
        serverPid: forum.child.pid,
        setupRequest: (request) => ({ ...request, path: coldUrl(m % COLD_PAGES, Math.floor(m++ / COLD_PAGES)) }),
      });
      log(`  search (${coldKind} "${coldWord}", pages 1-${COLD_PAGES} in turn, each a query new to the cache): ${httpText(cold)}`);
      rows.push({
        figure: `9. \`GET /api/search\` for ${coldKind} ("${coldWord}"), member of ${persona.groupIds.length} groups, each request a query new to the cache and posts new to the post cache`,
        measured: httpText(cold),
        baseline: `\`GET /api/feed\`, same persona, same connections: ${httpText(homeLoad)}`,
        ratio: cold.requestsPerSecond / homeLoad.requestsPerSecond,
        target: '≥ 0.3 of the home feed, p99 < 50 ms',
        met: cold.requestsPerSecond / homeLoad.requestsPerSecond >= 0.3 && cold.p99 < 50,
        conditions: `${SEARCH_CONNECTIONS} connections; ${cpuText(cold)}; server CPU per request ${cpuPerRequestRatio(homeLoad, cold)} (home feed ÷ search); pages 1 to ${COLD_PAGES} in turn (${fmt(COLD_PAGES * SEARCH_PAGE)} different posts, more than the ${fmt(MAX_POST_ROWS)} the post cache keeps), so each request reads its ranking and its posts from the database; a page at offset k ranks k + 21 posts, ${fmt(((COLD_PAGES - 1) * SEARCH_PAGE) / 2)} on average`,
      });
    }
    await forum.stop();
  }

  // 9 (engine side). Over the data the forum just left (its text indexes in the journal): what searches examine,
  // and start-up time and memory with the text indexes against the same data without them.
  if (want(9)) {
    const [cmd, argv] = tsNode('test/bench/baselines/text-index.ts', [path.join(dataEnv.DATA_DIR!, 'db'), JSON.stringify(persona.groupIds), ...SEARCH_WORDS.map(([, word]) => word)], ['--expose-gc']);
    const child = startChild(cmd, argv, { core: SERVER_CORE });
    // Two start-ups over the full data set took 5 minutes at a load average of 13 on 2 cores, and over 10 at 19.
    const line = await child.waitFor(/^(\{"posts".*)$/m, 1_800_000);
    await child.stop();
    const probe = JSON.parse(line[1]!) as TextIndexProbe;
    log(`  text index: ${JSON.stringify(probe)}`);
    for (const search of probe.searches) {
      rows.push({
        figure: `9. engine: search for "${search.word}", examined against matched in the readable scope`,
        measured: `${fmt(search.docsExamined)} documents read (${fmt(search.keysExamined)} index entries) for ${search.nReturned} returned; plan ${search.plan}`,
        baseline: `${fmt(search.inScope)} posts match in the readable scope (${fmt(search.everywhere)} in all groups, ${fmt(probe.posts)} posts)`,
        ratio: search.docsExamined / Math.max(1, search.inScope),
        target: 'examined ≤ matched in scope, never a collection scan',
        met: search.docsExamined <= search.inScope && search.keysExamined <= search.everywhere && search.plan !== 'COLLSCAN',
        conditions: 'explain executionStats through the driver; ranked by textScore then _id, limit 21',
      });
    }
    rows.push({
      figure: '9. engine: start-up with the text indexes (posts, groups, users; rebuilt from the documents)',
      measured: `${fmt(probe.withText.ms)} ms, ${fmt(probe.withText.heldBytes / 2 ** 20, 1)} MiB held (heap + external)`,
      baseline: `the same data without the text indexes: ${fmt(probe.without.ms)} ms, ${fmt(probe.without.heldBytes / 2 ** 20, 1)} MiB`,
      ratio: probe.withText.ms / probe.without.ms,
      target: 'reported',
      met: null,
      conditions: 'one process, engine started twice over the same files, forced GCs before reading memory',
    });
  }

  // 4 (baseline). A bare Socket.IO server broadcasting the same payload to the same number of sockets, driven
  // like the forum's writes (autocannon POSTs, each answered and then emitted), sockets again in their own
  // process. What the forum spends per fan-out is its server CPU per post with sockets minus without; the
  // bare server's the same difference per broadcast. CPU time, not wall time: it survives a shared machine.
  if (want(4) && writesWithout) {
    const bareIo = await Server.start('test/bench/baselines/bare-realtime.ts', ['socketio'], {}, /bare-realtime listening on (\d+)/);
    const broadcastLoad = (clients?: SocketClients) =>
      measureHttp({
        url: `${bareIo.url}/broadcast?room=${encodeURIComponent(writeFeed)}`, method: 'POST', body: writePayload,
        connections: CONNECTIONS, seconds, minBytes: writePayload.length, serverPid: bareIo.child.pid, watch: clients ? [clients.cpuSeconds] : [],
      });
    const bareQuiet = await broadcastLoad();
    log(`  bare Socket.IO broadcasts, no sockets: ${httpText(bareQuiet)}; ${fmt(cpuMsPer(bareQuiet), 3)} ms CPU each`);
    for (const { sockets: n, post, invalid: forumInvalid } of writesWith) {
      const clients = await startSocketClients(bareIo.url, writeFeed, n, null, LOAD_CORE);
      const bare = await broadcastLoad(clients);
      const bareReadAtEnd = backlogText((await clients.received()).posts, bare.requests * n);
      const received = await clients.stop();
      log(`  bare Socket.IO broadcasts, ${n} sockets: ${httpText(bare)}; ${fmt(cpuMsPer(bare), 3)} ms CPU each; received ${JSON.stringify(received)}`);
      const bareInvalid = droppedText(received, n);
      if (!bareInvalid && received.posts < bare.requests * n) throw new Error(`bare broadcasts to ${n} sockets: ${received.posts} received for ${bare.requests} broadcasts`);
      const invalid = [forumInvalid && `forum run ${forumInvalid}`, bareInvalid && `bare run ${bareInvalid}`].filter(Boolean).join('');
      const forumFanout = cpuMsPer(post) - cpuMsPer(writesWithout);
      const bareFanout = cpuMsPer(bare) - cpuMsPer(bareQuiet);
      rows.push({
        figure: `4. server CPU per fan-out of a post to ${fmt(n)} sockets (CPU per post with sockets − without)`,
        measured: `${invalid}forum ${fmt(forumFanout, 2)} ms (${fmt(cpuMsPer(post), 2)} − ${fmt(cpuMsPer(writesWithout), 2)} ms)`,
        baseline: `bare Socket.IO broadcast of the same ${fmt(writePayload.length)}-byte post: ${fmt(bareFanout, 2)} ms (${fmt(cpuMsPer(bare), 2)} − ${fmt(cpuMsPer(bareQuiet), 3)} ms; ${httpText(bare)})`,
        ratio: forumFanout / bareFanout,
        target: '≤ 2× the bare broadcast',
        met: !invalid && forumFanout / bareFanout <= 2,
        conditions: `${CONNECTIONS} connections writing; sockets in a client process of their own on the load core, every event counted; server CPU from /proc (user + system, the kernel's loopback TCP included) ÷ requests; forum run: ${clientsCpuText(post)}; bare run: server CPU ${fmt((bare.serverCpu ?? NaN) * 100)} %, ${clientsCpuText(bare)}; ${bareReadAtEnd}`,
      });
    }
    await bareIo.stop();
  }

  // 5 (baseline). Bare Socket.IO broadcast of the same payload to the same number of clients.
  if (want(5)) {
    const bareIo = await Server.start('test/bench/baselines/bare-realtime.ts', ['socketio'], {}, /bare-realtime listening on (\d+)/);
    const barePool = socketPool(bareIo.url, [], writeFeed);
    const payload = JSON.parse(livePayload) as { items: Record<string, unknown>[] };
    const sample = payload.items[0]!;
    const bareLive: Delivery[] = [];
    for (const n of LIVE_SIZES) {
      await barePool.grow(n);
      const broadcast = async (marker: string): Promise<void> => {
        await fetchChecked(`${bareIo.url}/broadcast?room=${encodeURIComponent(writeFeed)}`, { method: 'POST', body: JSON.stringify({ ...sample, body: `<p>${marker}</p>` }), expect: 201 });
      };
      if (n === LIVE_SIZES[0]) await measureDelivery(barePool, WARM_UP_MESSAGES, broadcast);
      bareLive.push(
        await measureDelivery(barePool, LIVE_MESSAGES, broadcast),
      );
      log(`  live delivery, bare Socket.IO, ${n} sockets: ${JSON.stringify(bareLive[bareLive.length - 1])}`);
    }
    barePool.close();
    await bareIo.stop();
    live.forEach((delivery, i) => {
      const base = bareLive[i]!;
      const last = i === live.length - 1;
      const ackRatio = Math.max(base.fromAck.p95, 0.1) / Math.max(delivery.fromAck.p95, 0.1);
      rows.push({
        figure: `5. live delivery, write acknowledged → \`post:new\` received (the issue's reading), ${fmt(delivery.sockets)} sockets`,
        measured: `p50 ${fmt(delivery.fromAck.p50, 1)} ms, p95 ${fmt(delivery.fromAck.p95, 1)} ms, p99 ${fmt(delivery.fromAck.p99, 1)} ms`,
        baseline: `bare Socket.IO broadcast: p50 ${fmt(base.fromAck.p50, 1)}, p95 ${fmt(base.fromAck.p95, 1)}, p99 ${fmt(base.fromAck.p99, 1)} ms`,
        ratio: ackRatio,
        target: last ? 'p95 < 250 ms and ≥ 0.8 of bare (p95 ratio)' : '≥ 0.8 of bare (p95 ratio)',
        met: ackRatio >= 0.8 && (!last || delivery.fromAck.p95 < 250),
        conditions: `${LIVE_MESSAGES} posts one after another; ${delivery.beforeAck} of ${delivery.sockets * delivery.messages} receipts came before the writer's HTTP response and count as 0 ms, which is why the stricter row below exists`,
      });
      rows.push({
        figure: `5. live delivery, write sent → \`post:new\` received (stricter: includes the forum's durable write), ${fmt(delivery.sockets)} sockets`,
        measured: `p50 ${fmt(delivery.p50, 1)} ms, p95 ${fmt(delivery.p95, 1)} ms, p99 ${fmt(delivery.p99, 1)} ms`,
        baseline: `bare Socket.IO broadcast: p50 ${fmt(base.p50, 1)}, p95 ${fmt(base.p95, 1)}, p99 ${fmt(base.p99, 1)} ms`,
        ratio: Math.max(base.p95, 0.1) / Math.max(delivery.p95, 0.1),
        target: last ? 'p95 < 250 ms and ≥ 0.8 of bare (p95 ratio)' : '≥ 0.8 of bare (p95 ratio)',
        met: Math.max(base.p95, 0.1) / Math.max(delivery.p95, 0.1) >= 0.8 && (!last || delivery.p95 < 250),
        conditions: `${LIVE_MESSAGES} posts one after another; ${delivery.beforeAck} of ${delivery.sockets * delivery.messages} receipts came before the writer's HTTP response, so latency runs from sending the write; the bare broadcast is measured the same way and writes nothing`,
      });
    });
  }

  // 6. Memory per idle socket, on a forum process started for it alone (a process that has served the
  // runs above keeps their heap, which then shrinks or grows under the sockets), against a plain ws server
  // and, to show what is Socket.IO's own, a bare Socket.IO server with the same clients and subscription.
  if (want(6)) {
    log('memory per idle socket');
    const perSocket = (before: Settled, after: Settled) => ({
      rss: (after.rss - before.rss) / IDLE_SOCKETS,
      heap: (after.heapUsed - before.heapUsed) / IDLE_SOCKETS,
      text: `RSS ${fmt(before.rss / 2 ** 20)} → ${fmt(after.rss / 2 ** 20)} MiB`,
    });
    // The forum's sockets are 5,000 different members where the data set has them (the small set has 999,
    // so its sockets share them five each). Where there are as many others again, their sockets connect and
    // leave first: the bounded caches (the engine's decoded documents, the read cache) are then as full as in
    // a forum that has served members, and what the measured sockets add is theirs.
    const members = tokens.slice(0, IDLE_SOCKETS);
    const others = tokens.length >= 2 * IDLE_SOCKETS ? tokens.slice(IDLE_SOCKETS, 2 * IDLE_SOCKETS) : [];
    const socketIoMemory = async (server: Server, poolTokens: string[], warmTokens: string[] = []): Promise<{ settled: ReturnType<typeof perSocket>; aged: ReturnType<typeof perSocket> | null }> => {
      if (warmTokens.length) {
        const warm = socketPool(server.url, warmTokens, writeFeed);
        await warm.grow(IDLE_SOCKETS);
        warm.close();
        // Past the read cache's age bound, so its entries for the warm-up sockets are gone before the reading.
        await sleep(MAX_ENTRY_AGE_MS + READ_CACHE_SWEEP_MS);
      }
      const before = await settledMemory(server);
      const pool = socketPool(server.url, poolTokens, writeFeed);
      await pool.grow(IDLE_SOCKETS);
      const reasons: Record<string, number> = {};
      for (const socket of pool.sockets) socket.on('disconnect', (reason) => (reasons[reason] = (reasons[reason] ?? 0) + 1));
      const after = await settledMemory(server);
      // The forum again once its read cache's entries from the handshakes have reached their age bound.
      const aged = poolTokens.length ? (await sleep(MAX_ENTRY_AGE_MS + READ_CACHE_SWEEP_MS), await settledMemory(server)) : null;
      const dropped = pool.sockets.filter((socket) => !socket.connected).length;
      pool.close();
      await server.stop();
      if (dropped) throw new Error(`memory per idle socket: ${dropped} of ${IDLE_SOCKETS} sockets disconnected while idle (${JSON.stringify(reasons)})`);
      return { settled: perSocket(before, after), aged: aged && perSocket(before, aged) };
    };
    const forum = await socketIoMemory(await Server.start('server/main.ts', [], dataCopy('idle'), /forum listening on http:\/\/[^:]+:(\d+)/), members, others);
    const forumMemory = forum.settled;
    log(`  forum: ${forumMemory.text}; after the read cache's age bound: ${forum.aged!.text}`);
    const bareMemory = (await socketIoMemory(await Server.start('test/bench/baselines/bare-realtime.ts', ['socketio'], {}, /bare-realtime listening on (\d+)/), [])).settled;
    log(`  bare Socket.IO: ${bareMemory.text}`);
    const ws = await Server.start('test/bench/baselines/bare-realtime.ts', ['ws'], {}, /bare-realtime listening on (\d+)/);
    const wsBefore = await settledMemory(ws);
    const wsClients = await openWebSockets(ws.port, IDLE_SOCKETS);
    const wsMemory = perSocket(wsBefore, await settledMemory(ws));
    wsClients.terminate();
    await ws.stop();
    log(`  plain ws: ${wsMemory.text}`);

    const kib = (memory: ReturnType<typeof perSocket>) => `${fmt(memory.rss / 1024, 1)} KiB (heap ${fmt(memory.heap / 1024, 1)} KiB; ${memory.text})`;
    // Fresh processes have nothing to release, so RSS falling means the figure cannot be trusted: never a pass.
    const plausible = forumMemory.rss > 0 && wsMemory.rss > 0 && bareMemory.rss > 0;
    const measured = `${plausible ? '' : 'INVALID (RSS fell while sockets were added): '}${kib(forumMemory)}`;
    const distinct = new Set(members).size;
    const who = `${fmt(distinct)} different members${distinct < IDLE_SOCKETS ? ` (the data set has no more: ${fmt(IDLE_SOCKETS)} sockets share them)` : ''}${others.length ? `, after ${fmt(others.length)} other members' sockets connected and left (bounded caches as full as in a forum in service)` : ''}`;
    const conditions =
      `${who}; each server a fresh process (the forum on its own copy of the data set), clients in the load generator; RSS once forced GCs (--expose-gc) stop freeing memory, each read 250 ms after its GC, from 2 s after the last connection`;
    rows.push({
      figure: `6. memory per idle socket (authenticated, subscribed), ${fmt(IDLE_SOCKETS)} sockets`,
      measured,
      baseline: `plain ws: ${kib(wsMemory)}`,
      ratio: forumMemory.rss / wsMemory.rss,
      target: '≤ 2× plain ws',
      met: plausible && forumMemory.rss / wsMemory.rss <= 2,
      conditions,
    });
    const bareTarget = (memory: ReturnType<typeof perSocket>) => plausible && memory.rss > 0 && distinct >= IDLE_SOCKETS && memory.rss / bareMemory.rss <= 1.2;
    rows.push({
      figure: '6. memory per idle socket against bare Socket.IO',
      measured,
      baseline: `bare Socket.IO, anonymous sockets in one room: ${kib(bareMemory)}`,
      ratio: forumMemory.rss / bareMemory.rss,
      target: '≤ 1.2× bare Socket.IO, 5,000 different members',
      met: bareTarget(forumMemory),
      conditions,
    });
    const aged = forum.aged!;
    // Idle for a minute and a half, a 1.3 GB process returns pages it held before the sockets came (V8's memory
    // reducer): RSS per socket below the heap's own growth per socket measures that, not the sockets.
    const agedPlausible = aged.rss >= aged.heap;
    rows.push({
      figure: `6. memory per idle socket against bare Socket.IO, idle past the read cache's ${fmt(MAX_ENTRY_AGE_MS / 1000)} s age bound`,
      measured: `${agedPlausible ? '' : 'INVALID (RSS per socket below the heap’s: the process gave back memory it held before the sockets): '}${kib(aged)}`,
      baseline: `bare Socket.IO, anonymous sockets in one room: ${kib(bareMemory)}`,
      ratio: aged.rss / bareMemory.rss,
      target: '≤ 1.2× bare Socket.IO, 5,000 different members (heap: ' + fmt(aged.heap / bareMemory.heap, 2) + '× bare)',
      met: agedPlausible && bareTarget(aged),
      conditions: `${who}; the same forum and sockets as the row above, read again ${fmt((MAX_ENTRY_AGE_MS + READ_CACHE_SWEEP_MS) / 1000)} s later, once the read cache has let the handshakes' sessions, identities and memberships go`,
    });
  }

  // 12. Encryption at rest: the engine with a key against the same engine without one, alternating in one child.
  if (want(12)) {
    log('encryption at rest');
    const child = startChild(...tsNode('test/bench/encryption.ts', ['--json']), { core: SERVER_CORE });
    const line = await child.waitFor(/^(\{"encryption".*)$/m, 1_800_000);
    await child.stop();
    const { encryption } = JSON.parse(line[1]!) as { encryption: { rounds: number; posts: number; plain: EncryptionFigures; sealed: EncryptionFigures } };
    log(`  ${JSON.stringify(encryption)}`);
    const { plain, sealed } = encryption;
    const conditions = `engine and driver in one child on core ${SERVER_CORE}, a fresh data directory per run; plain and sealed alternate, best of ${encryption.rounds} each`;
    const rate = (n: number, unit: string): string => `${fmt(n)}${unit}`;
    const ms = (n: number): string => `${fmt(n, n < 10 ? 2 : 0)} ms`;
    const figures: [string, string, string, number][] = [
      ['durable insertOne, 1 client (fsync per write)', rate(sealed.sequentialPerSec, '/s'), rate(plain.sequentialPerSec, '/s'), sealed.sequentialPerSec / plain.sequentialPerSec],
      ['durable insertOne, 32 clients (group commit)', rate(sealed.concurrentPerSec, '/s'), rate(plain.concurrentPerSec, '/s'), sealed.concurrentPerSec / plain.concurrentPerSec],
      [`insertMany of 5000 (${fmt(encryption.posts)} posts of 400 B)`, rate(sealed.batchDocsPerSec, ' docs/s'), rate(plain.batchDocsPerSec, ' docs/s'), sealed.batchDocsPerSec / plain.batchDocsPerSec],
      [`restart: load ${fmt(encryption.posts)} posts, replay, compact`, ms(sealed.restartMs), ms(plain.restartMs), plain.restartMs / sealed.restartMs],
      ['feed query: newest 20 of 30 groups', ms(sealed.feedMs), ms(plain.feedMs), plain.feedMs / sealed.feedMs],
    ];
    for (const [what, measured, baseline, ratio] of figures) {
      rows.push({ figure: `12. engine encryption at rest: ${what}`, measured: `sealed: ${measured}`, baseline: `plain: ${baseline}`, ratio, target: 'reported (1.00 = free)', met: null, conditions });
    }
  }

  // 8. Engine figures, measured in the replay process above.
  if (engine && inserts) {
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
  }

  const resultsFile = path.join(ROOT, 'test/bench/RESULTS.md');
  const table = (lines: string[]): string[] => [
    '| figure | measured | baseline (same run) | ratio | target | met | conditions |',
    '|---|---|---|---|---|---|---|',
    // Figure order; rows of one figure keep the order they were measured in.
    ...lines.map((line, i) => ({ line, i, figure: figureNumber(line.slice(2)) })).sort((a, b) => a.figure - b.figure || a.i - b.i).map((entry) => entry.line),
  ];
  let results: string;
  if (values.only !== undefined && existsSync(resultsFile)) {
    // A partial run replaces its figures' rows in the last full run's table and says when it ran.
    const previous = readFileSync(resultsFile, 'utf8').split('\n');
    const kept = previous.filter((line) => line.startsWith('| ') && Number.isFinite(figureNumber(line.slice(2))) && !figures.has(figureNumber(line.slice(2))));
    const alone = `; run alone (\`--only ${values.only}\`, ${scale} data set) on ${startedAt.toISOString()}, load average at start ${loadAverage}`;
    const start = previous.findIndex((line) => line.startsWith('| figure |'));
    const end = previous.findIndex((line, i) => i > start && !line.startsWith('|'));
    results = [
      ...previous.slice(0, start),
      ...table([...kept, ...rows.map((row) => tableLine({ ...row, conditions: row.conditions + alone }))]),
      ...previous.slice(end),
    ].join('\n');
  } else {
    const conditions = [
      `- Date: ${startedAt.toISOString()}; Node ${process.version}; ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}; ${fmt(os.totalmem() / 2 ** 30)} GiB; load average at start ${loadAverage}.`,
      `- Pinning: ${pinning}. Every baseline ran under the same pinning in the same run.`,
      `- Data set (${scale}): ${dataText}; ${seedLine}.`,
      `- Forum: \`node ${PRODUCTION_NODE_FLAGS.join(' ')} --import tsx server/main.ts\` (the V8 flags of \`npm start\`, package.json \`config.nodeFlags\`; every baseline server runs with them too) with \`DATA_DIR\` on a copy of the seeded data (embedded engine in-process, as \`npm start\`), persona signed in as a member of ${persona.groupIds.length} groups.`,
      `- HTTP: autocannon, ${CONNECTIONS} connections, ${seconds} s per run unless noted; every run fails on any error, timeout, non-2xx or short response.`,
      ...notes.map((note) => `- ${note}`),
    ];
    results = [
      '# Benchmark results',
      '',
      `Written by \`npm run bench${scale === 'full' ? ' -- --full' : ''}\` (test/bench/run.ts). Ratios: throughput is measured ÷ baseline; latency is baseline p95 ÷ measured p95; memory is measured ÷ baseline; engine time is baseline ÷ measured.`,
      '',
      ...conditions,
      '',
      ...table(rows.map(tableLine)),
      '',
    ].join('\n');
  }
  writeFileSync(resultsFile, results);
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
