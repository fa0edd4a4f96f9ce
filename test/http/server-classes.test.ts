// The forum's server creates requests and responses that already have Express's prototypes, and everything
// Express gives them still works through the real listening server.
import { expect } from 'chai';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { resetDatabase } from '../support/database';
import { buildUser } from '../support/factories';
import { startTestForum, type TestForum } from '../support/forum';

describe('the forum’s HTTP server classes', () => {
  let forum: TestForum;

  before(async () => {
    await resetDatabase();
    forum = await startTestForum();
    await forum.startListening();
  });
  after(() => forum.close());

  it('creates each request and response with the prototypes Express would switch them to', async () => {
    const born: boolean[] = [];
    const watch = (req: IncomingMessage, res: ServerResponse) => {
      born.push(Object.getPrototypeOf(req) === forum.app.request, Object.getPrototypeOf(res) === forum.app.response);
    };
    forum.server.prependListener('request', watch);
    try {
      const res = await fetch(`${forum.url}/api/health`);
      expect(res.status).to.equal(200);
      expect(await res.json()).to.include({ ok: true });
    } finally {
      forum.server.off('request', watch);
    }
    expect(born).to.deep.equal([true, true]);
  });

  it('keeps what Express gives requests and responses: parsed JSON bodies, headers, status helpers, errors', async () => {
    const { auth } = await buildUser();
    const post = (body: string, contentType = 'application/json') =>
      fetch(`${forum.url}/api/groups`, { method: 'POST', headers: { ...auth, 'content-type': contentType }, body });
    const created = await post(JSON.stringify({ name: 'Prototype check', visibility: 'public' }));
    expect(created.status).to.equal(201);
    expect(created.headers.get('content-type')).to.match(/^application\/json/);
    expect(((await created.json()) as { name: string }).name).to.equal('Prototype check');
    const broken = await post('{"name": ');
    expect(broken.status).to.equal(400);
    expect(((await broken.json()) as { error: { code: string } }).error.code).to.be.a('string');
    const missing = await fetch(`${forum.url}/api/nowhere`, { headers: auth });
    expect(missing.status).to.equal(404);
    // supertest serves the same app from its own plain server: Express switches prototypes there as usual.
    await forum.http.get('/api/health').expect(200);
  });
});
