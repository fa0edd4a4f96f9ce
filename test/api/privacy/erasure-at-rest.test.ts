// After an erasure the person's plaintext is gone from the database files too, not only from queries:
// the embedded engine's journal would otherwise keep their name, address and posts for hours.
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import type { AtRestSeed } from './fixtures/erasure-at-rest-child';

const CHILD = path.resolve(__dirname, 'fixtures/erasure-at-rest-child.ts');

function runChild(mode: 'seed' | 'erase', workdir: string): Promise<string> {
  return promisify(execFile)(process.execPath, ['--import', 'tsx', CHILD, mode, workdir], { timeout: 60_000 }).then((r) => r.stdout);
}

/** Which needles occur in the bytes of any file under `dir`, as `needle in file`. */
function scanBytes(dir: string, needles: string[]): string[] {
  const found: string[] = [];
  for (const name of readdirSync(dir, { recursive: true }) as string[]) {
    const file = path.join(dir, name);
    if (!statSync(file).isFile()) continue;
    const bytes = readFileSync(file);
    for (const needle of needles) if (bytes.includes(Buffer.from(needle))) found.push(`${needle} in ${name}`);
  }
  return found;
}

describe('erasure leaves no plaintext in the database files', function () {
  this.timeout(120_000);
  let workdir: string;

  before(function () {
    // This is about the embedded engine's files; a real MongoDB's are its operator's.
    if (process.env.MONGODB_URI) this.skip();
    workdir = mkdtempSync(path.join(os.tmpdir(), 'forum-at-rest-'));
  });

  after(() => {
    if (workdir) rmSync(workdir, { recursive: true, force: true });
  });

  it('the name, e-mail and post text are on disk before, and only the other person\'s post after', async () => {
    await runChild('seed', workdir);
    const seed = JSON.parse(readFileSync(path.join(workdir, 'seed.json'), 'utf8')) as AtRestSeed;
    const dbDir = path.join(workdir, 'data', 'db');
    const theirs = [seed.name, seed.email, seed.postText];
    expect(scanBytes(dbDir, [...theirs, seed.othersPostText]).map((f) => f.split(' in ')[0])).to.include.members([...theirs, seed.othersPostText]);

    const out = await runChild('erase', workdir);
    // The forum reached its database over a Unix socket only its owner may open.
    expect(out).to.include('SOCKET socket 600');
    expect(scanBytes(dbDir, theirs)).to.deep.equal([]);
    expect(scanBytes(dbDir, [seed.othersPostText])).to.have.length(1);
  });
});
