// Readiness from the outside: a forum process whose database or Redis goes away says so with 503, while its
// liveness check, which touches nothing, keeps answering.
import { expect } from 'chai';
import supertest from 'supertest';
import { startEngineProcess, startForumProcess, startRedis, type EngineProcess, type ForumProcess, type RedisServer } from '../support/processes';

/** Polls until the answer's status is `status` (readiness is re-probed at most once a second). */
async function healthBecomes(url: string, status: number): Promise<supertest.Response> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const res = await supertest(url).get('/api/health');
    if (res.status === status || Date.now() > deadline) return res;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('GET /api/health with its dependencies failing', function () {
  this.timeout(120_000);
  let engine: EngineProcess | null = null;
  let redis: RedisServer | null = null;
  let forum: ForumProcess | null = null;

  before(async () => {
    [engine, redis] = await Promise.all([startEngineProcess(), startRedis()]);
    forum = await startForumProcess({ MONGODB_URI: `${engine.uri}/health`, REDIS_URL: redis.url });
  });
  after(async () => {
    await forum?.stop();
    await Promise.all([engine?.stop(), redis?.stop()]);
  });

  it('is ready while the database and Redis answer', async () => {
    const res = await healthBecomes(forum!.url, 200);
    expect(res.status).to.equal(200);
    expect(res.body).to.deep.equal({ ok: true, db: 'mongodb' });
  });

  it('answers 503 naming Redis when Redis goes away, and stays live', async () => {
    await redis!.stop();
    const res = await healthBecomes(forum!.url, 503);
    expect(res.status).to.equal(503);
    expect(res.body).to.deep.equal({ ok: false, db: 'mongodb', failing: ['redis'] });
    await supertest(forum!.url).get('/api/health/live').expect(200, { ok: true });
  });

  it('answers 503 naming the database too when the database goes away', async () => {
    await engine!.stop();
    const res = await healthBecomes(forum!.url, 503);
    const deadline = Date.now() + 10_000;
    let body = res.body as { failing: string[] };
    while (!body.failing.includes('database') && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      body = (await supertest(forum!.url).get('/api/health')).body;
    }
    expect(body).to.deep.equal({ ok: false, db: 'mongodb', failing: ['database', 'redis'] });
    await supertest(forum!.url).get('/api/health/live').expect(200, { ok: true });
  });
});
