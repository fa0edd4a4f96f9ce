import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { startEmbeddedMongo, type EmbeddedMongo } from '../../server/embedded-mongo';
import { Catalog } from '../../server/embedded-mongo/catalog/catalog';
import { DurableStorage } from '../../server/embedded-mongo/storage/durable';
import { Journal } from '../../server/embedded-mongo/storage/journal';
import { quiet, tempDirs, withServer } from './support';
import { isEmbedded } from './target';
import { collectOutput, runCli, startCli, type CliProcess } from './child';

async function journalFiles(dir: string): Promise<string[]> {
  return (await fs.readdir(dir)).filter((f) => f.startsWith('journal-')).sort();
}

describe('embedded-mongo durability', function () {
  const freshDir = tempDirs('embedded-mongo-test-');

  before(function () {
    if (!isEmbedded) this.skip();
  });

  it('keeps documents, updates, deletes, drops and indexes across a restart', async () => {
    const dir = await freshDir();
    await withServer(dir, async (client) => {
      const users = client.db('app').collection('users');
      await users.createIndex({ email: 1 }, { unique: true });
      await users.createIndex({ temp: 1 });
      await users.insertMany([{ email: 'a', n: 1 }, { email: 'b', n: 2 }, { email: 'c', n: 3 }]);
      await users.updateOne({ email: 'a' }, { $inc: { n: 10 } });
      await users.deleteOne({ email: 'b' });
      await users.dropIndex('temp_1');
      await client.db('app').collection('scratch').insertOne({ x: 1 });
      await client.db('app').collection('scratch').drop();
      await client.db('other').collection('x').insertOne({ y: 1 });
      await client.db('gone').collection('x').insertOne({ z: 1 });
      await client.db('gone').dropDatabase();
    });
    await withServer(dir, async (client) => {
      const users = client.db('app').collection('users');
      expect(await users.find({}, { projection: { _id: 0 }, sort: { email: 1 } }).toArray()).to.deep.equal([
        { email: 'a', n: 11 },
        { email: 'c', n: 3 },
      ]);
      expect((await users.listIndexes().toArray()).map((i) => i.name)).to.deep.equal(['_id_', 'email_1']);
      const dup = await users.insertOne({ email: 'c' }).catch((e: { code?: number }) => e);
      expect((dup as { code?: number }).code).to.equal(11000);
      expect((await client.db('app').listCollections().toArray()).map((c) => c.name)).to.deep.equal(['users']);
      const dbs = (await client.db('admin').admin().listDatabases({ nameOnly: true })).databases.map((d) => d.name);
      expect(dbs).to.include.members(['app', 'other']);
      expect(dbs).to.not.include('gone');
    });
  });

  it('cuts a torn journal tail at start-up and keeps every complete record', async () => {
    const dir = await freshDir();
    await withServer(dir, async (client) => {
      const c = client.db('t').collection('docs');
      for (let i = 0; i < 30; i++) await c.insertOne({ _id: i } as never);
    });
    // The server compacts at start-up, so this shutdown left all 30 writes in the journal.
    const [journal] = (await journalFiles(dir)).slice(-1);
    const file = path.join(dir, journal);
    const before = (await fs.stat(file)).size;
    expect(before).to.be.greaterThan(0);
    const torn = Buffer.alloc(8 + 5);
    torn.writeUInt32LE(1000, 0);
    torn.writeUInt32LE(0xdeadbeef, 4);
    await fs.appendFile(file, torn);

    const warnings: string[] = [];
    await withServer(
      dir,
      async (client) => {
        const c = client.db('t').collection('docs');
        expect(await c.countDocuments()).to.equal(30);
        await c.insertOne({ _id: 30 } as never);
      },
      { info: () => undefined, warn: (m) => warnings.push(m) },
    );
    expect(warnings.some((w) => w.includes('torn tail') && w.includes(journal))).to.equal(true);
    await withServer(dir, async (client) => {
      expect(await client.db('t').collection('docs').countDocuments()).to.equal(31);
    });
  });

  it('drops a last record whose checksum does not match', async () => {
    const dir = await freshDir();
    await withServer(dir, async (client) => {
      const c = client.db('t').collection('docs');
      await c.insertOne({ _id: 'kept' } as never);
      await c.insertOne({ _id: 'torn' } as never);
    });
    const [journal] = (await journalFiles(dir)).slice(-1);
    const file = path.join(dir, journal);
    const data = await fs.readFile(file);
    data[data.length - 3] ^= 0xff;
    await fs.writeFile(file, data);
    await withServer(dir, async (client) => {
      const ids = (await client.db('t').collection('docs').find().toArray()).map((d) => d._id);
      expect(ids).to.deep.equal(['kept']);
    });
  });

  it('shares one fsync among writes that arrive while another is running', async () => {
    const dir = await freshDir();
    const journal = new Journal(path.join(dir, 'journal-group.bin'), { gen: 1, cipher: null, syncDirectory: null });
    await Promise.all(Array.from({ length: 200 }, (_, i) => journal.append(Buffer.from(`record ${i}`))));
    expect(journal.syncCount).to.be.at.most(3);
    await journal.close();
  });

  it('compacts into a snapshot while writes continue, and recovers the same state', async () => {
    const dir = await freshDir();
    const catalog = new Catalog();
    const storage = await DurableStorage.open(dir, catalog, { logger: quiet, compactAfterBytes: 20_000 });
    const coll = catalog.create('db', 'c', {});
    await storage.commit([{ op: 'createCollection', db: 'db', coll: 'c', options: {}, uuid: coll.info.uuid }]);
    const writes: Promise<void>[] = [];
    for (let i = 0; i < 2000; i++) {
      const doc = { _id: i, payload: 'p'.repeat(40), v: 0 };
      coll.insert(doc);
      writes.push(storage.commit([{ op: 'put', db: 'db', coll: 'c', doc }]));
      if (i % 3 === 0 && i > 0) {
        const rid = coll.ridForId(i - 1)!;
        const updated = { ...coll.docs.get(rid)!, v: 1 };
        coll.replace(rid, updated);
        writes.push(storage.commit([{ op: 'put', db: 'db', coll: 'c', doc: updated }]));
      }
      if (i % 50 === 0) await Promise.all(writes.splice(0));
    }
    await Promise.all(writes);
    expect(storage.compactions).to.be.at.least(3);
    await storage.close();
    const files = await fs.readdir(dir);
    expect(files).to.include('snapshot.bin');
    expect(files).to.not.include('snapshot.tmp');
    expect((await journalFiles(dir)).length).to.equal(1);

    const recovered = new Catalog();
    const again = await DurableStorage.open(dir, recovered, { logger: quiet });
    const c2 = recovered.get('db', 'c')!;
    expect(c2.docs.size).to.equal(2000);
    expect([...c2.docs.values()].filter((d) => d.v === 1).length).to.equal([...coll.docs.values()].filter((d) => d.v === 1).length);
    await again.close();
  });

  it('refuses a dbpath another live process holds', async () => {
    const dir = await freshDir();
    const first = await startEmbeddedMongo({ dbpath: dir, logger: quiet });
    try {
      // A live process id other than ours stands in for a second server.
      await fs.writeFile(path.join(dir, 'mongod.lock'), `${process.ppid}\n`);
      const err = await startEmbeddedMongo({ dbpath: dir, logger: quiet }).then(
        (s) => s.stop().then(() => undefined),
        (e: Error) => e,
      );
      expect(err).to.be.instanceOf(Error);
      expect((err as Error).message).to.match(/in use by process/);
    } finally {
      await first.stop();
    }
  });

  describe('the standalone CLI', function () {
    this.timeout(90_000);
    const children: CliProcess[] = [];
    const track = (cli: CliProcess): CliProcess => {
      children.push(cli);
      return cli;
    };

    afterEach(() => {
      // A failed assertion must not leave a server running behind the suite.
      for (const cli of children.splice(0)) if (cli.proc.exitCode === null && cli.proc.signalCode === null) cli.proc.kill('SIGKILL');
    });

    it('rejects bad flags with one line on stderr and exit code 2', async () => {
      for (const args of [['--bogus'], ['--port', 'abc']]) {
        const proc = runCli(args);
        const out = collectOutput(proc);
        const { code } = await out.exited;
        expect(code).to.equal(2);
        const lines = out.stderr().split('\n').filter((l) => l.startsWith('embedded-mongo'));
        expect(lines).to.have.length(1);
        expect(out.stderr()).to.not.match(/\n\s+at /);
      }
    });

    it('loses no acknowledged write when killed with SIGKILL mid-stream, and stops cleanly on SIGTERM', async () => {
      const dir = await freshDir();
      const cli = track(await startCli(['--port', '0', '--dbpath', dir]));
      const client = await MongoClient.connect(cli.uri, { serverSelectionTimeoutMS: 5000, maxPoolSize: 16 });
      const coll = client.db('crash').collection<{ _id: string; w: number; i: number }>('writes');
      const counters = client.db('crash').collection<{ _id: string; n: number }>('counters');
      const acked: string[] = [];
      let incsAcked = 0;
      let stop = false;
      const worker = async (w: number): Promise<void> => {
        for (let i = 0; !stop; i++) {
          try {
            await coll.insertOne({ _id: `w${w}-${i}`, w, i });
            acked.push(`w${w}-${i}`);
            if (i % 4 === 0) {
              await counters.updateOne({ _id: 'c' }, { $inc: { n: 1 } }, { upsert: true });
              incsAcked++;
            }
          } catch {
            return;
          }
        }
      };
      const workers = Array.from({ length: 8 }, (_, w) => worker(w));
      const deadline = Date.now() + 10_000;
      while (acked.length < 300 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      cli.proc.kill('SIGKILL');
      const { signal } = await cli.exited;
      stop = true;
      await Promise.all(workers);
      await client.close(true);
      expect(signal).to.equal('SIGKILL');
      expect(acked.length).to.be.at.least(300);

      await withServer(dir, async (c) => {
        const ids = new Set((await c.db('crash').collection('writes').find({}, { projection: { _id: 1 } }).toArray()).map((d) => String(d._id)));
        const lost = acked.filter((id) => !ids.has(id));
        expect(lost, `acknowledged writes lost: ${lost.slice(0, 5).join(', ')}`).to.deep.equal([]);
        const counter = await c.db('crash').collection<{ _id: string; n: number }>('counters').findOne({ _id: 'c' });
        expect(counter?.n ?? 0).to.be.at.least(incsAcked);
      });

      const again = track(await startCli(['--port', '0', '--dbpath', dir]));
      const c3 = await MongoClient.connect(again.uri, { serverSelectionTimeoutMS: 5000 });
      await c3.db('crash').collection('after').insertOne({ ok: true });
      await c3.close();
      again.proc.kill('SIGTERM');
      expect((await again.exited).code).to.equal(0);
      await withServer(dir, async (c) => {
        expect(await c.db('crash').collection('after').countDocuments()).to.equal(1);
      });
    });
  });
});
