// Figure 11: notification delivery. One writer's posts each mention the same 20 people, who each have a socket
// of their own, while the group's feed has thousands of sockets connected (figure 5's pool). Latency runs
// from the write's acknowledgement (and, stricter, from sending it) to each mentioned person's
// `notification:new` about that post.
import { io, type Socket } from 'socket.io-client';
import { fetchChecked, measureDelivery, type Delivery } from './load';

export const MENTIONED = 20;

function connect(url: string, token: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = io(url, { path: '/socket.io', transports: ['websocket'], forceNew: true, reconnection: false, timeout: 60_000, auth: { token } });
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (error) => reject(new Error(`notification socket could not connect: ${error.message}`)));
  });
}

const MENTION = {
  event: 'notification:new',
  carries: (payload: unknown, marker: string) => {
    const notification = payload as { type?: string; post?: { excerpt?: string } | null };
    return notification.type === 'mention' && notification.post?.excerpt?.includes(marker) === true;
  },
};

export async function measureNotificationDelivery(
  url: string,
  postUrl: string,
  writerAuth: Record<string, string>,
  mentioned: readonly { userId: string; token: string }[],
  messages: number,
): Promise<Delivery> {
  const sockets = await Promise.all(mentioned.map((person) => connect(url, person.token)));
  const tags = mentioned.map((person) => `<a data-mention="${person.userId}">@someone</a>`).join(' ');
  const write = async (marker: string): Promise<void> => {
    await fetchChecked(postUrl, {
      method: 'POST',
      headers: { ...writerAuth, 'content-type': 'application/json' },
      body: JSON.stringify({ body: `<p>${marker} ${tags}</p>` }),
      expect: 201,
    });
  };
  try {
    return await measureDelivery({ sockets }, messages, write, MENTION);
  } finally {
    for (const socket of sockets) socket.disconnect();
  }
}
