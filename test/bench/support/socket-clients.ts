// `tsx test/bench/support/socket-clients.ts <url> <feed> <count> [tokens.json]`: holds `count` Socket.IO
// clients subscribed to `feed` in a process of its own, so the sockets' CPU does not share a core with
// autocannon (figure 4). Prints "socket-clients ready <count>" once all are subscribed, then counts the
// `post:new` and `like:update` events they receive: the message "count" over IPC is answered with
// {posts, likes, dropped, reasons}; "close" disconnects them and exits. The forum's tokens come from a JSON
// array file (round robin); without one the clients connect anonymously, as the bare Socket.IO baseline expects.
//
// Why not socket.io-client: at 5,000 sockets a figure-4 run delivers about a million events a second, and
// socket.io-client decodes each one (UTF-8, JSON.parse, an emitter call), several microseconds apiece. One
// process of it fell seconds behind, answered the server's pings too late and lost most of its sockets, so
// the run measured the clients, not the server. A real deployment's 5,000 clients sit on 5,000 devices.
// These clients speak the same protocols over real TCP (an RFC 6455 WebSocket carrying Engine.IO 4 and
// Socket.IO 5 packets: open, connect with the auth payload, an acknowledged `subscribe`, ping/pong), but
// once subscribed they read each frame's header and the first bytes of its payload only, which names the
// event. Every frame the server sends is still received and classified, so the counts are exact.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { connect, type Socket as TcpSocket } from 'node:net';

/** Enough of a payload to tell `42["post:new",…` and `42["like:update",…` apart. */
const PREFIX = 16;
const POST_NEW = Buffer.from('42["post:new"');
const LIKE_UPDATE = Buffer.from('42["like:update"');
const OPCODE_TEXT = 0x1;
const OPCODE_CLOSE = 0x8;
const OPCODE_PING = 0x9;

interface Counts {
  posts: number;
  likes: number;
}

/** A client-to-server frame: FIN, text or pong, masked (RFC 6455 requires it) with a zero key, which leaves the payload as it is. */
function clientFrame(opcode: number, payload: Buffer): Buffer {
  const length = payload.length;
  const header = length < 126 ? Buffer.from([0x80 | opcode, 0x80 | length]) : Buffer.from([0x80 | opcode, 0x80 | 126, length >> 8, length & 0xff]);
  return Buffer.concat([header, Buffer.alloc(4), payload]);
}

const PONG_PACKET = clientFrame(OPCODE_TEXT, Buffer.from('3'));

class RawClient {
  private readonly tcp: TcpSocket;
  /** Bytes of a frame header (and payload prefix) split across reads. */
  private tail: Buffer | null = null;
  /** Payload bytes of the current frame still to skip. */
  private skip = 0;
  private upgraded = false;
  private subscribed = false;
  connected = false;
  reason: string | null = null;

