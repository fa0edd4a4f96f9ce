import { expect } from 'chai';
import { acceptsGzip, gzipNegotiator } from '../../server/http/accept-encoding';

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
