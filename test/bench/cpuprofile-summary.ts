// `npx tsx test/bench/cpuprofile-summary.ts <file.cpuprofile> [--top N] [--filter text] [--last seconds] [--from s --to s]`:
// where a `node --cpu-prof` profile spent its time. Prints self time by function and by file, and total
// (inclusive) time by function for functions whose location contains the filter (default: embedded-mongo).
// --last keeps only the final seconds of the profile, so a server's start-up does not hide its load run;
// --from and --to keep the seconds between (counted from the profile's start), for a server that ran
// several load runs (--busy prints its busy share per second, to find them).
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

/** Per second of the profile, the share of samples that were not idle: `second:percent`. */
function printBusy(profile: Profile): void {
  const idle = new Set(profile.nodes.filter((node) => node.callFrame.functionName === '(idle)').map((node) => node.id));
  const seconds = new Map<number, { busy: number; all: number }>();
  let at = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    at += dt;
    const second = seconds.get(Math.floor(at / 1e6)) ?? { busy: 0, all: 0 };
    second.all += dt;
    if (!idle.has(id)) second.busy += dt;
    seconds.set(Math.floor(at / 1e6), second);
  });
  console.log([...seconds].map(([second, { busy, all }]) => `${second}:${Math.round((100 * busy) / all)}`).join(' '));
}

function main(): void {
  const { values, positionals } = parseArgs({ options: { top: { type: 'string', default: '40' }, filter: { type: 'string', default: 'embedded-mongo' }, last: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, busy: { type: 'boolean', default: false } }, allowPositionals: true });
  if (positionals.length !== 1) throw new Error('usage: cpuprofile-summary.ts <file.cpuprofile> [--top N] [--filter text] [--last seconds]');
  const profile = JSON.parse(readFileSync(positionals[0]!, 'utf8')) as Profile;
  const n = Number(values.top);
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const selfTime = new Map<number, number>();
  let total = 0;
  const span = profile.timeDeltas.reduce((sum, dt) => sum + dt, 0);
  const from = values.last !== undefined ? span - Number(values.last) * 1e6 : Number(values.from ?? 0) * 1e6;
  const to = values.to === undefined ? Infinity : Number(values.to) * 1e6;
  if (values.busy) return printBusy(profile);
  let at = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    at += dt;
    if (at < from || at > to) return;
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
