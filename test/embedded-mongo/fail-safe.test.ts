import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { serialize } from 'bson';
import { MongoClient } from 'mongodb';
import { startEmbeddedMongo, type EmbeddedMongoOptions } from '../../server/embedded-mongo';
import { Catalog } from '../../server/embedded-mongo/catalog/catalog';
import { DurableStorage } from '../../server/embedded-mongo/storage/durable';
import type { CompactionStep, StorageFaults } from '../../server/embedded-mongo/storage/file-io';
import { frameRecord } from '../../server/embedded-mongo/storage/records';
import { startCli, type CliProcess } from './child';
import { quiet, tempDirs } from './support';
import { isEmbedded } from './target';

const STEPS: CompactionStep[] = ['snapshot-written', 'snapshot-synced', 'snapshot-verified', 'snapshot-renamed', 'directory-synced', 'journals-removed'];

async function lastJournal(dir: string): Promise<string> {
  const names = (await fs.readdir(dir)).filter((f) => f.startsWith('journal-')).sort();
  return path.join(dir, names[names.length - 1]);
}

describe('embedded-mongo fails safe', function () {
  this.timeout(60_000);
  const freshDir = tempDirs('embedded-mongo-failsafe-');

  before(function () {
    if (!isEmbedded) this.skip();
  });

  async function withServer<T>(options: EmbeddedMongoOptions, fn: (client: MongoClient) => Promise<T>): Promise<T> {
    const server = await startEmbeddedMongo({ logger: quiet, ...options });
    const client = await MongoClient.connect(server.uri, { serverSelectionTimeoutMS: 2000 });
    try {
      return await fn(client);
    } finally {
      await client.close();
      await server.stop();
    }
  }

  async function ids(dir: string, coll = 'docs'): Promise<unknown[]> {
    return withServer({ dbpath: dir }, async (c) => (await c.db('t').collection(coll).find().sort({ _id: 1 }).toArray()).map((d) => d._id));
  }

  describe('journal failures stop the engine', () => {
    // After a failed fsync the record may or may not have reached the disk; after a failed write it did not.
    for (const [what, survivors, faults] of [
      ['an fsync', ['kept', 'never-durable'], (armed: () => boolean): StorageFaults => ({ datasync: async (fh: FileHandle) => (armed() ? Promise.reject(new Error('EIO: i/o error, fdatasync')) : fh.datasync()) })],
      ['a write', ['kept'], (armed: () => boolean): StorageFaults => ({ writev: async (fh: FileHandle, b: Uint8Array[]) => (armed() ? Promise.reject(new Error('ENOSPC: no space left on device, write')) : fh.writev(b)) })],
    ] as const) {
      it(`after ${what} error it acknowledges and answers nothing more, and restarts with what reached the disk`, async () => {
        const dir = await freshDir();
        let armed = false;
        const fatal: Error[] = [];
        const server = await startEmbeddedMongo({ dbpath: dir, logger: quiet, faults: faults(() => armed), onFatal: (e) => fatal.push(e) });
        const client = await MongoClient.connect(server.uri, { serverSelectionTimeoutMS: 1000, retryWrites: false });
        try {
          const docs = client.db('t').collection('docs');
          await docs.insertOne({ _id: 'kept' } as never);
          armed = true;
          const failed = await docs.insertOne({ _id: 'never-durable' } as never).then(() => null, (e: Error) => e);
          expect(failed, 'the write whose journal record failed must not be acknowledged').to.be.instanceOf(Error);
          expect(fatal).to.have.length(1);
          // Reads must not serve the change that is only in memory.
          const read = await docs.findOne({ _id: 'never-durable' } as never).then(() => null, (e: Error) => e);
          expect(read).to.be.instanceOf(Error);
        } finally {
          await client.close(true);
          await server.stop();
        }
        expect(await ids(dir)).to.deep.equal(survivors);
      });
    }
  });

  describe('replay', () => {
    it('refuses to start on a complete record it cannot apply, naming the file and the record', async () => {
      const dir = await freshDir();
      await withServer({ dbpath: dir }, async (c) => {
        await c.db('t').collection('docs').createIndex({ email: 1 }, { unique: true });
        await c.db('t').collection('docs').insertOne({ _id: 1, email: 'a@example.org' } as never);
      });
      const journal = await lastJournal(dir);
      const before = (await fs.stat(journal)).size;
      // Well-formed and checksummed, but it breaks the unique index the earlier records built.
      const op = serialize({ op: 'put', db: 't', coll: 'docs', doc: { _id: 2, email: 'a@example.org' } });
      await fs.appendFile(journal, Buffer.concat(frameRecord(op)));
      const err = await startEmbeddedMongo({ dbpath: dir, logger: quiet }).then(
        (s) => s.stop().then(() => null),
        (e: Error) => e,
      );
      expect(err?.message).to.include(path.basename(journal)).and.include(`at byte ${before}`).and.include('refusing to start').and.include('put on t.docs');
      // Nothing was cut or rewritten: the record is still there for someone to look at.
      expect((await fs.stat(journal)).size).to.equal(before + 8 + op.length);
    });

    it('refuses to start on a checksummed record that is not BSON', async () => {
      const dir = await freshDir();
      await withServer({ dbpath: dir }, (c) => c.db('t').collection('docs').insertOne({ _id: 1 } as never));
      const journal = await lastJournal(dir);
      await fs.appendFile(journal, Buffer.concat(frameRecord(Buffer.from([40, 0, 0, 0, 1, 2, 3]))));
      const err = await startEmbeddedMongo({ dbpath: dir, logger: quiet }).then(
        (s) => s.stop().then(() => null),
        (e: Error) => e,
      );
      expect(err?.message).to.match(/journal .*journal-\d+\.bin: record \d+ at byte \d+ cannot be read/);
    });
  });

  describe('compaction', () => {
    async function writeWorkload(storage: DurableStorage, catalog: Catalog, from: number, to: number): Promise<void> {
      const coll = catalog.get('t', 'docs')!;
      await Promise.all(
        Array.from({ length: to - from }, (_, k) => {
          const doc = { _id: from + k, body: 'x'.repeat(200) };
          coll.insert(doc);
          return storage.commit([{ op: 'put', db: 't', coll: 'docs', doc }]);
        }),
      );
    }

    const opened: DurableStorage[] = [];
    afterEach(async () => {
      // A failed assertion must not leave the directory locked for the rest of the run.
      for (const s of opened.splice(0)) await s.abandon();
    });

    async function openWithCollection(dir: string, faults?: StorageFaults): Promise<{ storage: DurableStorage; catalog: Catalog }> {
      const catalog = new Catalog();
      const storage = await DurableStorage.open(dir, catalog, { logger: quiet, faults });
      opened.push(storage);
      if (!catalog.get('t', 'docs')) {
        const coll = catalog.create('t', 'docs', {});
        await storage.commit([{ op: 'createCollection', db: 't', coll: 'docs', options: {}, uuid: coll.info.uuid }]);
      }
      return { storage, catalog };
    }

    it('writes a whole snapshot through a disk that writes a few bytes at a time', async () => {
      const dir = await freshDir();
      let shortWrites = 0;
      const faults: StorageFaults = {
        async writev(fh, buffers) {
          shortWrites++;
          return fh.write(buffers[0], 0, Math.min(7, buffers[0].length));
        },
      };
      const { storage, catalog } = await openWithCollection(dir, faults);
      await writeWorkload(storage, catalog, 0, 100);
      await storage.compact();
      await storage.close();
      expect(shortWrites).to.be.greaterThan(1000);
      expect((await ids(dir)).length).to.equal(100);
    });

    it('keeps the old snapshot and the journals when the new snapshot does not read back as written', async () => {
      const dir = await freshDir();
      let lie = false;
      const faults: StorageFaults = {
        // A disk that reports success but stores one wrong byte in the snapshot.
        async writev(fh, buffers, file) {
          const last = buffers[buffers.length - 1];
          if (!lie || !file.endsWith('snapshot.tmp') || last.length < 16) return fh.writev(buffers);
          const damaged = Buffer.from(last);
          damaged[damaged.length - 1] ^= 0xff;
          return fh.writev([...buffers.slice(0, -1), damaged]);
        },
      };
      const { storage, catalog } = await openWithCollection(dir, faults);
      await writeWorkload(storage, catalog, 0, 50);
      lie = true;
      const err = await storage.compact().then(() => null, (e: Error) => e);
      lie = false;
      expect(err?.message).to.include('does not read back as written');
      await writeWorkload(storage, catalog, 50, 60);
      await storage.close();
      const all = await ids(dir);
      expect(all).to.have.length(60);
    });

    for (const step of STEPS) {
      it(`loses no acknowledged write when the process dies after "${step}"`, async () => {
        const dir = await freshDir();
        let crashAt: CompactionStep | null = null;
        const faults: StorageFaults = {
          afterStep(s) {
            if (s === crashAt) throw new Error(`simulated crash after ${s}`);
          },
        };
        const { storage, catalog } = await openWithCollection(dir, faults);
        await writeWorkload(storage, catalog, 0, 100);
        crashAt = step;
        const compaction = storage.compact().then(() => null, (e: Error) => e);
        // Writes acknowledged while the snapshot is being written go to the new journal.
        await writeWorkload(storage, catalog, 100, 150);
        expect((await compaction)?.message).to.equal(`simulated crash after ${step}`);
        await storage.abandon();
        expect(await ids(dir)).to.have.length(150);
        expect(await fs.readdir(dir)).to.not.include('snapshot.tmp');
      });
    }
  });

  describe('the data directory lock', () => {
    let cli: CliProcess | null = null;
    afterEach(() => {
      if (cli && cli.proc.exitCode === null && cli.proc.signalCode === null) cli.proc.kill('SIGKILL');
      cli = null;
    });

    it('refuses a directory another process holds, naming it, and takes it once that process was killed', async () => {
      const dir = await freshDir();
      cli = await startCli(['--port', '0', '--dbpath', dir]);
      const err = await startEmbeddedMongo({ dbpath: dir, logger: quiet }).then(
        (s) => s.stop().then(() => null),
        (e: Error) => e,
      );
      expect(err?.message).to.include(`in use by process ${cli.proc.pid}`);
      cli.proc.kill('SIGKILL');
      await cli.exited;
      // The killed process left its mongod.lock behind; that must not block the restart.
      expect(await fs.readdir(dir)).to.include('mongod.lock');
      await withServer({ dbpath: dir }, async (c) => {
        await c.db('t').collection('docs').insertOne({ ok: 1 });
      });
    });

    it('lets exactly one of two simultaneous starts own the directory', async () => {
      const dir = await freshDir();
      const results = await Promise.allSettled([startEmbeddedMongo({ dbpath: dir, logger: quiet }), startEmbeddedMongo({ dbpath: dir, logger: quiet })]);
      const won = results.filter((r) => r.status === 'fulfilled');
      expect(won).to.have.length(1);
      await (won[0] as PromiseFulfilledResult<{ stop(): Promise<void> }>).value.stop();
    });
  });

  describe('files at rest', () => {
    it('creates the directory 0700 (tightening an existing one) and every file in it 0600', async () => {
      const dir = await freshDir();
      await fs.chmod(dir, 0o755);
      const server = await startEmbeddedMongo({ dbpath: dir, logger: quiet });
      try {
        const client = await MongoClient.connect(server.uri);
        await client.db('t').collection('docs').insertOne({ a: 1 });
        await server.compact();
        await client.db('t').collection('docs').insertOne({ a: 2 });
        await client.close();
        expect((await fs.stat(dir)).mode & 0o777).to.equal(0o700);
        const names = await fs.readdir(dir);
        expect(names).to.include.members(['mongod.lock', 'snapshot.bin']);
        for (const name of names) expect((await fs.stat(path.join(dir, name))).mode & 0o777, name).to.equal(0o600);
      } finally {
        await server.stop();
      }
    });
  });
});
