// HTTP load with autocannon and real Socket.IO clients, each run checked for correctness: a run with any
// error, timeout, unexpected status or short body fails the bench instead of looking fast.
import http from 'node:http';
import autocannon from 'autocannon';
import { io, type Socket } from 'socket.io-client';
import { cpuSecondsOf, startChild, tsNode } from './processes';

export interface HttpFigure {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  requests: number;
  /** Average bytes per response (headers included), to show the body was really there. */
  bytesPerResponse: number;
  /** Share of one core used by the server and by this (load-generating) process while the run lasted. */
  serverCpu: number | null;
  loadCpu: number;
  /** CPU seconds (user + system) the server used during the run, or null. */
  serverCpuSeconds: number | null;
  /** Share of one core used by each of the run's watched processes (HttpRun.watch), null where unknown. */
  watchedCpu: (number | null)[];
  connections: number;
  seconds: number;
}

export interface HttpRun {
  url: string;
  connections: number;
  seconds: number;
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Rewrites each request (another token, another post). */
  setupRequest?: (request: autocannon.RequestSpec) => autocannon.RequestSpec;
  /** Responses must be at least this long (bytes, headers included). */
  minBytes: number;
  serverPid: number | null;
  /** CPU seconds so far of other processes to watch during the run (the socket clients): their shares come back as watchedCpu. */
  watch?: (() => number | null)[];
}

export async function measureHttp(run: HttpRun): Promise<HttpFigure> {
  const cpu0 = process.cpuUsage();
  const server0 = run.serverPid === null ? null : cpuSecondsOf(run.serverPid);
  const t0 = Date.now();
  const watched0 = (run.watch ?? []).map((measure) => measure());
  const result = await autocannon({
    url: run.url,
    connections: run.connections,
    duration: run.seconds,
    timeout: 30,
    method: run.method ?? 'GET',
    headers: run.headers,
    body: run.body,
    requests: run.setupRequest ? [{ setupRequest: run.setupRequest }] : undefined,
  });
  const wall = (Date.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const server1 = run.serverPid === null ? null : cpuSecondsOf(run.serverPid);
  const watchedCpu = (run.watch ?? []).map((measure, i) => {
    const [before, after] = [watched0[i], measure()];
    return before === null || before === undefined || after === null ? null : (after - before) / wall;
  });
  const total = result.requests.total;
  const bytesPerResponse = total ? result.throughput.total / total : 0;
  const problems: string[] = [];
  if (!total) problems.push('no request completed');
  if (result.errors) problems.push(`${result.errors} errors`);
  if (result.timeouts) problems.push(`${result.timeouts} timeouts`);
  if (result.non2xx) problems.push(`${result.non2xx} non-2xx responses (${JSON.stringify(result.statusCodeStats ?? {})})`);
  if (bytesPerResponse < run.minBytes) problems.push(`responses average ${bytesPerResponse.toFixed(0)} bytes, expected at least ${run.minBytes}`);
  if (problems.length) throw new Error(`${run.method ?? 'GET'} ${run.url}: ${problems.join('; ')}`);
  return {
    requestsPerSecond: total / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: total,
    bytesPerResponse,
    serverCpu: server0 === null || server1 === null ? null : (server1 - server0) / wall,
    loadCpu: (cpu.user + cpu.system) / 1e6 / wall,
    serverCpuSeconds: server0 === null || server1 === null ? null : server1 - server0,
    watchedCpu,
    connections: run.connections,
    seconds: run.seconds,
  };
}

/** One GET's body as sent (still encoded), for a baseline that must send the very same bytes. */
export function rawResponse(url: string, headers: Record<string, string>): Promise<{ body: Buffer; encoding: string | undefined }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          if (res.statusCode === 200 && body.length > 0) resolve({ body, encoding: res.headers['content-encoding'] });
          else reject(new Error(`GET ${url}: ${res.statusCode}, ${body.length} bytes`));
        });
      })
      .on('error', reject);
  });
}

