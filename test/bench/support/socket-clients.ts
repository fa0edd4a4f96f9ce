// `tsx test/bench/support/socket-clients.ts <url> <feed> <count> [tokens.json]`: holds `count` real
// Socket.IO clients subscribed to `feed` in a process of its own, so the sockets' CPU does not share a core
// with autocannon (figure 4). Prints "socket-clients ready <count>" once all are subscribed, then counts
// the `post:new` and `like:update` events they receive: the message "count" over IPC is answered with
// {posts, likes, dropped}; "close" disconnects them and exits. The forum's tokens come from a JSON array file
// (round robin); without one the clients connect anonymously, as the bare Socket.IO baseline expects.
import { readFileSync } from 'node:fs';
import { socketPool } from '../load';

async function main(): Promise<void> {
  const [url, feed, countText, tokensFile] = process.argv.slice(2);
  const count = Number(countText);
  if (!url || !feed || !(count > 0)) throw new Error('usage: socket-clients.ts <url> <feed> <count> [tokens.json]');
  const tokens = tokensFile ? (JSON.parse(readFileSync(tokensFile, 'utf8')) as string[]) : [];
  const pool = socketPool(url, tokens, feed);
  await pool.grow(count);
  let posts = 0;
  let likes = 0;
  const reasons: Record<string, number> = {};
  for (const socket of pool.sockets) {
    socket.on('post:new', () => posts++);
    socket.on('like:update', () => likes++);
    socket.on('disconnect', (reason) => (reasons[reason] = (reasons[reason] ?? 0) + 1));
  }
  process.stdout.write(`socket-clients ready ${pool.sockets.length}\n`);
  process.on('message', (message: unknown) => {
    if (message === 'count') {
      process.send?.({ posts, likes, dropped: pool.sockets.filter((socket) => !socket.connected).length, reasons });
    } else if (message === 'close') {
      pool.close();
      process.exit(0);
    }
  });
  process.on('SIGTERM', () => process.exit(0));
}

main().catch((error: unknown) => {
  process.stderr.write(`socket-clients failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
