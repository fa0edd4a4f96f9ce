// With REDIS_URL, every domain event this process publishes goes to the others over one Redis channel, and
// theirs come here, so caches everywhere drop what a write changed within milliseconds of it. Sockets are
// not involved: the Socket.IO adapter carries the fan-out itself.
import { randomUUID } from 'node:crypto';
import { createClient } from 'redis';
import type { AppContext } from '../context';
import type { DomainEvent } from './events';

const CHANNEL = 'forum:domain-events';

interface Envelope {
  origin: string;
  event: DomainEvent;
}

/** What must not be trusted while events from other processes may be going missing. */
export interface RelayListener {
  /** The subscription is down: events published meanwhile will never arrive. */
  suspend(): void;
  /** Subscribed again (or for the first time): from now on every event arrives. */
  resume(): void;
}

export interface EventRelay {
  /** Resolves while Redis answers and the subscription is up. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export async function startEventRelay(ctx: AppContext, url: string, listener: RelayListener): Promise<EventRelay> {
  const origin = randomUUID();
  const pub = createClient({ url });
  const sub = pub.duplicate();
  let subscribed = false;
  // Never log the URL: it may carry a password.
  pub.on('error', (error: unknown) => ctx.log.error('event relay: redis publisher error', error));
  sub.on('error', (error: unknown) => ctx.log.error('event relay: redis subscriber error', error));
  listener.suspend();
  sub.on('reconnecting', () => listener.suspend());
  sub.on('end', () => listener.suspend());
  // node-redis subscribes again by itself after a reconnect, before it reports ready.
  sub.on('ready', () => {
    if (subscribed) listener.resume();
  });
  await Promise.all([pub.connect(), sub.connect()]);
  await sub.subscribe(CHANNEL, (message) => {
    let envelope: Partial<Envelope> | null;
    try {
      envelope = JSON.parse(message) as Partial<Envelope> | null;
    } catch {
      envelope = null;
    }
    const event = envelope && typeof envelope === 'object' ? envelope.event : undefined;
    if (!event || typeof event !== 'object' || typeof event.type !== 'string') {
      ctx.log.warn('event relay: dropped a message that is not an event');
      return;
    }
    if (envelope!.origin !== origin) ctx.events.deliverRemote(event);
  });
  subscribed = true;
  listener.resume();

  const stop = ctx.events.onAny((event) => {
    pub.publish(CHANNEL, JSON.stringify({ origin, event } satisfies Envelope)).catch((error: unknown) => ctx.log.error('event relay: publish failed', error));
  });
  return {
    async ping() {
      if (!sub.isReady) throw new Error('the event relay is not subscribed');
      await pub.ping();
    },
    async close() {
      stop();
      await Promise.allSettled([pub.close(), sub.close()]);
    },
  };
}
