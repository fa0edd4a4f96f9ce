// "No cookies, anywhere": every route the app has, found from its router stack (so routes added later
// are crawled too), called without a token, with a bad one and with a valid one, with good and bad
// bodies. Not one response may set a cookie, and none may be a 500.
import { expect } from 'chai';
import { Types } from 'mongoose';
import sharp from 'sharp';
import type { Response } from 'supertest';
import { resetDatabase } from '../support/database';
import { buildUser, uniqueEmail } from '../support/factories';
import { startTestForum, type TestForum } from '../support/forum';
import { eventually, linkParameter } from '../support/outbox';
import { discoverEndpoints, routerStack, type Endpoint } from '../support/routes';

function expectNoCookie(res: Response, what: string): void {
  expect(res.headers['set-cookie'], `${what} set a cookie`).to.equal(undefined);
  expect(res.status, `${what} failed with ${res.status}: ${JSON.stringify(res.body)}`).to.be.below(500);
}

const BAD_BODIES: Array<{ name: string; contentType?: string; body?: string | object }> = [
  { name: 'no body' },
  { name: 'malformed JSON', contentType: 'application/json', body: '{"broken": ' },
  { name: 'empty object', body: {} },
  {
    name: 'wrong types',
    body: { email: 5, password: [], name: {}, body: 7, roles: 'root', isMember: 'yes', token: 9, displayName: [], reason: 1 },
  },
  { name: 'not JSON at all', contentType: 'text/plain', body: 'hello' },
];