/** The bytes a response carries on the wire (fetch would decode a compressed body first) and its encoding. */
export async function wireBytes(url: string, headers: Record<string, string>): Promise<{ bytes: number; encoding: string | undefined }> {
  const { body, encoding } = await rawResponse(url, headers);
  return { bytes: body.length, encoding };
}

/** One request, checked: status and a non-empty body; returns the parsed JSON and the raw text. */
export async function fetchChecked(url: string, init: RequestInit & { expect?: number } = {}): Promise<{ json: unknown; text: string }> {
  const response = await fetch(url, init);
  const text = await response.text();
  if (response.status !== (init.expect ?? 200) || !text.length) {
    throw new Error(`${init.method ?? 'GET'} ${url} answered ${response.status} with ${text.length} bytes: ${text.slice(0, 300)}`);
  }
  return { json: JSON.parse(text) as unknown, text };
}

export function requireItems(label: string, json: unknown, min = 1): { items: Record<string, unknown>[] } {
  const items = (json as { items?: unknown }).items;
  if (!Array.isArray(items) || items.length < min) throw new Error(`${label}: expected at least ${min} items, got ${JSON.stringify(json).slice(0, 200)}`);
  return json as { items: Record<string, unknown>[] };
}

export interface SocketPool {
  readonly sockets: Socket[];
  /** Connects more clients (authenticated with these tokens, round robin) and subscribes each to `feed`. */
  grow(total: number): Promise<void>;
  close(): void;
}

/** Real socket.io-client connections over the WebSocket transport, as browsers of the forum use. */
export function socketPool(url: string, tokens: string[], feed: string): SocketPool {
  const sockets: Socket[] = [];
  const connectOne = (index: number): Promise<Socket> =>
    new Promise((resolve, reject) => {
      const socket = io(url, {
        path: '/socket.io',
        transports: ['websocket'],
        forceNew: true,
        reconnection: false,
        timeout: 60_000,
        auth: tokens.length ? { token: tokens[index % tokens.length] } : {},
      });
      socket.once('connect_error', (error) => reject(new Error(`socket ${index} could not connect: ${error.message}`)));
      // Without reconnection a socket the server drops before it is subscribed would leave this promise
      // pending with no timer left: the bench would wait for ever instead of failing.
      socket.once('disconnect', (reason) => reject(new Error(`socket ${index} was disconnected before it was subscribed: ${reason}`)));
      socket.once('connect', () => {
        socket
          .timeout(60_000)
          .emitWithAck('subscribe', { feed })
          .then((ack: { ok: boolean; error?: { message: string } }) => {
            if (!ack.ok) return reject(new Error(`socket ${index} could not subscribe to ${feed}: ${ack.error?.message}`));
            resolve(socket);
          }, reject);
      });
    });
  return {
    sockets,
    async grow(total) {
      const batch = 100;
      while (sockets.length < total) {
        const start = sockets.length;
        const count = Math.min(batch, total - start);
        sockets.push(...(await Promise.all(Array.from({ length: count }, (_, i) => connectOne(start + i)))));
      }
    },
    close() {
      for (const socket of sockets) socket.disconnect();
      sockets.length = 0;
    },
  };
}

