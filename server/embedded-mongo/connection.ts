import type { Socket } from 'node:net';
import { ConnectionAuth } from './auth';
import { runCommand } from './commands/registry';
import type { Engine } from './engine';
import { CommandError, ErrorCode } from './errors';
import { validateDbName } from './catalog/catalog';
import type { Document } from './documents';
import { encodeOpMsg, encodeOpReply, MAX_MESSAGE_BYTES, parseMessage, ProtocolError, type Request } from './wire/protocol';

const HANDSHAKE_COMMANDS = new Set(['hello', 'isMaster', 'ismaster']);
let nextRequestId = 1;

/**
 * One client socket: frames incoming bytes into messages and answers them in order. Any
 * framing or protocol violation closes this socket only, with the reason logged.
 */
export class Connection {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private queue: Promise<void> = Promise.resolve();
  private closed = false;
  private readonly auth: ConnectionAuth | null;

  constructor(
    private readonly engine: Engine,
    private readonly socket: Socket,
    readonly id: number,
  ) {
    this.auth = engine.users ? new ConnectionAuth(engine.users) : null;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (err) => this.engine.logger.info(`embedded-mongo: connection ${id} socket error: ${err.message}`));
    socket.on('close', () => {
      if (this.buffered > 0 && !this.closed) {
        this.engine.logger.warn(`embedded-mongo: connection ${id} closed in the middle of a message (${this.buffered} bytes of a truncated message dropped)`);
      }
      this.closed = true;
    });
  }

  private get remote(): string {
    return `${this.socket.remoteAddress ?? '?'}:${this.socket.remotePort ?? '?'}`;
  }

  close(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.chunks = [];
    this.buffered = 0;
    this.engine.logger.warn(`embedded-mongo: closing connection ${this.id} from ${this.remote}: ${reason}`);
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    if (this.closed) return;
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    while (this.buffered >= 4 && !this.closed) {
      const length = this.peekLength();
      if (length < 16) return this.close(`message length ${length} is smaller than a header`);
      if (length > MAX_MESSAGE_BYTES) return this.close(`message length ${length} exceeds maxMessageSizeBytes ${MAX_MESSAGE_BYTES}`);
      if (this.buffered < length) return;
      const message = this.take(length);
      this.queue = this.queue
        .then(() => this.handle(message))
        .catch((err: Error) => this.close(`internal error while handling a message: ${err?.message ?? String(err)}`));
    }
  }

  private peekLength(): number {
    if (this.chunks[0].length < 4) this.chunks = [Buffer.concat(this.chunks)];
    return this.chunks[0].readInt32LE(0);
  }

  private take(length: number): Buffer {
    const first = this.chunks[0];
    if (first.length >= length) {
      const msg = first.subarray(0, length);
      if (first.length === length) this.chunks.shift();
      else this.chunks[0] = first.subarray(length);
      this.buffered -= length;
      return msg;
    }
    const all = Buffer.concat(this.chunks);
    this.chunks = all.length > length ? [all.subarray(length)] : [];
    this.buffered -= length;
    return all.subarray(0, length);
  }

  private async handle(message: Buffer): Promise<void> {
    if (this.closed) return;
    let request: Request;
    try {
      request = parseMessage(message);
    } catch (err) {
      const reason = err instanceof ProtocolError ? err.message : `unparseable message: ${(err as Error).message}`;
      return this.close(reason);
    }
    if (request.kind === 'query') return this.handleLegacyQuery(request);
    const reply = await this.dispatch(request.body);
    if (!request.moreToCome) this.send(reply, request.header.requestId, false);
  }

  /** OP_QUERY only carries the legacy handshake; mongod 6+ refuses every other use of it. */
  private async handleLegacyQuery(request: Extract<Request, { kind: 'query' }>): Promise<void> {
    const command = Object.keys(request.body)[0];
    let reply: Document;
    if (request.collection.endsWith('.$cmd') && HANDSHAKE_COMMANDS.has(command)) {
      reply = await this.dispatch({ ...request.body, $db: request.collection.slice(0, -5) });
    } else {
      reply = new CommandError(ErrorCode.UnsupportedOpQueryCommand, `Unsupported OP_QUERY command: ${command}. The client driver may require an upgrade.`).toReply();
    }
    this.send(reply, request.header.requestId, true);
  }

  private dispatch(body: Document): Promise<Document> {
    this.engine.counters.command++;
    let db: string;
    try {
      db = validateDbName(body.$db);
    } catch (err) {
      return Promise.resolve((err as CommandError).toReply());
    }
    return runCommand({ engine: this.engine, db, body, connectionId: this.id, remoteAddress: this.remote, auth: this.auth });
  }

  private send(reply: Document, responseTo: number, legacy: boolean): void {
    if (this.closed) return;
    let bytes: Buffer;
    const requestId = nextRequestId++ & 0x7fffffff;
    try {
      bytes = legacy ? encodeOpReply(reply, requestId, responseTo) : encodeOpMsg(reply, requestId, responseTo);
    } catch (err) {
      const fallback = new CommandError(ErrorCode.InternalError, `reply could not be encoded: ${(err as Error).message}`).toReply();
      bytes = legacy ? encodeOpReply(fallback, requestId, responseTo) : encodeOpMsg(fallback, requestId, responseTo);
    }
    this.socket.write(bytes);
  }
}
