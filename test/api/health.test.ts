import { expect } from 'chai';
import { startTestForum, type TestForum } from '../support/forum';

describe('GET /api/health', () => {
  let forum: TestForum;
  before(async () => {
    forum = await startTestForum();
  });
  after(() => forum.close());

  it('answers ok with the database mode, without a token', async () => {
    const res = await forum.http.get('/api/health').expect(200);
    expect(res.body).to.deep.equal({ ok: true, db: forum.ctx.dbMode });
    expect(['embedded', 'mongodb']).to.include(res.body.db);
  });

  it('has a liveness check that needs no token and touches nothing', async () => {
    const res = await forum.http.get('/api/health/live').expect(200);
    expect(res.body).to.deep.equal({ ok: true });
  });

  it('answers unknown API routes with a JSON 404, not the HTML shell', async () => {
    const res = await forum.http.get('/api/no-such-thing').expect(404);
    expect(res.body.error.code).to.equal('not_found');
  });

  it('answers malformed JSON with 400 naming the problem', async () => {
    const res = await forum.http.post('/api/health').set('Content-Type', 'application/json').send('{"oops"');
    expect(res.status).to.equal(400);
    expect(res.body.error).to.deep.include({ code: 'invalid_json' });
  });

  it('answers an oversized JSON body with 413', async () => {
    const res = await forum.http
      .post('/api/anything')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ body: 'x'.repeat(300 * 1024) }));
    expect(res.status).to.equal(413);
    expect(res.body.error.code).to.equal('payload_too_large');
  });

  it('serves the client shell at / with a strict content security policy', async () => {
    const res = await forum.http.get('/').expect(200);
    expect(res.headers['content-type']).to.match(/text\/html/);
    expect(res.text).to.match(/<script[^>]*\ssrc="?\/assets\/main\.[0-9a-f]+\.js/);
    expect(res.headers['content-security-policy']).to.include("script-src 'self'");
    expect(res.headers['set-cookie']).to.equal(undefined);
  });
});