export interface Delivery {
  sockets: number;
  messages: number;
  /**
   * Milliseconds from sending the write to each socket's receipt. Not from the write's acknowledgement: the
   * forum's fan-out usually reaches sockets before its own HTTP response reaches the writer, which made
   * "acknowledgement → receipt" zero or negative and hid the cost of the fan-out.
   */
  p50: number;
  p95: number;
  p99: number;
  /** Receipts that arrived before the acknowledgement did. */
  beforeAck: number;
  /** The issue's own reading: acknowledgement → receipt, a receipt that came first counting as 0 ms. */
  fromAck: { p50: number; p95: number; p99: number };
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Which event a socket waits for, and whether a payload is the one carrying `marker`. */
export interface Awaited {
  event: string;
  carries(payload: unknown, marker: string): boolean;
}

const NEW_POST: Awaited = { event: 'post:new', carries: (post, marker) => (post as { body?: string }).body?.includes(marker) === true };

/**
 * Sends `messages` writes one after another through `write(marker)` (which resolves at the write's
 * acknowledgement) and waits until every socket has the `post:new` (or `awaited`) that carries the marker. A
 * socket that misses one fails the run.
 */
export async function measureDelivery(
  pool: Pick<SocketPool, 'sockets'>,
  messages: number,
  write: (marker: string) => Promise<void>,
  awaited: Awaited = NEW_POST,
): Promise<Delivery> {
  const latencies: number[] = [];
  const sinceAck: number[] = [];
  let beforeAck = 0;
  const run = `${Date.now().toString(36)}`;
  for (let m = 0; m < messages; m++) {
    const marker = `live-${run}-${m}`;
    const received = new Map<Socket, number>();
    let allIn: () => void = () => undefined;
    const everyone = new Promise<void>((resolve) => (allIn = resolve));
    const handlers = pool.sockets.map((socket) => {
      const handler = (payload: unknown): void => {
        if (!awaited.carries(payload, marker) || received.has(socket)) return;
        received.set(socket, performance.now());
        if (received.size === pool.sockets.length) allIn();
      };
      socket.on(awaited.event, handler);
      return [socket, handler] as const;
    });
    const sentAt = performance.now();
    await write(marker);
    const ackAt = performance.now();
    const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 15_000).unref());
    const outcome = await Promise.race([everyone, timeout]);
    for (const [socket, handler] of handlers) socket.off(awaited.event, handler);
    if (outcome === 'timeout') throw new Error(`live delivery: ${pool.sockets.length - received.size} of ${pool.sockets.length} sockets never received message ${m}`);
    for (const at of received.values()) {
      if (at < ackAt) beforeAck++;
      latencies.push(at - sentAt);
      sinceAck.push(Math.max(0, at - ackAt));
    }
  }
  latencies.sort((a, b) => a - b);
  sinceAck.sort((a, b) => a - b);
  return {
    sockets: pool.sockets.length,
    messages,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    beforeAck,
    fromAck: { p50: percentile(sinceAck, 50), p95: percentile(sinceAck, 95), p99: percentile(sinceAck, 99) },
  };
}

/** What the socket clients received; `dropped` sockets disconnected during the run (why: `reasons`, by count). */
export interface ClientCounts {
  posts: number;
  likes: number;
  dropped: number;
  reasons: Record<string, number>;
}

export interface SocketClients {
  /** CPU seconds (user + system) the clients' process has used so far, or null (figure 4 reports its share, to show whether the clients were the limit). */
  cpuSeconds(): number | null;
  /** What the clients have received so far (read right after a run: how far behind the writes they are). */
  received(): Promise<ClientCounts>;
  /** Disconnects the clients and ends their process; resolves with what they received meanwhile. */
  stop(): Promise<ClientCounts>;
}

/**
 * `n` Socket.IO clients subscribed to `feed` in a process of their own (test/bench/support/socket-clients.ts),
 * pinned to `core`; authenticated with the tokens in `tokensFile` (a JSON array, round robin) or anonymous.
 */
export async function startSocketClients(url: string, feed: string, n: number, tokensFile: string | null, core: number): Promise<SocketClients> {
  const child = startChild(...tsNode('test/bench/support/socket-clients.ts', [url, feed, String(n), ...(tokensFile ? [tokensFile] : [])]), { core, ipc: true });
  await child.waitFor(/socket-clients ready/, 600_000);
  const count = () =>
    new Promise<ClientCounts>((resolve) => {
      child.process.once('message', (message) => resolve(message as ClientCounts));
      child.process.send('count');
    });
  return {
    cpuSeconds: () => cpuSecondsOf(child.pid),
    received: count,
    async stop() {
      // The forum answers a write before it fans it out, and the clients, on a core shared with the load
      // generator, may be seconds behind what was sent: counted once nothing more has arrived for 2 s.
      let counts = await count();
      for (let waited = 0; waited < 60_000; waited += 2_000) {
        await new Promise((resolve) => setTimeout(resolve, 2_000));
        const now = await count();
        const settled = now.posts === counts.posts && now.likes === counts.likes;
        counts = now;
        if (settled) break;
      }
      await child.stop();
      return counts;
    },
  };
}
