// The headers every answer carries, API and pages alike.
import { expect } from 'chai';
import { startTestForum, type TestForum } from '../support/forum';

describe('security headers', () => {
  let forum: TestForum;
  before(async () => {
    forum = await startTestForum();
  });
  after(() => forum.close());

  for (const path of ['/', '/api/health', '/api/no-such-route']) {
    it(`${path} is sent with a strict policy, no framing, no referrer and no sniffing`, async () => {
      const res = await forum.http.get(path);
      const csp = res.headers['content-security-policy'] as string;
      expect(csp).to.include("default-src 'self'").and.include("script-src 'self'").and.include("style-src 'self'").and.include("frame-ancestors 'none'");
      expect(csp).not.to.include('unsafe-inline');
      expect(res.headers).to.include({
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
        'x-frame-options': 'DENY',
        'cross-origin-opener-policy': 'same-origin',
      });
      expect(res.headers['x-powered-by']).to.equal(undefined);
      expect(res.headers['set-cookie']).to.equal(undefined);
    });
  }
});
