import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { startEmbeddedMongo, type EmbeddedMongoOptions } from '../../server/embedded-mongo';
import { frameRecord, scanRecords } from '../../server/embedded-mongo/storage/records';
import { quiet, tempDirs } from './support';
import { isEmbedded } from './target';
const SECRET = 'a diagnosis nobody else may read';

describe('embedded-mongo encryption at rest', function () {
  this.timeout(30_000);
  const freshDir = tempDirs('embedded-mongo-crypt-');
  const keyA = randomBytes(32);
  const keyB = randomBytes(32);

  before(function () {
    if (!isEmbedded) this.skip();
  });

  async function withServer<T>(options: EmbeddedMongoOptions, fn: (client: MongoClient) => Promise<T>): Promise<T> {
    const server = await startEmbeddedMongo({ logger: quiet, ...options });
    const client = await MongoClient.connect(server.uri);
    try {
      return await fn(client);
    } finally {
      await client.close();
      await server.stop();
    }
  }

  async function bytesOnDisk(dir: string): Promise<Buffer> {
    const names = (await fs.readdir(dir)).filter((n) => n.endsWith('.bin'));
    return Buffer.concat(await Promise.all(names.map((n) => fs.readFile(path.join(dir, n)))));
  }

  const notes = (c: MongoClient) => c.db('clinic').collection<{ _id: number; note: string }>('notes');
  const startError = (options: EmbeddedMongoOptions): Promise<Error | null> =>
    startEmbeddedMongo({ logger: quiet, ...options }).then(
      (s) => s.stop().then(() => null),
      (e: Error) => e,
    );

  it('keeps no plaintext in the journal or the snapshot, and reads everything back with the key', async () => {
    const dir = await freshDir();
    await withServer({ dbpath: dir, encryptionKey: keyA }, async (c) => {
      await notes(c).insertOne({ _id: 1, note: SECRET });
      // The journal now holds the record; the snapshot gets it at the next compaction.
      expect((await bytesOnDisk(dir)).includes(SECRET)).to.equal(false);
    });
    await withServer({ dbpath: dir, encryptionKey: keyA }, async (c) => {
      expect(await fs.readdir(dir)).to.include('snapshot.bin');
      expect((await bytesOnDisk(dir)).includes(SECRET)).to.equal(false);
      expect(await notes(c).findOne({ _id: 1 })).to.deep.equal({ _id: 1, note: SECRET });
    });
  });

  it('stops the start with one clear line when the key is missing or another one', async () => {
    const dir = await freshDir();
    await withServer({ dbpath: dir, encryptionKey: keyA }, (c) => notes(c).insertOne({ _id: 1, note: SECRET }));
    const missing = await startError({ dbpath: dir });
    expect(missing?.message).to.match(/is encrypted \(key [0-9a-f]{16}\) but no encryption key was given; refusing to start$/);
    expect(missing?.message).to.not.include('\n');
    const wrong = await startError({ dbpath: dir, encryptionKey: keyB });
    expect(wrong?.message).to.match(/is encrypted with key [0-9a-f]{16}, not with the key given \([0-9a-f]{16}\); refusing to start$/);
  });

  it('encrypts existing plaintext data at the first start with a key', async () => {
    const dir = await freshDir();
    await withServer({ dbpath: dir }, (c) => notes(c).insertOne({ _id: 1, note: SECRET }));
    expect((await bytesOnDisk(dir)).includes(SECRET)).to.equal(true);
    await withServer({ dbpath: dir, encryptionKey: keyA }, async (c) => {
      expect((await bytesOnDisk(dir)).includes(SECRET)).to.equal(false);
      expect((await notes(c).findOne({ _id: 1 }))?.note).to.equal(SECRET);
    });
  });

  it('rotates the key by compaction: after one start with both, only the new key opens the data', async () => {
    const dir = await freshDir();
    await withServer({ dbpath: dir, encryptionKey: keyA }, (c) => notes(c).insertOne({ _id: 1, note: SECRET }));
    await withServer({ dbpath: dir, encryptionKey: keyB, previousEncryptionKeys: [keyA] }, async (c) => {
      await notes(c).insertOne({ _id: 2, note: 'after rotation' });
    });
    expect((await startError({ dbpath: dir, encryptionKey: keyA }))?.message).to.include('not with the key given');
    await withServer({ dbpath: dir, encryptionKey: keyB }, async (c) => {
      expect((await notes(c).find().sort({ _id: 1 }).toArray()).map((d) => d.note)).to.deep.equal([SECRET, 'after rotation']);
    });
  });

  it('refuses a journal record moved to another place, even with a valid checksum', async () => {
    const dir = await freshDir();
    await withServer({ dbpath: dir, encryptionKey: keyA }, async (c) => {
      await notes(c).insertOne({ _id: 1, note: 'first' });
      await notes(c).insertOne({ _id: 2, note: 'second' });
    });
    const journal = path.join(dir, (await fs.readdir(dir)).filter((n) => n.startsWith('journal-')).sort().pop()!);
    const data = await fs.readFile(journal);
    const scan = scanRecords(data);
    // Replays the first sealed record at the end of the file: its checksum is fine, its place is not.
    await fs.appendFile(journal, Buffer.concat(frameRecord(scan.records[1])));
    const err = await startError({ dbpath: dir, encryptionKey: keyA });
    expect(err?.message).to.include(`at byte ${data.length} cannot be opened`).and.include('refusing to start');
  });
});
