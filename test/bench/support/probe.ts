// Preloaded (`node --import`) into every server the bench starts, forum and baselines alike: answers the
// bench over the IPC channel with the process's event-loop delay, memory and CPU, without touching the
// server's own code.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { writeHeapSnapshot } from 'node:v8';

export interface ProbeStats {
  rss: number;
  heapUsed: number;
  /** Bytes V8 has committed for its heap, used or not. */
  heapTotal: number;
  /** Memory outside the V8 heap that JavaScript objects hold (Buffers among it). */
  external: number;
  /** Event-loop delay since the last reset, in milliseconds. */
  loopDelay: { p50: number; p99: number; max: number };
  /** CPU seconds (user + system) since the process started. */
  cpuSeconds: number;
}

export type ProbeRequest = { probe: 'stats'; id: number; gc?: boolean } | { probe: 'reset'; id: number } | { probe: 'snapshot'; id: number; file: string };

if (process.send) {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  process.on('message', (message: ProbeRequest) => {
    if (!message || typeof message !== 'object' || !('probe' in message)) return;
    if (message.probe === 'reset') {
      histogram.reset();
      process.send!({ probeReply: message.id });
      return;
    }
    // A heap snapshot for test/bench/socket-heap.ts, after a collection so it holds only what is live.
    if (message.probe === 'snapshot') {
      if (typeof global.gc === 'function') global.gc();
      writeHeapSnapshot(message.file);
      process.send!({ probeReply: message.id });
      return;
    }
    // A collection before measuring memory when the process allows it (--expose-gc), so garbage does not count.
    if (message.gc && typeof global.gc === 'function') global.gc();
    const cpu = process.cpuUsage();
    const memory = process.memoryUsage();
    const stats: ProbeStats = {
      rss: memory.rss,
      heapUsed: memory.heapUsed,
      heapTotal: memory.heapTotal,
      external: memory.external,
      loopDelay: {
        p50: histogram.percentile(50) / 1e6,
        p99: histogram.percentile(99) / 1e6,
        max: histogram.max / 1e6,
      },
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
    };
    process.send!({ probeReply: message.id, stats });
  });
  // The channel must not keep a server alive that wants to exit.
  process.channel?.unref();
}
