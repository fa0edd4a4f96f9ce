import { runQuery } from './commands/query';
import type { Engine } from './engine';
import type { WriteOp } from './storage/ops';

/** Deletes every document whose TTL-indexed date is older than the index's expireAfterSeconds. */
export async function removeExpired(engine: Engine, now = Date.now()): Promise<number> {
  const ops: WriteOp[] = [];
  for (const coll of engine.catalog.all()) {
    for (const index of coll.indexes) {
      const ttl = index.spec.expireAfterSeconds;
      if (ttl === undefined) continue;
      const filter = { [index.fields[0]]: { $lt: new Date(now - ttl * 1000) } };
      const expired = [...runQuery(coll, { filter, sort: [], hint: index.name }).hits];
      for (const [rid, doc] of expired) {
        if (!coll.remove(rid)) continue;
        ops.push({ op: 'delete', db: coll.dbName, coll: coll.name, id: doc._id });
      }
    }
  }
  engine.counters.delete += ops.length;
  await engine.commit(ops);
  return ops.length;
}

/** Runs removeExpired on an interval, like mongod's TTL monitor; returns the stop function. */
export function startTtlMonitor(engine: Engine, intervalMs: number): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    removeExpired(engine)
      .catch((err: Error) => engine.logger.warn(`embedded-mongo: TTL monitor failed: ${err.message}`))
      .finally(() => (running = false));
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
