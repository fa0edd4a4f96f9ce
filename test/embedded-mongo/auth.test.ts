import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { startEmbeddedMongo, type EmbeddedMongo } from '../../server/embedded-mongo';
import { collectOutput, runCli, startCli } from './child';
import { quiet, serverError as failure, tempDirs } from './support';
import { isEmbedded } from './target';

describe('embedded-mongo authentication (SCRAM-SHA-256)', function () {
  this.timeout(60_000);
  let server: EmbeddedMongo;
  const withUser = (user: string, password: string): string => server.uri.replace('mongodb://', `mongodb://${encodeURIComponent(user)}:${encodeURIComponent(password)}@`);

  before(async function () {
    if (!isEmbedded) this.skip();
    server = await startEmbeddedMongo({ logger: quiet, users: [{ user: 'tool', password: 'correct horse, battery=staple' }] });
  });

  after(async () => {
    await server?.stop();
  });

  it('lets a user with the right password read and write, with the driver\'s default mechanism', async () => {
    const client = await MongoClient.connect(withUser('tool', 'correct horse, battery=staple'), { serverSelectionTimeoutMS: 5000 });
    try {
      await client.db('t').collection('c').insertOne({ _id: 1 } as never);
      expect(await client.db('t').collection('c').countDocuments()).to.equal(1);
      const status = await client.db('admin').command({ connectionStatus: 1 });
      expect(status.authInfo.authenticatedUsers).to.deep.equal([{ user: 'tool', db: 'admin' }]);
    } finally {
      await client.close();
    }
  });

  it('refuses a wrong password and an unknown user alike, with 18 AuthenticationFailed', async () => {
    for (const [user, password] of [['tool', 'wrong'], ['nobody', 'correct horse, battery=staple']]) {
      const client = new MongoClient(withUser(user, password), { serverSelectionTimeoutMS: 5000 });
      const err = await failure(client.connect());
      expect([err.code, err.codeName]).to.deep.equal([18, 'AuthenticationFailed']);
      await client.close();
    }
  });

  it('answers a connection without credentials only the handshake, and 13 Unauthorized to anything else', async () => {
    const client = await MongoClient.connect(server.uri, { serverSelectionTimeoutMS: 5000 });
    try {
      expect((await client.db('admin').command({ ping: 1 })).ok).to.equal(1);
      const err = await failure(client.db('t').collection('c').find().toArray());
      expect([err.code, err.codeName]).to.deep.equal([13, 'Unauthorized']);
      expect((await failure(client.db('t').collection('c').insertOne({ _id: 2 } as never))).code).to.equal(13);
    } finally {
      await client.close();
    }
  });

  describe('npm run db --auth', () => {
    const freshDir = tempDirs('embedded-mongo-auth-');
    let dir: string;
    beforeEach(async () => {
      dir = await freshDir();
    });

    it('takes users from an owner-only file', async () => {
      const file = path.join(dir, 'users.json');
      await fs.writeFile(file, JSON.stringify([{ user: 'admin', password: 's3cret' }]), { mode: 0o600 });
      const cli = await startCli(['--port', '0', '--auth', '--users-file', file]);
      try {
        const anonymous = await MongoClient.connect(cli.uri);
        expect((await failure(anonymous.db('t').collection('c').findOne())).code).to.equal(13);
        await anonymous.close();
        const client = await MongoClient.connect(cli.uri.replace('mongodb://', 'mongodb://admin:s3cret@'));
        await client.db('t').collection('c').insertOne({ ok: true });
        await client.close();
      } finally {
        cli.proc.kill('SIGTERM');
        await cli.exited;
      }
    });

    it('refuses a users file others can read, in one line with exit code 2', async () => {
      const file = path.join(dir, 'users.json');
      await fs.writeFile(file, JSON.stringify([{ user: 'admin', password: 's3cret' }]), { mode: 0o644 });
      await fs.chmod(file, 0o644);
      const out = collectOutput(runCli(['--port', '0', '--auth', '--users-file', file]));
      expect((await out.exited).code).to.equal(2);
      expect(out.stderr()).to.match(/^embedded-mongo: --users-file .* must be readable by its owner only \(chmod 600\)/);
    });

    it('refuses --auth without a users file, and a users file without --auth', async () => {
      for (const args of [['--auth'], ['--users-file', path.join(dir, 'users.json')]]) {
        const out = collectOutput(runCli(['--port', '0', ...args]));
        expect((await out.exited).code).to.equal(2);
        expect(out.stderr()).to.match(/^embedded-mongo: --auth and --users-file go together/);
      }
    });
  });
});
