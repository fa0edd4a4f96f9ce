// The fan-out's emits, written to each socket once per batch instead of once per event.
//
// With 5,000 sockets on a group a post cost the forum about 22 ms of CPU (figure 4, 2026-12-03): for every
// socket and every post Socket.IO's broadcast walks the union of the rooms through a Set, engine.io makes a
// packet and runs its flush/drain emitters, ws corks and writes the frame's two pieces, and the kernel's
// loopback TCP takes a writev; when posts come faster than that, each socket still got two writes per burst.
// Here the events that wait for a flush are kept in order; the flush walks the rooms once per distinct set
// of rooms, not per event, groups the sockets by which of the events they get, builds those events'
// WebSocket frames into one buffer per group, and hands each socket that buffer as one engine.io packet
// (the pre-encoded frame Socket.IO's own broadcast uses, made of several frames): one packet, one write,
// one system call per socket per batch. The client sees the same frames as before, in the same order.
//
// A flush runs at the end of the loop turn in which the first event of a batch was emitted, or, when the
// previous flush took longer than the time since it ended, that long after it: so the fan-out takes at
// most about half of the event loop under a stream of writes, and more writes share each flush, while a
// lone post goes out at once. Nothing decides visibility here: whoever is in the rooms when the batch is
// written receives it, and every change of rooms that revokes access (./room-ops.ts) writes the pending
// batch first, so an event reaches exactly the sockets that were in its rooms when it was emitted or
// fewer (a socket that left in the meantime, or disconnected, gets nothing).
//
// With the Redis adapter events must reach other processes through it, so they are emitted at once
// through Socket.IO, as before (each process then writes them per event).
import type { ServerToClientEvents } from '../../shared/events';
import type { Logger } from '../log';
import type { ForumServer, ForumSocket } from './types';

/** A flush never waits longer than this after the previous one, however long that one took. */
const MAX_GAP_MS = 50;

/** More distinct sets of rooms than this in one batch (bits of a mask) writes the batch in two. */
const MAX_ROOM_SETS = 30;

type EventName = keyof ServerToClientEvents;

interface Pending {
  rooms: readonly string[];
  /** Socket.IO's encoding of the event packet, for sockets that are not on a WebSocket. */
  encoded: string;
  /** The engine.io message as one unmasked WebSocket text frame. */
  frame: Buffer;
}

export interface Broadcaster {
  /** Sends `event` to every socket in any of `rooms` (once per socket), at the next flush. */
  emit<E extends EventName>(rooms: readonly string[], event: E, ...args: Parameters<ServerToClientEvents[E]>): void;
  /** Writes every pending event now (before a change of rooms, so it reaches only the audience it had). */
  flush(): void;
  /** Resolves once everything emitted so far has been written. */
  idle(): Promise<void>;
}

/** One WebSocket frame (FIN, text, unmasked) carrying engine.io's message packet: "4" + Socket.IO's packet. */
export function messageFrame(encoded: string): Buffer {
  const length = Buffer.byteLength(encoded) + 1;
  const head = length < 126 ? 2 : length < 65_536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(head + length);
  frame[0] = 0x81;
  if (length < 126) frame[1] = length;
  else if (length < 65_536) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeUInt32BE(Math.floor(length / 2 ** 32), 2);
    frame.writeUInt32BE(length >>> 0, 6);
  }
  frame[head] = 0x34; // "4", engine.io's message packet
  frame.write(encoded, head + 1);
  return frame;
}

interface EngineSocket {
  readonly readyState: string;
  readonly upgrading: boolean;
  readonly writeBuffer: readonly unknown[];
  readonly transport: {
    readonly name: string;
    readonly perMessageDeflate?: unknown;
    readonly writable: boolean;
    /** The `ws` WebSocket under engine.io's WebSocket transport. */
    readonly socket?: {
      readonly readyState: number;
      readonly _sender?: { readonly _state: number; readonly _queue: readonly unknown[] };
      readonly _socket?: { readonly writable: boolean; readonly writableLength: number; write(chunk: Buffer): boolean };
    };
  };
  write(data: string, options: object): void;
}

/** Whether engine.io will write a pre-encoded frame to this socket as it is (./coalesced-writes.ts reaches in too). */
function takesFrames(conn: EngineSocket): boolean {
  return conn.transport.name === 'websocket' && !conn.transport.perMessageDeflate;
}

/** ws's WebSocket.OPEN, and its Sender's state when it is not holding frames back (compressing or reading a Blob). */
const WS_OPEN = 1;
const SENDER_IDLE = 0;

/**
 * The TCP stream to write a frame to directly, or null. Only while nothing that engine.io, ws or the stream
 * holds for this socket could come before the frame, and the socket is open: engine.io's queue is empty and
 * its transport has no write in flight, ws's sender queues nothing, the stream has nothing buffered. Written
 * there, the frame is in the same place in the byte stream as through engine.io (which would call ws's
 * sendFrame, which calls the stream's write), without engine.io's packet, its four events and the write's
 * callback; anything engine.io sends later (a heartbeat, a packet) goes after it.
 */
