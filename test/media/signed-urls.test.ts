import { expect } from 'chai';
import { expiryWindow, UrlSigner } from '../../server/media/signed-urls';

describe('signed media URLs', () => {
  const signer = new UrlSigner('a-test-secret-that-is-long-enough-0123456789');
  const now = 1_800_000_000;
  const file = '/media/posts/0123456789abcdef0123456789abcdef-1280.webp';

  function parts(url: string) {
    const parsed = new URL(url, 'http://x');
    return { path: parsed.pathname, expires: parsed.searchParams.get('expires'), signature: parsed.searchParams.get('signature') };
  }

  it('accepts its own signature before expiry', () => {
    const { path, expires, signature } = parts(signer.sign(file, now + 60));
    expect(signer.verify(path, expires, signature, now)).to.equal(true);
  });

  it('stops working once expired', () => {
    const { path, expires, signature } = parts(signer.sign(file, now + 60));
    expect(signer.verify(path, expires, signature, now + 60)).to.equal(false);
  });

  it('cannot be moved to another file', () => {
    const { expires, signature } = parts(signer.sign(file, now + 60));
    const other = '/media/posts/fedcba9876543210fedcba9876543210-1280.webp';
    expect(signer.verify(other, expires, signature, now)).to.equal(false);
  });

  it('cannot have its expiry extended', () => {
    const { path, signature } = parts(signer.sign(file, now + 60));
    expect(signer.verify(path, String(now + 6000), signature, now)).to.equal(false);
  });

  it('rejects signatures from another secret and garbage parameters', () => {
    const other = new UrlSigner('another-secret-that-is-long-enough-0123456789');
    const { path, expires, signature } = parts(other.sign(file, now + 60));
    expect(signer.verify(path, expires, signature, now)).to.equal(false);
    expect(signer.verify(path, undefined, undefined, now)).to.equal(false);
    expect(signer.verify(path, ['1'], 'x', now)).to.equal(false);
    expect(signer.verify(path, '1e99', 'x', now)).to.equal(false);
  });

  it('signs each file and expiry as a signer of the same secret that never saw it does, however many it remembers', () => {
    const remembering = new UrlSigner('a-test-secret-that-is-long-enough-0123456789');
    const files = Array.from({ length: 5000 }, (_, i) => `/media/posts/${i.toString(16).padStart(32, '0')}-320.webp`);
    for (const round of [0, 1]) {
      for (const [i, f] of files.entries()) {
        const expires = now + 60 * (i % 3) + round;
        expect(remembering.sign(f, expires)).to.equal(new UrlSigner('a-test-secret-that-is-long-enough-0123456789').sign(f, expires));
      }
    }
    // Remembered under one secret, never handed out under another.
    expect(new UrlSigner('another-secret-that-is-long-enough-0123456789').sign(file, now + 60)).not.to.equal(signer.sign(file, now + 60));
  });

  it('rounds expiry up to a window so the same URL is handed out for a while', () => {
    expect(expiryWindow(600, 300, 1000)).to.equal(1800);
    expect(expiryWindow(600, 300, 1100)).to.equal(1800);
    expect(expiryWindow(600, 300, 1201)).to.equal(2100);
  });
});
