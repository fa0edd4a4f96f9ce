// `npx tsx test/bench/cpuprofile-summary.ts <file.cpuprofile> [--top N] [--filter text] [--last seconds]`:
// where a `node --cpu-prof` profile spent its time. Prints self time by function and by file, and total
// (inclusive) time by function for functions whose location contains the filter (default: embedded-mongo).
// --last keeps only the final seconds of the profile, so a server's start-up does not hide its load run.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function shortUrl(url: string): string {
  const marker = url.indexOf('node_modules/');
  if (marker >= 0) return url.slice(marker + 'node_modules/'.length);
  return url ? path.relative(process.cwd(), url.replace(/^file:\/\//, '')) : '(native)';
}

function label(frame: CallFrame): string {
  return `${frame.functionName || '(anonymous)'} ${shortUrl(frame.url)}:${frame.lineNumber + 1}`;
}

function top(map: Map<string, number>, total: number, n: number, title: string): void {
  console.log(`\n${title}`);
  for (const [key, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, n)) {
    console.log(`  ${((us / total) * 100).toFixed(1).padStart(5)} %  ${(us / 1000).toFixed(0).padStart(7)} ms  ${key}`);
  }
}

function main(): void {
  const { values, positionals } = parseArgs({ options: { top: { type: 'string', default: '40' }, filter: { type: 'string', default: 'embedded-mongo' }, last: { type: 'string' } }, allowPositionals: true });
  if (positionals.length !== 1) throw new Error('usage: cpuprofile-summary.ts <file.cpuprofile> [--top N] [--filter text] [--last seconds]');
  const profile = JSON.parse(readFileSync(positionals[0]!, 'utf8')) as Profile;
  const n = Number(values.top);
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const selfTime = new Map<number, number>();
  let total = 0;
  const span = profile.timeDeltas.reduce((sum, dt) => sum + dt, 0);
  const from = values.last === undefined ? 0 : span - Number(values.last) * 1e6;
  let at = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    at += dt;
    if (at < from) return;
    selfTime.set(id, (selfTime.get(id) ?? 0) + dt);
    total += dt;
  });
  const selfByFunction = new Map<string, number>();
  const selfByFile = new Map<string, number>();
  const inclusive = new Map<string, number>();
  for (const [id, us] of selfTime) {
    const frame = byId.get(id)!.callFrame;
    selfByFunction.set(label(frame), (selfByFunction.get(label(frame)) ?? 0) + us);
    selfByFile.set(shortUrl(frame.url), (selfByFile.get(shortUrl(frame.url)) ?? 0) + us);
    // Each function counts once per sample however deep its recursion.
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const key = label(byId.get(cur)!.callFrame);
      if (seen.has(key) || !key.includes(values.filter!)) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + us);
    }
  }
  console.log(`total ${(total / 1000).toFixed(0)} ms sampled`);
  top(selfByFunction, total, n, 'self time by function');
  top(selfByFile, total, n, 'self time by file');
  top(inclusive, total, n, `total time by function (matching "${values.filter}")`);
}

main();