function idleStream(conn: EngineSocket): { write(chunk: Buffer): boolean } | null {
  const transport = conn.transport;
  if (conn.readyState !== 'open' || conn.upgrading || conn.writeBuffer.length !== 0 || !transport.writable) return null;
  const ws = transport.socket;
  const tcp = ws?._socket;
  if (!ws || !tcp || ws.readyState !== WS_OPEN || ws._sender?._state !== SENDER_IDLE || ws._sender._queue.length !== 0) return null;
  return tcp.writable && tcp.writableLength === 0 ? tcp : null;
}

export function createBroadcaster(io: ForumServer, clustered: boolean, log: Logger): Broadcaster {
  const nsp = io.of('/');
  // Socket.IO's own encoder, so the packet is byte for byte what io.to(...).emit would send.
  const encoder = (io as unknown as { encoder: { encode(packet: object): unknown[] } }).encoder;
  let pending: Pending[] = [];
  let timer: NodeJS.Immediate | NodeJS.Timeout | null = null;
  let nextAllowed = 0;
  let written: (() => void) | null = null;
  let writtenPromise: Promise<void> | null = null;

  function schedule(): void {
    if (timer) return;
    const wait = nextAllowed - performance.now();
    timer = wait > 0 ? setTimeout(flushOrLog, wait) : setImmediate(flushOrLog);
  }

  function writeBatch(batch: Pending[]): void {
    // Which of the batch's distinct sets of rooms each socket is in, as a bit mask (socket id → mask).
    const masks = new Map<string, number>();
    const setOf = new Map<string, number>();
    const eventSets: number[] = [];
    for (const event of batch) {
      const key = event.rooms.join('\n');
      let bit = setOf.get(key);
      if (bit === undefined) {
        bit = setOf.size;
        setOf.set(key, bit);
        const flag = 2 ** bit;
        for (const room of event.rooms) {
          for (const id of nsp.adapter.rooms.get(room) ?? []) masks.set(id, (masks.get(id) ?? 0) | flag);
        }
      }
      eventSets.push(bit);
    }
    const frames = new Map<number, { frame: Buffer; encoded: string[] }>();
    const framesFor = (mask: number) => {
      let entry = frames.get(mask);
      if (!entry) {
        const mine = batch.filter((_, i) => mask & (2 ** eventSets[i]!));
        entry = { frame: mine.length === 1 ? mine[0]!.frame : Buffer.concat(mine.map((event) => event.frame)), encoded: mine.map((event) => event.encoded) };
        frames.set(mask, entry);
      }
      return entry;
    };
    for (const [id, mask] of masks) {
      const socket: ForumSocket | undefined = nsp.sockets.get(id);
      if (!socket?.connected) continue;
      const { frame, encoded } = framesFor(mask);
      const conn = socket.conn as unknown as EngineSocket;
      if (takesFrames(conn)) {
        const stream = idleStream(conn);
        if (stream) stream.write(frame);
        else conn.write('', { wsPreEncodedFrame: [frame] });
      } else for (const packet of encoded) conn.write(packet, { preEncoded: true });
    }
  }

  function flush(): void {
    if (timer) {
      clearTimeout(timer as NodeJS.Timeout);
      clearImmediate(timer as NodeJS.Immediate);
      timer = null;
    }
    if (pending.length === 0) return;
    const started = performance.now();
    const batch = pending;
    pending = [];
    try {
      for (let from = 0; from < batch.length; ) {
        // Split where a batch would need more distinct sets of rooms than a mask has bits.
        const keys = new Set<string>();
        let to = from;
        while (to < batch.length && (keys.size < MAX_ROOM_SETS || keys.has(batch[to]!.rooms.join('\n')))) keys.add(batch[to++]!.rooms.join('\n'));
        writeBatch(batch.slice(from, to));
        from = to;
      }
    } finally {
      const ended = performance.now();
      nextAllowed = ended + Math.min(ended - started, MAX_GAP_MS);
      const resolve = written;
      written = null;
      writtenPromise = null;
      resolve?.();
    }
  }

  /** From a timer, where a throw would end the process: the batch is lost, the next one goes out. */
  function flushOrLog(): void {
    try {
      flush();
    } catch (error) {
      log.error('realtime: writing a batch of events failed', error);
    }
  }

  return {
    emit(rooms, event, ...args) {
      if (clustered) {
        (io.to(rooms as string[]).emit as (event: string, ...args: unknown[]) => boolean)(event, ...args);
        return;
      }
      const packets = encoder.encode({ type: 2, data: [event, ...args], nsp: '/' });
      // Binary attachments would need several packets; none of the fan-out's events has any.
      if (packets.length !== 1 || typeof packets[0] !== 'string') throw new Error(`realtime: ${event} does not encode to one text packet`);
      pending.push({ rooms, encoded: packets[0], frame: messageFrame(packets[0]) });
      schedule();
    },
    flush,
    idle() {
      if (pending.length === 0) return Promise.resolve();
      writtenPromise ??= new Promise<void>((resolve) => (written = resolve));
      return writtenPromise;
    },
  };
}
