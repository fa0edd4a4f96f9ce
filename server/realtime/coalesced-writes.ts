// Several events waiting for one socket leave in one TCP write instead of one write each.
//
// Under write load most of a post's fan-out is the kernel's: one writev per socket per frame (the CPU
// profile with 1,000 sockets: writev about half of the server's time, the JavaScript of the broadcast
// a fifth). engine.io hands the packets that queued up for a socket while its last write was in flight
// to the WebSocket transport together, and ws writes each as its own frame; corking the TCP socket for
// that hand-over (engine.io's "flush" and "drain" events bracket it, synchronously) makes one write of
// them. Events queue up that way when the fan-out emits several in one turn of the event loop
// (./ordered.ts runs the effects that became ready in a turn together).
import type { ForumServer } from './types';

interface Corkable {
  cork(): void;
  uncork(): void;
}

/** The TCP socket under an engine.io socket's WebSocket transport; null for any other transport. */
function tcpOf(engineSocket: unknown): Corkable | null {
  // engine.io's transport keeps the `ws` WebSocket as `socket`, and ws its net.Socket as `_socket`
  // (engine.io reaches into ws the same way for its pre-encoded frames).
  const tcp = (engineSocket as { transport?: { socket?: { _socket?: Partial<Corkable> } } }).transport?.socket?._socket;
  return tcp && typeof tcp.cork === 'function' && typeof tcp.uncork === 'function' ? (tcp as Corkable) : null;
}

export function coalesceFlushes(io: ForumServer): void {
  const corked = new Set<Corkable>();
  io.engine.on('flush', (socket: unknown, packets: unknown[]) => {
    if (packets.length < 2) return;
    const tcp = tcpOf(socket);
    if (!tcp) return;
    tcp.cork();
    corked.add(tcp);
  });
  io.engine.on('drain', (socket: unknown) => {
    const tcp = tcpOf(socket);
    if (tcp && corked.delete(tcp)) tcp.uncork();
  });
}
