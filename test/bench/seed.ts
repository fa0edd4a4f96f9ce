// `npm run seed -- [--scale small|full] [--users N --groups N --posts N --likes N] [--name dir]`
// Seeds the embedded engine under test/bench/.data/<name>/db (a standalone engine is started for it), or the
// database of MONGODB_URI when set. Writes test/bench/.data/<name>/manifest.json for the bench.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import mongoose from 'mongoose';
import { SCALES, seedDataset, type DatasetSize, type Manifest, type ScaleName } from './dataset';
import { DATA_ROOT, startEngine, stopAllChildren } from './processes';

export interface SeedOptions {
  name: string;
  size: DatasetSize;
  /** A MongoDB to seed instead of the embedded engine under the data directory. */
  mongodbUri?: string;
  log?: (line: string) => void;
}

export function datasetDir(name: string): string {
  return path.join(DATA_ROOT, name);
}

/** Seeds and returns the manifest (also written next to the data). */
export async function seed(options: SeedOptions): Promise<Manifest> {
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const dir = datasetDir(options.name);
  let engine: Awaited<ReturnType<typeof startEngine>> | null = null;
  let uri = options.mongodbUri;
  if (!uri) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    engine = await startEngine(path.join(dir, 'db'));
    // The forum's embedded mode uses the database `forum` (server/db/index.ts).
    uri = `${engine.uri}/forum`;
  }
  log(`seeding ${JSON.stringify(options.size)} into ${engine ? `the embedded engine at ${path.relative(process.cwd(), dir)}/db` : 'MONGODB_URI'}`);
  try {
    await mongoose.connect(uri, { serverSelectionTimeoutMS: 10_000 });
    const { manifest, rates } = await seedDataset(mongoose.connection.db!, options.size, log);
    const total = rates.reduce((sum, rate) => sum + rate.documents, 0);
    const writeSeconds = rates.reduce((sum, rate) => sum + rate.seconds, 0);
    log(`seeded ${total} documents in ${manifest.seconds.toFixed(1)} s (writes ${writeSeconds.toFixed(1)} s, ${Math.round(total / writeSeconds)} documents/s)`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ ...manifest, rates }, null, 1));
    return manifest;
  } finally {
    await mongoose.disconnect();
    if (engine) {
      const t0 = Date.now();
      await engine.child.stop();
      log(`engine stopped (journal flushed) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      // The engine folds a replayed journal into a snapshot when it starts; doing that once here keeps every
      // later start of the bench (forum and baselines) as fast as a normal restart.
      const t1 = Date.now();
      const compacting = await startEngine(path.join(dir, 'db'));
      await compacting.child.stop();
      log(`first start (journal replay and compaction into a snapshot) took ${((Date.now() - t1) / 1000).toFixed(1)} s`);
    }
  }
}

export function sizeFromArgs(scale: string, overrides: Partial<Record<keyof DatasetSize, string | undefined>>): DatasetSize {
  if (!(scale in SCALES)) throw new Error(`--scale must be one of ${Object.keys(SCALES).join(', ')}, got "${scale}"`);
  const size: DatasetSize = { ...SCALES[scale as ScaleName] };
  for (const key of ['users', 'groups', 'posts', 'likes'] as const) {
    const raw = overrides[key];
    if (raw === undefined) continue;
    if (!/^\d+$/.test(raw)) throw new Error(`--${key} must be a whole number, got "${raw}"`);
    size[key] = Number(raw);
  }
  return size;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      scale: { type: 'string', default: 'small' },
      users: { type: 'string' },
      groups: { type: 'string' },
      posts: { type: 'string' },
      likes: { type: 'string' },
      name: { type: 'string' },
    },
    strict: true,
  });
  const size = sizeFromArgs(values.scale!, values);
  const custom = (['users', 'groups', 'posts', 'likes'] as const).some((key) => values[key] !== undefined);
  const name = values.name ?? (custom ? `custom-${size.users}-${size.groups}-${size.posts}-${size.likes}` : values.scale!);
  await seed({ name, size, mongodbUri: process.env.MONGODB_URI || undefined });
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`seed failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    void stopAllChildren().then(() => process.exit(1));
  });
}
