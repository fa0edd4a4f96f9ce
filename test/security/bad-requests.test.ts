// An attacker's malformed requests (review items 5 and 6): tokens anywhere but the Authorization header,
// non-string tokens, and multipart bodies that are truncated, boundary-less, empty or malformed. Each is a
// 4xx with the usual error body, and none adds a line to the error log.
import { expect } from 'chai';
import type { Response } from 'supertest';
import type { Logger } from '../../server/log';
import { Post } from '../../server/models/post';
import { buildGroup } from '../support/content';
import { resetDatabase } from '../support/database';
import { buildUser, type BuiltUser } from '../support/factories';
import { startTestForum, type TestForum } from '../support/forum';

/** A logger that keeps what the forum reports as its own failures. */
function recordingLogger(): Logger & { errors: string[] } {
  const errors: string[] = [];
  return { errors, error: (message, detail) => errors.push(`${message} ${detail instanceof Error ? detail.stack : ''}`), warn: () => {}, info: () => {} };
}

function expectErrorBody(res: Response, status: number): void {
  expect(res.status, res.text).to.equal(status);
  expect(res.body.error).to.have.keys(res.body.error.field ? ['code', 'message', 'field'] : ['code', 'message']);
  expect(res.text).not.to.match(/\bat .+\.(ts|js):\d+/);
}

describe('security: malformed requests', () => {
  const log = recordingLogger();
  let forum: TestForum;
  let member: BuiltUser;
  let groupId: string;

  before(async () => {
    await resetDatabase();
    forum = await startTestForum({}, log);
    member = await buildUser();
    groupId = String((await buildGroup({ owner: member, visibility: 'public' }))._id);
  });
  after(() => forum.close());
  beforeEach(() => {
    log.errors.length = 0;
  });
  afterEach(() => {
    expect(log.errors, 'the error log grew').to.deep.equal([]);
  });

  describe('tokens come from the Authorization header only', () => {
    it('a valid token in ?access_token= signs nobody in', async () => {
      expectErrorBody(await forum.http.get(`/api/me?access_token=${member.token}`), 401);
    });

    it('a valid token in a body field signs nobody in', async () => {
      expectErrorBody(await forum.http.patch('/api/me').send({ access_token: member.token, bio: 'set by a body token' }), 401);
    });

    it('the header still works, and a body token beside it changes nothing', async () => {
      const res = await forum.http.patch('/api/me').set(member.auth).send({ access_token: 'junk', bio: 'mine' });
      expect(res.status, res.text).to.equal(200);
    });

    for (const [name, send] of [
      ['an object in the body', (r: TestForum['http']) => r.post('/api/auth/logout').send({ access_token: { $gt: '' } })],
      ['a number in the body', (r: TestForum['http']) => r.get('/api/feed').send({ access_token: 12 })],
      ['25 query parameters', (r: TestForum['http']) => r.get(`/api/feed?${'access_token=x&'.repeat(25)}`)],
      ['a bracketed query object', (r: TestForum['http']) => r.get('/api/me?access_token[a]=1')],
    ] as const) {
      it(`a non-string access_token (${name}) is a 401, not a 500`, async () => {
        expectErrorBody(await send(forum.http), 401);
      });
    }
  });

  describe('multipart bodies the parser cannot read are 400s', () => {
    const boundary = 'XyZ';
    const part = `--${boundary}\r\nContent-Disposition: form-data; name="body"\r\n\r\nhello\r\n`;
    const cases: [string, string, string][] = [
      ['truncated', `multipart/form-data; boundary=${boundary}`, `${part}--${boundary}\r\nContent-Disposition: form-data; name="images"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n\x89PNG`],
      ['without a boundary', 'multipart/form-data', part],
      ['empty', `multipart/form-data; boundary=${boundary}`, ''],
      ['with a malformed part header', `multipart/form-data; boundary=${boundary}`, `--${boundary}\r\n${'x'.repeat(20000)}\r\n\r\nhi\r\n--${boundary}--\r\n`],
    ];
    for (const [name, type, body] of cases) {
      it(`a post upload ${name}`, async () => {
        const before = await Post.countDocuments({});
        expectErrorBody(await forum.http.post(`/api/groups/${groupId}/posts`).set(member.auth).set('Content-Type', type).send(body), 400);
        expect(await Post.countDocuments({})).to.equal(before);
      });

      it(`an avatar upload ${name}`, async () => {
        expectErrorBody(await forum.http.put('/api/me/avatar').set(member.auth).set('Content-Type', type).send(body), 400);
      });
    }
  });
});
