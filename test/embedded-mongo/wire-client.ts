import net from 'node:net';
import { deserialize, serialize, type Document } from 'bson';
import { crc32c } from '../../server/embedded-mongo/wire/crc32c';

/** A raw TCP client speaking just enough of the wire protocol to test framing by hand. */
export class RawClient {
  private chunks: Buffer[] = [];
  private waiters: (() => void)[] = [];
  closed = false;
  private requestId = 1;

  private constructor(private readonly socket: net.Socket) {
    socket.on('data', (c: Buffer) => {
      this.chunks.push(c);
      this.wake();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    socket.on('error', () => undefined);
  }

  static connect(uri: string): Promise<RawClient> {
    const { hostname, port } = new URL(uri);
    return new Promise((resolve, reject) => {
      const socket = net.connect(Number(port), hostname.replace(/^\[|\]$/g, ''), () => resolve(new RawClient(socket)));
      socket.once('error', reject);
    });
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  write(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  /** Resolves with the next complete reply, or null if the server closed the connection. */
  async readMessage(timeoutMs = 5000): Promise<Buffer | null> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const buf = Buffer.concat(this.chunks);
      if (buf.length >= 4 && buf.length >= buf.readInt32LE(0)) {
        const len = buf.readInt32LE(0);
        this.chunks = [buf.subarray(len)];
        return buf.subarray(0, len);
      }
      if (this.closed) return null;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('timed out waiting for a reply');
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Resolves true once the server has closed this connection. */
  async waitClosed(timeoutMs = 5000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    return this.closed;
  }

  async command(body: Document, opts: { checksum?: boolean; sequences?: [string, Document[]][] } = {}): Promise<Document> {
    this.write(encodeOpMsg(body, this.requestId++, opts));
    const reply = await this.readMessage();
    if (!reply) throw new Error('connection closed');
    return decodeOpMsg(reply);
  }

  close(): void {
    this.socket.destroy();
  }
}

function header(length: number, requestId: number, opCode: number): Buffer {
  const h = Buffer.alloc(16);
  h.writeInt32LE(length, 0);
  h.writeInt32LE(requestId, 4);
  h.writeInt32LE(0, 8);
  h.writeInt32LE(opCode, 12);
  return h;
}

export function encodeOpMsg(body: Document, requestId: number, opts: { checksum?: boolean; sequences?: [string, Document[]][] } = {}): Buffer {
  const sections: Buffer[] = [Buffer.from([0]), Buffer.from(serialize(body))];
  for (const [id, docs] of opts.sequences ?? []) {
    const payload = Buffer.concat([Buffer.from(`${id}\0`), ...docs.map((d) => Buffer.from(serialize(d)))]);
    const size = Buffer.alloc(4);
    size.writeInt32LE(payload.length + 4);
    sections.push(Buffer.from([1]), size, payload);
  }
  const flags = Buffer.alloc(4);
  flags.writeUInt32LE(opts.checksum ? 1 : 0);
  const withoutSum = Buffer.concat([flags, ...sections]);
  const total = 16 + withoutSum.length + (opts.checksum ? 4 : 0);
  const msg = Buffer.concat([header(total, requestId, 2013), withoutSum, Buffer.alloc(opts.checksum ? 4 : 0)]);
  if (opts.checksum) msg.writeUInt32LE(crc32c(msg, 0, msg.length - 4), msg.length - 4);
  return msg;
}

export function decodeOpMsg(reply: Buffer): Document {
  if (reply.readInt32LE(12) !== 2013) throw new Error(`expected OP_MSG, got opCode ${reply.readInt32LE(12)}`);
  if (reply[20] !== 0) throw new Error('expected a body section first');
  const size = reply.readInt32LE(21);
  return deserialize(reply.subarray(21, 21 + size));
}

export function encodeOpQuery(collection: string, query: Document, requestId: number): Buffer {
  const body = Buffer.concat([Buffer.alloc(4), Buffer.from(`${collection}\0`), Buffer.alloc(8), Buffer.from(serialize(query))]);
  body.writeInt32LE(-1, body.length - serialize(query).length - 4);
  return Buffer.concat([header(16 + body.length, requestId, 2004), body]);
}

export function decodeOpReply(reply: Buffer): { numberReturned: number; docs: Document[] } {
  if (reply.readInt32LE(12) !== 1) throw new Error(`expected OP_REPLY, got opCode ${reply.readInt32LE(12)}`);
  const numberReturned = reply.readInt32LE(32);
  const docs: Document[] = [];
  let offset = 36;
  while (offset < reply.length) {
    const size = reply.readInt32LE(offset);
    docs.push(deserialize(reply.subarray(offset, offset + size)));
    offset += size;
  }
  return { numberReturned, docs };
}
