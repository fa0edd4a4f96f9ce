// The batched broadcast against Socket.IO's own: the same events, in the same order, to exactly the sockets
// in the rooms when the batch is written, over WebSocket (one frame buffer per batch) and long-polling
// (Socket.IO's packets one by one).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { Server } from 'socket.io';
import { io as connectClient, type Socket } from 'socket.io-client';
import WebSocket from 'ws';
import { createBroadcaster, messageFrame, type Broadcaster } from '../../server/realtime/broadcast';
import type { ForumServer } from '../../server/realtime/types';
import type { Logger } from '../../server/log';

type Got = Array<[string, unknown]>;

/** ws's own framing (untyped in @types/ws), which engine.io's pre-encoded frames come from. */
const frameOf = (WebSocket as unknown as { Sender: { frame(data: Buffer, options: object): Buffer[] } }).Sender.frame;

describe('realtime batched broadcast', () => {
  let httpServer: http.Server;
  let io: ForumServer;
  let broadcast: Broadcaster;
  let url: string;
  const clients: Socket[] = [];

  before(async () => {
    httpServer = http.createServer();
    io = new Server(httpServer, { serveClient: false, cookie: false }) as ForumServer;
    broadcast = createBroadcaster(io, false, { info: () => undefined, warn: () => undefined, error: (message: string) => expect.fail(message) } satisfies Logger);
    // The test's rooms: the client names them in its handshake.
    io.on('connection', (socket) => void socket.join((socket.handshake.auth as { rooms: string[] }).rooms));
    await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
  });
  after(async () => {
    for (const client of clients) client.close();
    await io.close();
  });

  /** A client in `rooms` that records every event; `polling` keeps it off WebSocket. */
  async function client(rooms: string[], polling = false): Promise<{ socket: Socket; got: Got; serverId: string }> {
    const socket = connectClient(url, { transports: polling ? ['polling'] : ['websocket'], upgrade: false, reconnection: false, forceNew: true, auth: { rooms } });
    clients.push(socket);
    const got: Got = [];
    socket.onAny((event: string, payload: unknown) => got.push([event, payload]));
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
    // Wait until the server has put it in its rooms.
    for (;;) {
      const server = [...io.of('/').sockets.values()].find((s) => s.id === socket.id);
      if (server && rooms.every((room) => server.rooms.has(room))) return { socket, got, serverId: server.id };
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  async function settle(got: Got, count: number): Promise<void> {
    const deadline = Date.now() + 5_000;
    while (got.length < count && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
  }

  it('frames the engine.io message as ws itself frames it, at every length class', () => {
    for (const length of [0, 124, 125, 126, 65_534, 65_535, 70_000]) {
      const encoded = `2["e","${'é'.repeat(Math.floor(length / 4))}${'x'.repeat(length % 4)}"]`;
      const expected = Buffer.concat(frameOf(Buffer.from(`4${encoded}`), { readOnly: false, mask: false, rsv1: false, opcode: 1, fin: true }));
      expect(messageFrame(encoded).equals(expected), `length ${length}`).to.equal(true);
    }
  });

  it('delivers a batch in emit order, each socket only the events of its rooms, once each', async () => {
    const both = await client(['a', 'b']);
    const onlyA = await client(['a']);
    const onlyB = await client(['b'], true);
    const neither = await client(['c']);
    const events: Array<[string[], number]> = [[['a'], 1], [['b'], 2], [['a', 'b'], 3], [['a'], 4], [['b', 'a'], 5], [['c', 'a'], 6]];
    for (const [rooms, n] of events) broadcast.emit(rooms, 'like:update', { postId: String(n), likeCount: n });
    await broadcast.idle();
    const expected = (wanted: (rooms: string[]) => boolean) =>
      events.filter(([rooms]) => wanted(rooms)).map(([, n]) => ['like:update', { postId: String(n), likeCount: n }]);
    const forBoth = expected((rooms) => rooms.includes('a') || rooms.includes('b'));
    const forA = expected((rooms) => rooms.includes('a'));
    const forB = expected((rooms) => rooms.includes('b'));
    const forC = expected((rooms) => rooms.includes('c'));
    await Promise.all([settle(both.got, forBoth.length), settle(onlyA.got, forA.length), settle(onlyB.got, forB.length), settle(neither.got, forC.length)]);
    // A sentinel to each afterwards, so anything extra would already be in.
    broadcast.emit(['a', 'b', 'c'], 'like:update', { postId: 'end', likeCount: 0 });
    const end = ['like:update', { postId: 'end', likeCount: 0 }];
    await Promise.all([both, onlyA, onlyB, neither].map(({ got }, i) => settle(got, [forBoth, forA, forB, forC][i]!.length + 1)));
    expect(both.got).to.deep.equal([...forBoth, end]);
    expect(onlyA.got).to.deep.equal([...forA, end]);
    expect(onlyB.got).to.deep.equal([...forB, end]);
    expect(neither.got).to.deep.equal([...forC, end]);
  });

  it('writes what is pending when flushed, so a socket that leaves afterwards still got it and one that leaves before does not', async () => {
    const stays = await client(['d']);
    const leaves = await client(['d']);
    broadcast.emit(['d'], 'like:update', { postId: 'before', likeCount: 1 });
    broadcast.flush();
    io.of('/').sockets.get(leaves.serverId)!.leave('d');
    broadcast.emit(['d'], 'like:update', { postId: 'after', likeCount: 2 });
    await broadcast.idle();
    await settle(stays.got, 2);
    expect(stays.got.map(([, payload]) => (payload as { postId: string }).postId)).to.deep.equal(['before', 'after']);
    expect(leaves.got.map(([, payload]) => (payload as { postId: string }).postId)).to.deep.equal(['before']);
  });

  it('skips a socket that disconnected before the batch was written', async () => {
    const gone = await client(['e']);
    const there = await client(['e']);
    broadcast.emit(['e'], 'like:update', { postId: 'x', likeCount: 1 });
    io.of('/').sockets.get(gone.serverId)!.disconnect(true);
    await broadcast.idle();
    await settle(there.got, 1);
    expect(there.got).to.have.length(1);
    expect(gone.got).to.deep.equal([]);
  });

  it('writes to an idle WebSocket’s stream itself, and through engine.io while engine.io holds packets for it, keeping their order', async () => {
    const idle = await client(['f']);
    const busy = await client(['f']);
    const polling = await client(['f'], true);
    const throughEngine = new Map<string, number>();
    for (const { serverId } of [idle, busy, polling]) {
      const conn = io.of('/').sockets.get(serverId)!.conn as unknown as { write: (...args: unknown[]) => unknown };
      const write = conn.write.bind(conn);
      conn.write = (...args: unknown[]) => {
        throughEngine.set(serverId, (throughEngine.get(serverId) ?? 0) + 1);
        return write(...args);
      };
    }
    // Two packets in one turn: the first goes to the transport, the second waits in engine.io's buffer.
    const busySocket = io.of('/').sockets.get(busy.serverId)!;
    busySocket.emit('like:update', { postId: 'first', likeCount: 1 });
    busySocket.emit('like:update', { postId: 'queued', likeCount: 2 });
    throughEngine.clear();
    broadcast.emit(['f'], 'like:update', { postId: 'batch', likeCount: 3 });
    broadcast.flush();
    expect(throughEngine.get(idle.serverId), 'idle WebSocket').to.equal(undefined);
    expect(throughEngine.get(busy.serverId), 'WebSocket with packets queued').to.equal(1);
    expect(throughEngine.get(polling.serverId), 'long-polling').to.equal(1);
    // The stream stays usable for engine.io afterwards: a packet after the batch arrives after it.
    io.of('/').sockets.get(idle.serverId)!.emit('like:update', { postId: 'later', likeCount: 4 });
    await Promise.all([settle(idle.got, 2), settle(busy.got, 3), settle(polling.got, 1)]);
    const ids = (got: Got) => got.map(([, payload]) => (payload as { postId: string }).postId);
    expect(ids(idle.got)).to.deep.equal(['batch', 'later']);
    expect(ids(busy.got)).to.deep.equal(['first', 'queued', 'batch']);
    expect(ids(polling.got)).to.deep.equal(['batch']);
  });

  it('leaves heartbeats working on sockets written to directly', async function () {
    this.timeout(10_000);
    const short = new Server(undefined, { serveClient: false, cookie: false, pingInterval: 100, pingTimeout: 200 }) as ForumServer;
    const server = http.createServer();
    short.attach(server);
    const shortBroadcast = createBroadcaster(short, false, { info: () => undefined, warn: () => undefined, error: (message: string) => expect.fail(message) } satisfies Logger);
    short.on('connection', (socket) => void socket.join('g'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const socket = connectClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, { transports: ['websocket'], reconnection: false, forceNew: true });
    const got: string[] = [];
    let disconnected = '';
    socket.on('like:update', (payload: { postId: string }) => got.push(payload.postId));
    socket.on('disconnect', (reason) => (disconnected = reason));
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    while (!short.of('/').adapter.rooms.get('g')?.size) await new Promise((resolve) => setTimeout(resolve, 5));
    // A second of batches, each written straight to the stream, across about ten heartbeats.
    for (let i = 0; i < 50; i++) {
      shortBroadcast.emit(['g'], 'like:update', { postId: String(i), likeCount: i });
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    const connected = socket.connected;
    const reason = disconnected;
    socket.close();
    await short.close();
    expect(reason, 'the client saw no missed heartbeat').to.equal('');
    expect(connected).to.equal(true);
    expect(got).to.deep.equal(Array.from({ length: 50 }, (_, i) => String(i)));
  });
});