describe('no cookies, anywhere', () => {
  let forum: TestForum;
  let endpoints: Endpoint[];
  before(async () => {
    await resetDatabase();
    forum = await startTestForum({ loginLimits: { freePerPair: 10_000, freePerAccount: 10_000, perAddress: 10_000 } });
    endpoints = discoverEndpoints(routerStack(forum.app));
  });
  after(() => forum.close());

  it('discovers the routes from the app itself', () => {
    const names = endpoints.map((endpoint) => `${endpoint.method} ${endpoint.path}`);
    expect(names).to.include.members([
      'GET /api/health',
      'POST /api/auth/register',
      'POST /api/auth/login',
      'POST /api/auth/logout',
      'POST /api/auth/parental-consent',
      'GET /api/me',
      'PATCH /api/me',
      'PUT /api/me/password',
      'PUT /api/me/avatar',
      'GET /api/users/:id',
      'PUT /api/admin/users/:id/roles',
      'PUT /api/admin/users/:id/membership',
      'GET /media/avatars/:file',
      'GET /',
    ]);
  });

  it('sets no cookie on any route, with no token, a bad token or a valid token, and any body', async function () {
    this.timeout(300_000);
    const someone = await buildUser();
    const ids = [String(someone.user._id), new Types.ObjectId().toHexString(), 'not-an-id'];
    // Unknown routes too: the 404 paths must not set cookies either.
    const all = [...endpoints, { method: 'GET', path: '/api/no-such-route' }, { method: 'DELETE', path: '/api/no/such/thing' }];
    for (const endpoint of all) {
      const paths = [...new Set(ids.map((id) => endpoint.path.replace(/:(\w+)/g, (_m, name: string) => (name === 'file' ? `${'a'.repeat(32)}-512.webp` : id))))];
      // A fresh user per route, so a route that revokes its token (logout, erasure) spoils no other.
      const valid = await buildUser({ roles: ['admin', 'moderator'] });
      const auths: Array<[string, Record<string, string>]> = [
        ['no token', {}],
        ['a bad token', { Authorization: 'Bearer this-token-was-never-issued-000000' }],
        ['a valid token', valid.auth],
      ];
      for (const path of paths) {
        for (const [authName, headers] of auths) {
          for (const bad of BAD_BODIES) {
            const method = endpoint.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete' | 'head' | 'options';
            let req = forum.http[method](path).set(headers);
            if (bad.contentType) req = req.set('Content-Type', bad.contentType);
            if (bad.body !== undefined && method !== 'get' && method !== 'head') req = req.send(bad.body);
            expectNoCookie(await req, `${endpoint.method} ${path} with ${authName} and ${bad.name}`);
          }
        }
      }
    }
  });

  it('sets no cookie along the good paths of an account’s life', async () => {
    const email = uniqueEmail('life');
    const password = 'a long enough password';
    let res = await forum.http
      .post('/api/auth/register')
      .send({ email, password, name: 'Life Cycle', dateOfBirth: '1985-06-15', acceptTerms: true });
    expectNoCookie(res, 'register');
    expect(res.status).to.equal(202);
    res = await forum.http.post('/api/auth/verify-email').send({ token: await linkParameter(email, '/verify-email', 'token'), password });
    expectNoCookie(res, 'verify e-mail');
    expect(res.status).to.equal(200);
    let auth = { Authorization: `Bearer ${res.body.token as string}` };

    res = await forum.http.post('/api/auth/login').send({ email, password });
    expectNoCookie(res, 'login');
    expect(res.status).to.equal(200);

    res = await forum.http.get('/api/me').set(auth);
    expectNoCookie(res, 'me');
    res = await forum.http.patch('/api/me').set(auth).send({ displayName: 'Living', bio: 'hi' });
    expectNoCookie(res, 'profile edit');
    expect(res.status).to.equal(200);

    const picture = await sharp({ create: { width: 40, height: 40, channels: 3, background: '#0a0' } }).png().toBuffer();
    res = await forum.http.put('/api/me/avatar').set(auth).attach('image', picture, 'me.png');
    expectNoCookie(res, 'avatar upload');
    expect(res.status).to.equal(200);
    res = await forum.http.get(res.body.avatarUrl as string);
    expectNoCookie(res, 'avatar file');
    expect(res.status).to.equal(200);

    const viewer = await buildUser();
    res = await forum.http.get(`/api/users/${String((await forum.http.get('/api/me').set(auth)).body.id)}`).set(viewer.auth);
    expectNoCookie(res, 'profile view');
    expect(res.status).to.equal(200);

    res = await forum.http.put('/api/me/password').set(auth).send({ currentPassword: password, newPassword: 'another long password' });
    expectNoCookie(res, 'password change');
    expect(res.status).to.equal(200);
    auth = { Authorization: `Bearer ${res.body.token as string}` };

    res = await forum.http.post('/api/auth/logout').set(auth);
    expectNoCookie(res, 'logout');
    expect(res.status).to.equal(204);

    res = await forum.http.post('/api/auth/password-reset').send({ email });
    expectNoCookie(res, 'password reset');
    expect(res.status).to.equal(202);
    const resetToken = await eventually(() => linkParameter(email, '/reset-password', 'token'));
    res = await forum.http.post('/api/auth/password-reset/confirm').send({ token: resetToken, newPassword: 'a third long password' });
    expectNoCookie(res, 'password reset confirmation');
    expect(res.status).to.equal(200);

    const parentEmail = uniqueEmail('parent');
    res = await forum.http
      .post('/api/auth/register')
      .send({ email: uniqueEmail('kid'), password, name: 'Kid', dateOfBirth: '2015-01-01', acceptTerms: true, parentEmail });
    expectNoCookie(res, 'minor registration');
    expect(res.status).to.equal(202);
    res = await forum.http.post('/api/auth/parental-consent').send({ token: await linkParameter(parentEmail, '/parental-consent', 'token') });
    expectNoCookie(res, 'parental consent');
    expect(res.status).to.equal(200);

    res = await forum.http.get('/api/health');
    expectNoCookie(res, 'health');
  });

  it('sets no cookie on the Socket.IO handshake of a listening server', async () => {
    const url = await forum.startListening();
    const { token } = await buildUser();
    for (const query of ['EIO=4&transport=polling', `EIO=4&transport=polling&token=${token}`]) {
      const res = await fetch(`${url}/socket.io/?${query}`);
      await res.arrayBuffer();
      expect(res.headers.get('set-cookie'), query).to.equal(null);
      expect(res.status).to.be.below(500);
    }
  });
});