  constructor(
    url: URL,
    private readonly auth: Record<string, string>,
    private readonly feed: string,
    private readonly counts: Counts,
    private readonly onReady: (error: Error | null) => void,
  ) {
    this.tcp = connect({ host: url.hostname, port: Number(url.port) });
    this.tcp.setNoDelay(true);
    this.tcp.on('connect', () => {
      this.tcp.write(
        `GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: ${url.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      );
    });
    this.tcp.on('data', (chunk: Buffer) => this.read(chunk));
    this.tcp.on('error', (error) => this.end(`transport error: ${error.message}`));
    this.tcp.on('close', () => this.end('transport close'));
  }

  close(): void {
    this.reason ??= 'client close';
    this.tcp.destroy();
  }

  private end(reason: string): void {
    this.reason ??= reason;
    if (!this.subscribed) this.onReady(new Error(`socket closed before it was subscribed: ${this.reason}`));
    this.connected = false;
  }

  private send(packet: string): void {
    this.tcp.write(clientFrame(OPCODE_TEXT, Buffer.from(packet)));
  }

  private read(chunk: Buffer): void {
    let buffer = this.tail ? Buffer.concat([this.tail, chunk]) : chunk;
    this.tail = null;
    let at = 0;
    if (!this.upgraded) {
      const headerEnd = buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) {
        this.tail = buffer;
        return;
      }
      const status = buffer.toString('latin1', 0, buffer.indexOf('\r\n'));
      if (!status.startsWith('HTTP/1.1 101')) return this.fail(`upgrade refused: ${status}`);
      this.upgraded = true;
      at = headerEnd + 4;
    }
    if (this.skip) {
      const skipped = Math.min(this.skip, buffer.length - at);
      this.skip -= skipped;
      at += skipped;
    }
    while (at < buffer.length) {
      const available = buffer.length - at;
      if (available < 2) break;
      const opcode = buffer[at]! & 0x0f;
      let length = buffer[at + 1]! & 0x7f;
      let header = 2;
      if (length === 126) {
        if (available < 4) break;
        length = buffer.readUInt16BE(at + 2);
        header = 4;
      } else if (length === 127) {
        if (available < 10) break;
        length = Number(buffer.readBigUInt64BE(at + 2));
        header = 10;
      }
      // Events are classified by their first bytes; anything else is small and read whole.
      const isEvent = this.subscribed && opcode === OPCODE_TEXT && length >= PREFIX;
      const needed = header + (isEvent ? PREFIX : length);
      if (available < needed) break;
      const payload = at + header;
      if (isEvent) {
        if (buffer.compare(POST_NEW, 0, POST_NEW.length, payload, payload + POST_NEW.length) === 0) this.counts.posts++;
        else if (buffer.compare(LIKE_UPDATE, 0, LIKE_UPDATE.length, payload, payload + LIKE_UPDATE.length) === 0) this.counts.likes++;
      } else {
        this.frame(opcode, buffer.subarray(payload, payload + length));
      }
      const end = payload + length;
      if (end > buffer.length) {
        this.skip = end - buffer.length;
        at = buffer.length;
      } else {
        at = end;
      }
    }
    if (at < buffer.length) this.tail = Buffer.from(buffer.subarray(at));
  }

  private frame(opcode: number, payload: Buffer): void {
    if (opcode === OPCODE_CLOSE) return this.end(`server close ${payload.length >= 2 ? payload.readUInt16BE(0) : ''}`.trim());
    if (opcode === OPCODE_PING) return void this.tcp.write(clientFrame(0xa, payload));
    if (opcode !== OPCODE_TEXT) return;
    const packet = payload.toString('utf8');
    if (packet === '2') return void this.tcp.write(PONG_PACKET);
    if (packet.startsWith('0{')) return this.send(`40${JSON.stringify(this.auth)}`);
    if (packet.startsWith('40{')) {
      this.connected = true;
      return this.send(`420${JSON.stringify(['subscribe', { feed: this.feed }])}`);
    }
    if (packet.startsWith('44')) return this.fail(`connection refused: ${packet.slice(2)}`);
    if (packet.startsWith('430')) {
      const [ack] = JSON.parse(packet.slice(3)) as [{ ok: boolean; error?: { message: string } }];
      if (!ack.ok) return this.fail(`could not subscribe to ${this.feed}: ${ack.error?.message}`);
      this.subscribed = true;
      this.onReady(null);
    }
  }

  private fail(reason: string): void {
    this.reason ??= reason;
    this.tcp.destroy();
  }
}

async function main(): Promise<void> {
  const [url, feed, countText, tokensFile] = process.argv.slice(2);
  const count = Number(countText);
  if (!url || !feed || !(count > 0)) throw new Error('usage: socket-clients.ts <url> <feed> <count> [tokens.json]');
  const tokens = tokensFile ? (JSON.parse(readFileSync(tokensFile, 'utf8')) as string[]) : [];
  const counts: Counts = { posts: 0, likes: 0 };
  const clients: RawClient[] = [];
  const target = new URL(url);
  const connectOne = (index: number) =>
    new Promise<void>((resolve, reject) => {
      let settled = false;
      const auth: Record<string, string> = tokens.length ? { token: tokens[index % tokens.length]! } : {};
      const timer = setTimeout(() => ready(new Error('not subscribed within 60 s')), 60_000);
      const ready = (error: Error | null) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (error) reject(new Error(`socket ${index}: ${error.message}`));
        else resolve();
      };
      clients.push(new RawClient(target, auth, feed, counts, ready));
    });
  for (let start = 0; start < count; start += 100) {
    await Promise.all(Array.from({ length: Math.min(100, count - start) }, (_, i) => connectOne(start + i)));
  }
  process.stdout.write(`socket-clients ready ${clients.length}\n`);
  process.on('message', (message: unknown) => {
    if (message === 'count') {
      const reasons: Record<string, number> = {};
      for (const client of clients) if (client.reason) reasons[client.reason] = (reasons[client.reason] ?? 0) + 1;
      process.send?.({ ...counts, dropped: clients.filter((client) => client.reason !== null).length, reasons });
    } else if (message === 'close') {
      for (const client of clients) client.close();
      process.exit(0);
    }
  });
  process.on('SIGTERM', () => process.exit(0));
}

main().catch((error: unknown) => {
  process.stderr.write(`socket-clients failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
