import { expect } from 'chai';
import { MongoClient, MongoServerError } from 'mongodb';
import { crc32c } from '../../server/embedded-mongo/wire/crc32c';
import { isEmbedded, startTarget, uniqueDbName, type Target } from './target';
import { decodeOpReply, encodeOpMsg, encodeOpQuery, RawClient } from './wire-client';

describe('embedded-mongo wire protocol and handshake', () => {
  let target: Target;
  let client: MongoClient;
  const dbName = uniqueDbName('protocol');
  const warnings: string[] = [];

  before(async () => {
    target = await startTarget({ logger: { info: () => undefined, warn: (m) => warnings.push(m) } });
    client = await MongoClient.connect(target.uri, { serverSelectionTimeoutMS: 5000 });
  });

  after(async () => {
    await client.db(dbName).dropDatabase();
    await client.close();
    await target.stop();
  });

  it('computes CRC-32C as the standard check value says', () => {
    expect(crc32c(Buffer.from('123456789'))).to.equal(0xe3069283);
  });

  it('computes CRC-32C eight bytes at a time exactly as bit by bit, at every length and offset', () => {
    const bitwise = (buf: Uint8Array, start: number, end: number): number => {
      let crc = 0xffffffff;
      for (let i = start; i < end; i++) {
        crc ^= buf[i];
        for (let k = 0; k < 8; k++) crc = crc & 1 ? 0x82f63b78 ^ (crc >>> 1) : crc >>> 1;
      }
      return (crc ^ 0xffffffff) >>> 0;
    };
    const data = Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 151 + 7) & 0xff));
    for (let start = 0; start < 9; start++) {
      for (let end = start; end <= data.length; end += 7) expect(crc32c(data, start, end), `${start}..${end}`).to.equal(bitwise(data, start, end));
    }
  });

  it('answers hello as a writable standalone node with a modern wire version', async () => {
    const hello = await client.db('admin').command({ hello: 1 });
    expect(hello.isWritablePrimary).to.equal(true);
    expect(hello).to.not.have.property('setName');
    expect(hello).to.not.have.property('compression');
    expect(hello.maxWireVersion).to.be.at.least(21);
    expect(hello.minWireVersion).to.equal(0);
    expect(hello.maxBsonObjectSize).to.equal(16777216);
    expect(hello.maxMessageSizeBytes).to.equal(48000000);
    expect(hello.maxWriteBatchSize).to.equal(100000);
    expect(hello.logicalSessionTimeoutMinutes).to.equal(30);
    expect(hello.connectionId).to.be.a('number');
    expect(hello.localTime).to.be.instanceOf(Date);
    expect(hello.ok).to.equal(1);
  });

  it('answers ping, buildInfo, serverStatus and endSessions', async () => {
    const admin = client.db('admin');
    expect((await admin.command({ ping: 1 })).ok).to.equal(1);
    const info = await admin.command({ buildInfo: 1 });
    expect(info.version).to.match(/^\d+\.\d+/);
    expect(info.versionArray).to.be.an('array');
    const status = await admin.command({ serverStatus: 1 });
    expect(status.connections.current).to.be.at.least(1);
    expect(status.opcounters).to.have.property('insert');
    const session = client.startSession();
    await client.db(dbName).collection('s').insertOne({ x: 1 }, { session });
    await session.endSession();
    expect((await admin.command({ endSessions: [session.id] })).ok).to.equal(1);
  });

  it('answers an unknown command with error 59 CommandNotFound', async () => {
    const err = await client.db(dbName).command({ frobnicate: 1 }).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(MongoServerError);
    expect((err as MongoServerError).code).to.equal(59);
    expect((err as MongoServerError).codeName).to.equal('CommandNotFound');
  });

  it('refuses transactions like a standalone mongod (error 20 IllegalOperation)', async () => {
    const raw = await RawClient.connect(target.uri);
    try {
      const reply = await raw.command({
        insert: 'tx',
        documents: [{ a: 1 }],
        lsid: { id: new (await import('bson')).UUID() },
        txnNumber: 1,
        startTransaction: true,
        autocommit: false,
        $db: dbName,
      });
      expect(reply.ok).to.equal(0);
      expect(reply.code).to.equal(20);
      expect(reply.errmsg).to.match(/Transaction numbers are only allowed on a replica set member or mongos/);
    } finally {
      raw.close();
    }
    const session = client.startSession();
    try {
      session.startTransaction();
      const err = await client.db(dbName).collection('tx').insertOne({ a: 1 }, { session }).catch((e: unknown) => e);
      expect(err).to.be.instanceOf(Error);
      expect(await client.db(dbName).collection('tx').countDocuments()).to.equal(0);
    } finally {
      await session.abortTransaction().catch(() => undefined);
      await session.endSession();
    }
  });

  it('accepts OP_MSG with a checksum and with kind-1 document sequences', async () => {
    const raw = await RawClient.connect(target.uri);
    try {
      const ping = await raw.command({ ping: 1, $db: 'admin' }, { checksum: true });
      expect(ping.ok).to.equal(1);
      const inserted = await raw.command(
        { insert: 'seq', $db: dbName },
        { sequences: [['documents', [{ _id: 1 }, { _id: 2 }, { _id: 3 }]]], checksum: true },
      );
      expect(inserted).to.include({ n: 3, ok: 1 });
      expect(await client.db(dbName).collection('seq').countDocuments()).to.equal(3);
    } finally {
      raw.close();
    }
  });

  it('answers the legacy OP_QUERY isMaster handshake with OP_REPLY', async () => {
    const raw = await RawClient.connect(target.uri);
    try {
      raw.write(encodeOpQuery('admin.$cmd', { isMaster: 1, helloOk: true }, 7));
      const reply = await raw.readMessage();
      expect(reply).to.not.equal(null);
      const { numberReturned, docs } = decodeOpReply(reply!);
      expect(numberReturned).to.equal(1);
      expect(docs[0].ismaster).to.equal(true);
      expect(docs[0].helloOk).to.equal(true);
      expect(docs[0].maxWireVersion).to.be.at.least(21);
    } finally {
      raw.close();
    }
  });

  describe('bad bytes close only the offending connection', () => {
    async function expectClosedWhileOthersWork(bytes: Buffer, partial = false): Promise<void> {
      const bad = await RawClient.connect(target.uri);
      const good = await RawClient.connect(target.uri);
      try {
        bad.write(bytes);
        if (partial) {
          // A truncated message: the client goes away mid-message.
          await new Promise((r) => setTimeout(r, 50));
          bad.close();
        } else {
          expect(await bad.waitClosed()).to.equal(true, 'the server should close the connection that sent bad bytes');
        }
        expect((await good.command({ ping: 1, $db: 'admin' })).ok).to.equal(1);
        expect((await client.db('admin').command({ ping: 1 })).ok).to.equal(1);
      } finally {
        bad.close();
        good.close();
      }
    }

    it('garbage bytes', async () => {
      await expectClosedWhileOthersWork(Buffer.from('GET / HTTP/1.1\r\nHost: localhost\r\n\r\n'));
      if (isEmbedded) expect(warnings.some((w) => /closing connection/.test(w))).to.equal(true);
    });

    it('random bytes behind a plausible length', async () => {
      const msg = Buffer.alloc(64, 0xab);
      msg.writeInt32LE(64, 0);
      await expectClosedWhileOthersWork(msg);
    });

    it('a header announcing more than 48 MB', async () => {
      const h = Buffer.alloc(16);
      h.writeInt32LE(60_000_000, 0);
      h.writeInt32LE(2013, 12);
      await expectClosedWhileOthersWork(h);
      if (isEmbedded) expect(warnings.some((w) => /exceeds maxMessageSizeBytes/.test(w))).to.equal(true);
    });

    it('an OP_MSG whose checksum does not match', async () => {
      const msg = encodeOpMsg({ ping: 1, $db: 'admin' }, 1, { checksum: true });
      msg.writeUInt32LE((msg.readUInt32LE(msg.length - 4) + 1) >>> 0, msg.length - 4);
      await expectClosedWhileOthersWork(msg);
    });

    it('an OP_MSG whose BSON length runs past the message', async () => {
      const msg = encodeOpMsg({ ping: 1, $db: 'admin' }, 1);
      msg.writeInt32LE(10_000, 21);
      await expectClosedWhileOthersWork(msg);
    });

    it('a document sequence holding a document over 16 MB', async () => {
      if (!isEmbedded) return;
      const big = { _id: 1, blob: Buffer.alloc(16 * 1024 * 1024 + 10) };
      await expectClosedWhileOthersWork(encodeOpMsg({ insert: 'big', $db: dbName }, 1, { sequences: [['documents', [big]]] }));
      expect(warnings.some((w) => /exceeds the 16777216-byte limit/.test(w))).to.equal(true);
    });

    it('a message truncated by the client going away', async () => {
      const msg = encodeOpMsg({ ping: 1, $db: 'admin' }, 1);
      await expectClosedWhileOthersWork(msg.subarray(0, msg.length - 5), true);
      if (isEmbedded) {
        await new Promise((r) => setTimeout(r, 50));
        expect(warnings.some((w) => /truncated message/.test(w))).to.equal(true);
      }
    });
  });
});
