// `tsx test/bench/socket-heap.ts [--full] [--sockets N] [--bare] [--warm] [--aged] [--keep DIR] [--top N]
// [--trace CONSTRUCTOR]`: where the memory of idle sockets goes. Starts the forum (or, with --bare, the bare
// Socket.IO baseline of figure 6) on a copy of the bench data set, takes a heap snapshot, connects N
// authenticated sockets subscribed to the written group as figure 6 does, takes another, and prints what the
// second holds that the first did not: by constructor; by the nearest named owner of each new object; and by
// the old structure the new objects hang from (the engine's decoded documents, the read cache, Socket.IO's
// namespace and adapter), all per socket. --warm first connects and lets go as many other members' sockets
// (figure 6's warm-up); --aged snapshots once more after the read cache's age bound. Snapshots are written
// under test/bench/.data/<scale>/heap (or --keep DIR) and kept; `--analyze BEFORE --analyze AFTER` diffs two
// of them again without starting anything.
import { cpSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { MAX_ENTRY_AGE_MS, SWEEP_INTERVAL_MS } from '../../server/db/droppable-cache';
import type { Manifest, ScaleName } from './dataset';
import { edgeName, ID, nodeKey, readHeapSnapshot, SELF_SIZE, type HeapSnapshot } from './heap-snapshot';
import { socketPool } from './load';
import { DATA_ROOT, ROOT, startChild, stopAllChildren, tsNode } from './processes';
import { notTheLock } from './support/data-copy';
import type { ProbeRequest } from './support/probe';

const { values: options } = parseArgs({
  options: {
    full: { type: 'boolean', default: false },
    sockets: { type: 'string', default: '1000' },
    bare: { type: 'boolean', default: false },
    warm: { type: 'boolean', default: false },
    aged: { type: 'boolean', default: false },
    keep: { type: 'string' },
    top: { type: 'string', default: '40' },
    /** Compare two snapshots already written (before, after) instead of taking them. */
    analyze: { type: 'string', multiple: true },
    /** Print the shortest retainer paths of a few new objects of this constructor (as the tables name it). */
    trace: { type: 'string', multiple: true },
  },
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

function summarise(s: HeapSnapshot): Map<string, { count: number; size: number }> {
  const byKey = new Map<string, { count: number; size: number }>();
  for (let i = 0; i < s.nodeCount; i++) {
    const key = nodeKey(s, i);
    const entry = byKey.get(key) ?? { count: 0, size: 0 };
    entry.count++;
    entry.size += s.nodes[i * s.nodeFieldCount + SELF_SIZE]!;
    byKey.set(key, entry);
  }
  return byKey;
}

/** Shortest-path retainer of every node (breadth first from the root over strong edges). */
function retainers(s: HeapSnapshot): { parent: Int32Array; viaEdge: Int32Array } {
  const parent = new Int32Array(s.nodeCount).fill(-1);
  const viaEdge = new Int32Array(s.nodeCount).fill(-1);
  const weak = s.edgeTypes.indexOf('weak');
  const shortcut = s.edgeTypes.indexOf('shortcut');
  const queue = new Int32Array(s.nodeCount);
  let head = 0;
  let tail = 0;
  queue[tail++] = 0;
  parent[0] = 0;
  while (head < tail) {
    const node = queue[head++]!;
    for (let e = s.firstEdge[node]!; e < s.firstEdge[node + 1]!; e += 3) {
      const type = s.edges[e]!;
      if (type === weak || type === shortcut) continue;
      const to = s.edges[e + 2]! / s.nodeFieldCount;
      if (parent[to] !== -1) continue;
      parent[to] = node;
      viaEdge[to] = e;
      queue[tail++] = to;
    }
  }
  return { parent, viaEdge };
}

function diff(before: HeapSnapshot, after: HeapSnapshot, sockets: number, top: number): void {
  const a = summarise(before);
  const b = summarise(after);
  const rows = [...new Set([...a.keys(), ...b.keys()])].map((key) => {
    const x = a.get(key) ?? { count: 0, size: 0 };
    const y = b.get(key) ?? { count: 0, size: 0 };
    return { key, count: y.count - x.count, size: y.size - x.size };
  });
  const total = rows.reduce((sum, row) => sum + row.size, 0);
  log(`\nby constructor: heap ${kib(total)} more in all, ${(total / sockets).toFixed(0)} bytes per socket`);
  log('bytes/socket  objects/socket  constructor');
  for (const row of rows.sort((x, y) => y.size - x.size).slice(0, top)) {
    log(`${(row.size / sockets).toFixed(0).padStart(12)}  ${(row.count / sockets).toFixed(2).padStart(14)}  ${row.key}`);
  }

  // New objects (ids the first snapshot did not have), charged to where they enter the old heap.
  const oldIds = new Set<number>();
  for (let i = 0; i < before.nodeCount; i++) oldIds.add(before.nodes[i * before.nodeFieldCount + ID]!);
  const isNew = new Uint8Array(after.nodeCount);
  for (let i = 0; i < after.nodeCount; i++) isNew[i] = oldIds.has(after.nodes[i * after.nodeFieldCount + ID]!) ? 0 : 1;
  const { parent, viaEdge } = retainers(after);
  const byPath = new Map<string, { count: number; size: number }>();
  let newTotal = 0;
  for (let i = 0; i < after.nodeCount; i++) {
    if (!isNew[i]) continue;
    const size = after.nodes[i * after.nodeFieldCount + SELF_SIZE]!;
    newTotal += size;
    const chain: number[] = [i];
    let node = i;
    while (parent[node]! >= 0 && parent[node] !== node && isNew[parent[node]!]) {
      node = parent[node]!;
      chain.push(node);
    }
    const anchor = parent[node]!;
    const steps = chain.reverse().slice(0, 4);
    const where =
      anchor < 0
        ? '(unreachable)'
        : `${nodeKey(after, anchor)} .${edgeName(after, viaEdge[steps[0]!]!)}` +
          steps.map((n, k) => (k === 0 ? ` → ${nodeKey(after, n)}` : ` .${edgeName(after, viaEdge[n]!)} → ${nodeKey(after, n)}`)).join('');
    const entry = byPath.get(where) ?? { count: 0, size: 0 };
    entry.count++;
    entry.size += size;
    byPath.set(where, entry);
  }
  // Collapse numeric element indices so one Map's or array's many entries add up.
  const collapsed = new Map<string, { count: number; size: number }>();
  for (const [where, entry] of byPath) {
    const key = where.replace(/\[\d+\]/g, '[n]');
    const sum = collapsed.get(key) ?? { count: 0, size: 0 };
    sum.count += entry.count;
    sum.size += entry.size;
    collapsed.set(key, sum);
  }
  // The same new objects charged to the nearest instance of a named class above them (the owner a reader
  // recognises: a Socket, a Client, a WebSocket, a Map) and the property path from it.
  const named = (n: number) => {
    const key = nodeKey(after, n);
    return !key.startsWith('(') && !key.startsWith('closure') && !['Object', 'Array', 'Map', 'Set', 'WeakMap'].includes(key) && !key.startsWith('system /');
  };
  const byOwner = new Map<string, { count: number; size: number }>();
  for (let i = 0; i < after.nodeCount; i++) {
    if (!isNew[i]) continue;
    const edges: string[] = [];
    let node = i;
    while (parent[node]! >= 0 && parent[node] !== node && !(node !== i && named(node))) {
      edges.push(edgeName(after, viaEdge[node]!));
      node = parent[node]!;
    }
    const owner = parent[node]! < 0 ? '(unreachable)' : `${nodeKey(after, parent[node]!)}>${nodeKey(after, node)}`;
    const where = `${owner}${edges.reverse().slice(0, 3).join('.').replace(/\[\d+\]/g, '[n]').replace(/^/, ' .')}`;
    const entry = byOwner.get(where) ?? { count: 0, size: 0 };
    entry.count++;
    entry.size += after.nodes[i * after.nodeFieldCount + SELF_SIZE]!;
    byOwner.set(where, entry);
  }
  log(`\nnew objects by owner (retainer>nearest named instance above them .property path)`);
  log('bytes/socket  objects/socket  owner');
  for (const [where, entry] of [...byOwner].sort((x, y) => y[1].size - x[1].size).slice(0, top * 2)) {
    log(`${(entry.size / sockets).toFixed(0).padStart(12)}  ${(entry.count / sockets).toFixed(2).padStart(14)}  ${where}`);
  }
  // And to the old object they hang from: the nearest named instance at or above where their path leaves
  // the old heap (the read cache's Map, the engine's decoded documents, the adapter's rooms), which says
  // which structure of the process holds them; "(new)" means the path starts at a new root (a TCP handle).
  const byHolder = new Map<string, { count: number; size: number }>();
  for (let i = 0; i < after.nodeCount; i++) {
    if (!isNew[i]) continue;
    let node = i;
    while (parent[node]! >= 0 && parent[node] !== node && isNew[parent[node]!]) node = parent[node]!;
    let holder = parent[node]!;
    let via = edgeName(after, viaEdge[node]!);
    const lastEdge = via;
    while (holder > 0 && !named(holder)) {
      via = `${edgeName(after, viaEdge[holder]!)}.${via}`;
      holder = parent[holder]!;
    }
    const key = holder < 0 ? '(unreachable)' : holder === 0 ? `(root) .${lastEdge}` : `${nodeKey(after, holder)} .${via}`.replace(/\[\d+\]|\.\d+/g, '[n]').slice(0, 160);
    const entry = byHolder.get(key) ?? { count: 0, size: 0 };
    entry.count++;
    entry.size += after.nodes[i * after.nodeFieldCount + SELF_SIZE]!;
    byHolder.set(key, entry);
  }
  log(`\nnew objects by the old structure holding them`);
  log('bytes/socket  objects/socket  holder');
  for (const [where, entry] of [...byHolder].sort((x, y) => y[1].size - x[1].size).slice(0, top)) {
    log(`${(entry.size / sockets).toFixed(0).padStart(12)}  ${(entry.count / sockets).toFixed(2).padStart(14)}  ${where}`);
  }
  for (const wanted of options.trace ?? []) {
    let shown = 0;
    for (let i = 0; i < after.nodeCount && shown < 3; i++) {
      if (!isNew[i] || nodeKey(after, i) !== wanted) continue;
      if ((i * 7919) % 5 !== 0) continue;
      shown++;
      const steps: string[] = [];
      for (let node = i, depth = 0; parent[node]! >= 0 && parent[node] !== node && depth < 14; node = parent[node]!, depth++) {
        steps.push(`${nodeKey(after, parent[node]!)}${isNew[parent[node]!] ? '*' : ''} .${edgeName(after, viaEdge[node]!)}`);
      }
      log(`\ntrace ${wanted}: ${steps.reverse().join(' → ')}`);
    }
  }

  log(`\nnew objects: ${kib(newTotal)}, ${(newTotal / sockets).toFixed(0)} bytes per socket, by where they hang (anchor .edge → new …)`);
  log('bytes/socket  objects/socket  path');
  for (const [where, entry] of [...collapsed].sort((x, y) => y[1].size - x[1].size).slice(0, top)) {
    log(`${(entry.size / sockets).toFixed(0).padStart(12)}  ${(entry.count / sockets).toFixed(2).padStart(14)}  ${where}`);
  }
}

async function main(): Promise<void> {
  const scale: ScaleName = options.full ? 'full' : 'small';
  const sockets = Number(options.sockets);
  if (options.analyze) {
    const [beforeFile, afterFile] = options.analyze;
    diff(readHeapSnapshot(beforeFile!), readHeapSnapshot(afterFile!), sockets, Number(options.top));
    return;
  }
  const dir = path.join(DATA_ROOT, scale);
  const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as Manifest;
  const tokens = manifest.tokens.map((entry) => entry.token);
  const feed = `group:${manifest.persona.writeGroupId}`;
  const runDir = path.join(dir, 'heap');
  const out = options.keep ?? runDir;
  rmSync(path.join(runDir, 'db'), { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const env: NodeJS.ProcessEnv = { PORT: '0', LOG_LEVEL: 'info', MAIL_TRANSPORT: 'none', SOCKETS_PER_ADDRESS: '0', SOCKETS_PER_ACCOUNT: '0' };
  if (!options.bare) {
    cpSync(path.join(dir, 'db'), path.join(runDir, 'db'), { recursive: true, filter: notTheLock });
    Object.assign(env, { DATA_DIR: runDir, UPLOADS_DIR: path.join(runDir, 'uploads') });
  }
  const [entry, args, ready] = options.bare
    ? (['test/bench/baselines/bare-realtime.ts', ['socketio'], /bare-realtime listening on (\d+)/] as const)
    : (['server/main.ts', [], /forum listening on http:\/\/[^:]+:(\d+)/] as const);
  const [cmd, argv] = tsNode(entry, [...args], ['--expose-gc', '--import', path.join(ROOT, 'test/bench/support/probe.ts')]);
  const child = startChild(cmd, argv, { env, ipc: true });
  const url = `http://127.0.0.1:${(await child.waitFor(ready, 600_000))[1]}`;
  let nextId = 1;
  const snapshot = async (name: string): Promise<string> => {
    await sleep(2_000);
    const file = path.join(out, `${options.bare ? 'bare' : 'forum'}-${name}.heapsnapshot`);
    const id = nextId++;
    await new Promise<void>((resolve) => {
      const onMessage = (message: { probeReply?: number }) => {
        if (message?.probeReply !== id) return;
        child.process.off('message', onMessage);
        resolve();
      };
      child.process.on('message', onMessage);
      child.process.send({ probe: 'snapshot', id, file } satisfies ProbeRequest);
    });
    log(`snapshot ${file}`);
    return file;
  };
  const own = options.bare ? [] : options.warm ? tokens.slice(0, sockets) : tokens;
  if (options.warm && !options.bare) {
    const warm = socketPool(url, tokens.slice(sockets, 2 * sockets), feed);
    await warm.grow(sockets);
    warm.close();
    await sleep(MAX_ENTRY_AGE_MS + SWEEP_INTERVAL_MS);
  }
  const beforeFile = await snapshot('before');
  const pool = socketPool(url, own, feed);
  await pool.grow(sockets);
  const afterFile = await snapshot('after');
  const agedFile = options.aged ? (await sleep(MAX_ENTRY_AGE_MS + SWEEP_INTERVAL_MS), await snapshot('aged')) : null;
  const dropped = pool.sockets.filter((socket) => !socket.connected).length;
  pool.close();
  await child.stop();
  if (dropped) log(`${dropped} sockets disconnected while idle`);
  const top = Number(options.top);
  const before = readHeapSnapshot(beforeFile);
  log(`\n=== ${options.bare ? 'bare Socket.IO' : 'forum'}: ${sockets} sockets, after the last connection`);
  diff(before, readHeapSnapshot(afterFile), sockets, top);
  if (agedFile) {
    log(`\n=== the same, ${(MAX_ENTRY_AGE_MS + SWEEP_INTERVAL_MS) / 1000} s later`);
    diff(before, readHeapSnapshot(agedFile), sockets, top);
  }
}

main()
  .catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  })
  .finally(() => void stopAllChildren());
