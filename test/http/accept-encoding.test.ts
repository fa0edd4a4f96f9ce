import { expect } from 'chai';
import { acceptsGzip, encodingNegotiator, gzipNegotiator, preferredEncoding } from '../../server/http/accept-encoding';

describe('Accept-Encoding: does the client take gzip?', () => {
  const cases: [string | undefined, boolean][] = [
    [undefined, false],
    ['', false],
    ['gzip, deflate, br', true],
    ['br;q=1.0, gzip;q=0.8, *;q=0.1', true],
    ['GZIP', true],
    ['x-gzip', true],
    ['gzip;q=0', false],
    ['gzip; q=0.0, deflate', false],
    ['br', false],
    ['identity', false],
    ['*', true],
    ['*;q=0', false],
    ['gzip;q=0, *', false],
    ['deflate, *;q=0.5', true],
  ];
  for (const [header, expected] of cases) {
    it(`${JSON.stringify(header)} → ${expected ? 'gzip' : 'plain'}`, () => expect(acceptsGzip(header)).to.equal(expected));
  }
});

describe('gzipNegotiator', () => {
  it('answers as acceptsGzip does, whatever order the headers come in', () => {
    const negotiate = gzipNegotiator();
    for (const header of ['gzip', 'identity', 'gzip', 'gzip;q=0', 'gzip;q=0', '*', undefined, 'br, gzip']) {
      expect(negotiate(header)).to.equal(acceptsGzip(header));
    }
  });
});

describe('Accept-Encoding: brotli, gzip or plain?', () => {
  const cases: [string | undefined, ReturnType<typeof preferredEncoding>][] = [
    [undefined, 'identity'],
    ['', 'identity'],
    ['gzip, deflate, br', 'br'],
    ['gzip, deflate', 'gzip'],
    ['br;q=0.5, gzip', 'gzip'],
    ['br, gzip;q=1', 'br'],
    ['BR', 'br'],
    ['br;q=0, gzip;q=0', 'identity'],
    ['br;q=0, *', 'gzip'],
    ['*', 'br'],
    ['*;q=0', 'identity'],
    ['identity', 'identity'],
    ['deflate', 'identity'],
    ['x-gzip', 'gzip'],
  ];
  for (const [header, expected] of cases) {
    it(`${JSON.stringify(header)} → ${expected}`, () => expect(preferredEncoding(header)).to.equal(expected));
  }

  it('remembers its last answer without mixing up headers', () => {
    const negotiate = encodingNegotiator();
    for (const header of ['br', 'gzip', 'gzip', undefined, 'br;q=0, gzip', 'gzip, br']) {
      expect(negotiate(header)).to.equal(preferredEncoding(header));
    }
  });
});
