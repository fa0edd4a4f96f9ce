// Review item 13: one client cannot hold thousands of sockets. Connections are capped per client address
// and per account (server/config.ts: SOCKETS_PER_ADDRESS, SOCKETS_PER_ACCOUNT), refused with a
// connect_error whose data carries the code `too_many_connections`, and a closed socket frees its place.
import { expect } from 'chai';
import { io } from 'socket.io-client';
import { resetDatabase } from '../support/database';
import { buildUser, type BuiltUser } from '../support/factories';
import { startTestForum, type TestForum } from '../support/forum';
import { connect, disconnected, type ClientSocket } from '../support/sockets';

/** Resolves with the connect_error's data, or rejects if the connection was admitted. */
function refusal(url: string, options: { token?: string; forwardedFor?: string } = {}): Promise<{ code: string; message: string }> {
  const socket = io(url, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    auth: options.token ? { token: options.token } : {},
    extraHeaders: options.forwardedFor ? { 'X-Forwarded-For': options.forwardedFor } : {},
  });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => {
      socket.close();
      reject(new Error('the connection was admitted'));
    });
    socket.once('connect_error', (error: Error & { data?: { code: string; message: string } }) => {
      socket.close();
      resolve(error.data!);
    });
  });
}

function connectFrom(url: string, forwardedFor: string): Promise<ClientSocket> {
  const socket: ClientSocket = io(url, { transports: ['websocket'], reconnection: false, forceNew: true, extraHeaders: { 'X-Forwarded-For': forwardedFor } });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

describe('security: caps on open sockets', () => {
  const open: ClientSocket[] = [];
  let current: TestForum | null = null;
  afterEach(async () => {
    for (const socket of open.splice(0)) socket.close();
    // Each test starts with no socket counted.
    const deadline = Date.now() + 5_000;
    while (current && current.realtime.io.engine.clientsCount > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  });

  describe('per account and per address', () => {
    let forum: TestForum;
    let user: BuiltUser;
    before(async () => {
      await resetDatabase();
      forum = current = await startTestForum({ socketLimits: { perAddress: 4, perAccount: 2 } });
      await forum.startListening();
      user = await buildUser();
    });
    after(() => forum.close());

    it('refuses a third socket of one account with too_many_connections, and admits one again after a close', async () => {
      open.push(await connect(forum.url, { token: user.token }), await connect(forum.url, { token: user.token }));
      const refused = await refusal(forum.url, { token: user.token });
      expect(refused.code).to.equal('too_many_connections');
      expect(refused.message).to.match(/per account/);

      const closing = open.pop()!;
      const gone = disconnected(closing);
      closing.close();
      await gone;
      await waitFor(async () => {
        open.push(await connect(forum.url, { token: user.token }));
      });
    });

    it('counts anonymous and signed-in sockets of one address together', async () => {
      const other = await buildUser();
      open.push(await connect(forum.url), await connect(forum.url), await connect(forum.url, { token: other.token }), await connect(forum.url));
      const refused = await refusal(forum.url);
      expect(refused.code).to.equal('too_many_connections');
      expect(refused.message).to.match(/one address/);
    });
  });

  describe('behind a trusted proxy', () => {
    let forum: TestForum;
    before(async () => {
      forum = current = await startTestForum({ socketLimits: { perAddress: 2, perAccount: 0 }, trustProxy: true });
      await forum.startListening();
    });
    after(() => forum.close());

    it('caps each forwarded client address on its own', async () => {
      open.push(await connectFrom(forum.url, '203.0.113.7'), await connectFrom(forum.url, '203.0.113.7'));
      expect((await refusal(forum.url, { forwardedFor: '203.0.113.7' })).code).to.equal('too_many_connections');
      open.push(await connectFrom(forum.url, '203.0.113.8'));
    });
  });
});

/** Retries until `attempt` succeeds: the server frees a place when it sees the transport close. */
async function waitFor(attempt: () => Promise<void>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
