// Figure 10: notification delivery. One writer's posts each mention the same 20 people, who each have a socket
// of their own, while the group's feed has thousands of sockets connected (figure 5's pool). Latency runs
// from the write's acknowledgement (and, stricter, from sending it) to each mentioned person's
// `notification:new` about that post.
import { io, type Socket } from 'socket.io-client';
import { fetchChecked, type Delivery } from './load';

export const MENTIONED = 20;

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function connect(url: string, token: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = io(url, { path: '/socket.io', transports: ['websocket'], forceNew: true, reconnection: false, timeout: 60_000, auth: { token } });
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (error) => reject(new Error(`notification socket could not connect: ${error.message}`)));
  });
}

export async function measureNotificationDelivery(
  url: string,
  postUrl: string,
  writerAuth: Record<string, string>,
  mentioned: readonly { userId: string; token: string }[],
  messages: number,
): Promise<Delivery> {
  const sockets = await Promise.all(mentioned.map((person) => connect(url, person.token)));
  const tags = mentioned.map((person) => `<a data-mention="${person.userId}">@someone</a>`).join(' ');
  const latencies: number[] = [];
  const sinceAck: number[] = [];
  let beforeAck = 0;
  const run = Date.now().toString(36);
  try {
    for (let m = 0; m < messages; m++) {
      const marker = `mention-${run}-${m}`;
      const received = new Map<Socket, number>();
      let allIn: () => void = () => undefined;
      const everyone = new Promise<void>((resolve) => (allIn = resolve));
      const handlers = sockets.map((socket) => {
        const handler = (notification: { type?: string; post?: { excerpt?: string } | null }): void => {
          if (notification.type !== 'mention' || !notification.post?.excerpt?.includes(marker) || received.has(socket)) return;
          received.set(socket, performance.now());
          if (received.size === sockets.length) allIn();
        };
        socket.on('notification:new', handler);
        return [socket, handler] as const;
      });
      const sentAt = performance.now();
      await fetchChecked(postUrl, {
        method: 'POST',
        headers: { ...writerAuth, 'content-type': 'application/json' },
        body: JSON.stringify({ body: `<p>${marker} ${tags}</p>` }),
        expect: 201,
      });
      const ackAt = performance.now();
      const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 15_000).unref());
      const outcome = await Promise.race([everyone, timeout]);
      for (const [socket, handler] of handlers) socket.off('notification:new', handler);
      if (outcome === 'timeout') throw new Error(`notification delivery: ${sockets.length - received.size} of ${sockets.length} never received message ${m}`);
      for (const at of received.values()) {
        if (at < ackAt) beforeAck++;
        latencies.push(at - sentAt);
        sinceAck.push(Math.max(0, at - ackAt));
      }
    }
  } finally {
    for (const socket of sockets) socket.disconnect();
  }
  latencies.sort((a, b) => a - b);
  sinceAck.sort((a, b) => a - b);
  return {
    sockets: sockets.length,
    messages,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    beforeAck,
    fromAck: { p50: percentile(sinceAck, 50), p95: percentile(sinceAck, 95), p99: percentile(sinceAck, 99) },
  };
}
