// Logs are JSON lines, and what may identify or authenticate a person never reaches them, whatever the
// call site passes: the logger's configuration removes it.
import { expect } from 'chai';
import { Writable } from 'node:stream';
import { createLogger } from '../../server/log';

function capture(level: 'error' | 'warn' | 'info' | 'silent' = 'info') {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  return { log: createLogger(level, sink), lines, entries: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

const TOKEN = 'Zq3v9X0b1c2d3e4f5g6h7i8j9k0l1m2n3o4p5q6r7s8';
const HEX_TOKEN = 'a'.repeat(32) + 'b'.repeat(32);

describe('server/log.ts', () => {
  it('writes one JSON object a line with an ISO time, a level name and the message', () => {
    const { log, entries } = capture();
    log.info('forum listening on http://127.0.0.1:3000 (database: embedded)');
    log.warn('something odd');
    const [info, warn] = entries();
    expect(info).to.include({ level: 'info', msg: 'forum listening on http://127.0.0.1:3000 (database: embedded)' });
    expect(new Date(info!.time as string).toISOString()).to.equal(info!.time);
    expect(warn).to.include({ level: 'warn', msg: 'something odd' });
  });

  it('removes e-mail addresses, bearer tokens and opaque secrets from messages, errors and stacks', () => {
    const { log, lines } = capture();
    log.info(`mail to alice@example.org with link https://forum.example/verify-email?token=${TOKEN}`);
    log.warn(`Authorization: Bearer ${HEX_TOKEN}`);
    log.error('sign-in failed', new Error(`no account for bob.smith+x@mail.example.com (token ${HEX_TOKEN})`));
    const all = lines.join('\n');
    for (const secret of ['alice@example.org', 'bob.smith+x@mail.example.com', TOKEN, HEX_TOKEN]) expect(all).not.to.include(secret);
    expect(all).to.include('[e-mail]');
  });

  it('redacts token, password and e-mail fields of a logged object, nested too', () => {
    const { log, lines } = capture();
    log.error('request failed', { email: 'carol@example.org', password: 'hunter2-hunter2', nested: { token: 'short-token', authorization: 'x' } });
    const all = lines.join('\n');
    for (const secret of ['carol@example.org', 'hunter2-hunter2', 'short-token']) expect(all).not.to.include(secret);
  });

  it('keeps an error’s type and stack for the operator', () => {
    const { log, entries } = capture();
    log.error('export failed after it started', new TypeError('boom'));
    const [entry] = entries();
    expect(entry).to.include({ level: 'error', msg: 'export failed after it started' });
    expect(entry!.error).to.include({ type: 'TypeError', message: 'boom' });
    expect((entry!.error as { stack: string }).stack).to.match(/TypeError: boom\n\s+at /);
  });

  it('writes nothing below its level, and nothing at all when silent', () => {
    const errorsOnly = capture('error');
    errorsOnly.log.info('not shown');
    errorsOnly.log.warn('not shown');
    errorsOnly.log.error('shown');
    expect(errorsOnly.entries().map((entry) => entry.msg)).to.deep.equal(['shown']);
    const silent = capture('silent');
    silent.log.error('not shown');
    expect(silent.lines).to.deep.equal([]);
  });
});
