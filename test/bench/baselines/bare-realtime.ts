// Baselines for live delivery and socket memory. Usage: bare-realtime.ts socketio|ws
//  socketio: a bare Socket.IO server; `subscribe {feed}` joins that room, and `POST /broadcast?room=<feed>`
//            emits its JSON body as `post:new` to the room and answers 201 with the same body, the way the
//            forum acknowledges a post and fans it out.
//  ws:       a plain `ws` server that accepts connections and does nothing else.
import http from 'node:http';
import { Server } from 'socket.io';
import { WebSocketServer } from 'ws';

const mode = process.argv[2];
const server = http.createServer((req, res) => {
  if (mode === 'socketio' && req.method === 'POST' && req.url?.startsWith('/broadcast')) {
    const room = new URL(req.url, 'http://x').searchParams.get('room') ?? 'public';
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString();
      // Acknowledge first, then fan out: the forum's order (the event leaves after the write is answered).
      res.writeHead(201, { 'content-type': 'application/json; charset=utf-8' });
      res.end(body);
      io?.to(room).emit('post:new', JSON.parse(body));
    });
    return;
  }
  res.writeHead(404).end();
});

let io: Server | null = null;
if (mode === 'socketio') {
  io = new Server(server, { path: '/socket.io', serveClient: false, cookie: false });
  io.on('connection', (socket) => {
    socket.on('subscribe', (request: { feed?: string }, ack: (result: unknown) => void) => {
      void socket.join(String(request?.feed));
      if (typeof ack === 'function') ack({ ok: true });
    });
  });
} else if (mode === 'ws') {
  const wss = new WebSocketServer({ server });
  wss.on('connection', () => undefined);
} else {
  process.stderr.write('usage: bare-realtime.ts socketio|ws\n');
  process.exit(2);
}

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`bare-realtime listening on ${typeof address === 'object' && address ? address.port : 0}\n`);
});
process.on('SIGTERM', () => process.exit(0));
