// The contract's first rule, from a visitor's side through every door: without a token, every API route
// answers 401 except the ten that visitors need. Routes are read from the app, so a new one is covered.
import { expect } from 'chai';
import { startTestForum, type TestForum } from '../support/forum';
import { callEndpoint, discoverEndpoints, routerStack, type Endpoint } from '../support/routes';

const OPEN_TO_VISITORS = new Set([
  'GET /api/health',
  'GET /api/health/live',
  'POST /api/auth/register',
  'POST /api/auth/login',
  'POST /api/auth/parental-consent',
  'POST /api/auth/parental-consent/lookup',
  'POST /api/auth/parental-consent/decline',
  'POST /api/auth/verify-email',
  'POST /api/auth/verify-email/resend',
  'POST /api/auth/password-reset',
  'POST /api/auth/password-reset/confirm',
  // A suspended account's password buys a pass to its privacy rights (export, erasure).
  'POST /api/auth/privacy-access',
  // The sign-up page must know whether to ask for an invitation; the policy is no secret.
  'GET /api/auth/registration-policy',
  'GET /api/feed/public',
  'POST /api/unsubscribe',
]);

describe('token required', () => {
  let forum: TestForum;
  let endpoints: Endpoint[];

  before(async () => {
    forum = await startTestForum();
    endpoints = discoverEndpoints(routerStack(forum.app)).filter((endpoint) => endpoint.path.startsWith('/api/'));
  });
  after(() => forum.close());

  const call = (endpoint: Endpoint, authorization?: string) => callEndpoint(forum.http, endpoint, authorization ? { Authorization: authorization } : {});

  it('finds the API routes, the visitors’ ten among them', () => {
    const found = new Set(endpoints.map((endpoint) => `${endpoint.method} ${endpoint.path}`));
    for (const open of OPEN_TO_VISITORS) expect(found, open).to.include(open);
    expect(endpoints.length).to.be.greaterThan(40);
  });

  it('answers 401 to a visitor without a token, or with a dead one, on every other route', async () => {
    const guarded = endpoints.filter((endpoint) => !OPEN_TO_VISITORS.has(`${endpoint.method} ${endpoint.path}`));
    for (const endpoint of guarded) {
      for (const authorization of [undefined, 'Bearer not-a-token-this-server-ever-issued']) {
        const res = await call(endpoint, authorization);
        expect(res.status, `${endpoint.method} ${endpoint.path} (${authorization ?? 'no token'})`).to.equal(401);
        expect(res.body.error.code).to.equal('unauthorized');
      }
    }
  });

  it('lets a visitor reach the six open routes (whatever their answer to an empty body, never 401)', async () => {
    for (const endpoint of endpoints.filter((e) => OPEN_TO_VISITORS.has(`${e.method} ${e.path}`))) {
      const res = await call(endpoint);
      expect(res.status, `${endpoint.method} ${endpoint.path}`).to.not.equal(401);
      expect(res.status).to.be.below(500);
    }
  });
});
