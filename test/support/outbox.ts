// Reading what the forum "sent": tests follow links from the outbox like a recipient would.
import { Outbox, type OutboxFields } from '../../server/models/outbox';

export async function messagesTo(address: string): Promise<OutboxFields[]> {
  return Outbox.find({ to: address.toLowerCase() }).sort({ createdAt: 1, _id: 1 }).lean<OutboxFields[]>();
}

/** The query parameter `name` of the first link in the latest message to `address` whose path is `path`. */
export async function linkParameter(address: string, path: string, name: string): Promise<string> {
  const messages = await messagesTo(address);
  for (const message of messages.reverse()) {
    for (const link of message.text.match(/https?:\/\/\S+/g) ?? []) {
      const url = new URL(link);
      const value = url.searchParams.get(name);
      if (url.pathname === path && value) return value;
    }
  }
  throw new Error(`no message to ${address} links to ${path}?${name}=`);
}

/** Retries `read` until it stops throwing (messages queued after the answer, as password resets are). */
export async function eventually<T>(read: () => Promise<T>, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await read();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}
