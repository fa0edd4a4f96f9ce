// Baseline for uploads: the forum's own image pipeline (encodeImage to the avatar sizes, files written)
// called in-process, `concurrency` at a time, with no HTTP in front. Prints one JSON line.
// Usage: sharp-inprocess.ts <jpeg> <seconds> <concurrency> <outDir>
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { encodeImage } from '../../../server/media/images';
import { AVATAR_VARIANTS } from '../../../server/presenters/user';

async function main(): Promise<void> {
  const [file, seconds, concurrency, outDir] = process.argv.slice(2);
  if (!file || !seconds || !concurrency || !outDir) throw new Error('usage: sharp-inprocess.ts <jpeg> <seconds> <concurrency> <outDir>');
  const input = readFileSync(file);
  mkdirSync(outDir, { recursive: true });
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const until = Date.now() + Number(seconds) * 1000;
  const t0 = Date.now();
  let done = 0;
  await Promise.all(
    Array.from({ length: Number(concurrency) }, async (_, worker) => {
      while (Date.now() < until) {
        const images = await encodeImage(input, AVATAR_VARIANTS);
        for (const image of images) writeFileSync(path.join(outDir, `w${worker}-${image.variant}.webp`), image.data);
        done++;
      }
    }),
  );
  const elapsed = (Date.now() - t0) / 1000;
  rmSync(outDir, { recursive: true, force: true });
  process.stdout.write(`${JSON.stringify({ images: done, seconds: elapsed, perSecond: done / elapsed, loopDelayP99: loop.percentile(99) / 1e6 })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`sharp-inprocess failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
