import { expect } from 'chai';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig } from '../server/config';

describe('config', () => {
  it('has working defaults for a fresh clone', () => {
    const config = loadConfig({}, '/srv/forum');
    expect(config.port).to.equal(3000);
    expect(config.host).to.equal('127.0.0.1');
    expect(config.mongodbUri).to.equal(null);
    expect(config.dataDir).to.equal(path.resolve('/srv/forum/data'));
    expect(config.uploadsDir).to.equal(path.resolve('/srv/forum/uploads'));
    expect(config.redisUrl).to.equal(null);
    expect(config.adminEmails.size).to.equal(0);
    expect(config.publicUrl).to.equal('http://127.0.0.1:3000');
    expect(config.mailTransport).to.equal('log');
    expect(config.mailFrom).to.equal('forum@127.0.0.1');
  });

  it('allows a public address without SMTP only when MAIL_TRANSPORT says so, and the log transport on loopback only', () => {
    expect(loadConfig({ HOST: '0.0.0.0', MAIL_TRANSPORT: 'none' }).mailTransport).to.equal('none');
    expect(loadConfig({ HOST: '::1' }).mailTransport).to.equal('log');
    expect(loadConfig({ HOST: '0.0.0.0', SMTP_URL: 'smtps://u:p@mail.example.org' }).mailTransport).to.equal('smtp');
  });

  it('reads every documented variable', () => {
    const config = loadConfig(
      {
        PORT: '8080',
        HOST: '0.0.0.0',
        MONGODB_URI: 'mongodb://db.internal:27017/forum',
        DATA_DIR: '/var/forum',
        UPLOADS_DIR: '/var/forum-media',
        REDIS_URL: 'redis://cache:6379',
        FORUM_ADMIN_EMAILS: ' Admin@Example.org, second@example.org ,',
        PUBLIC_URL: 'https://forum.example.org/',
        MEDIA_URL_SECRET: 'x'.repeat(40),
        TRUST_PROXY: '1',
        SMTP_URL: 'smtp://forum:secret@mail.example.org:587',
        MAIL_FROM: 'Forum <forum@example.org>',
        LOG_LEVEL: 'warn',
      },
      '/srv',
    );
    expect(config.port).to.equal(8080);
    expect(config.host).to.equal('0.0.0.0');
    expect(config.mongodbUri).to.equal('mongodb://db.internal:27017/forum');
    expect(config.dataDir).to.equal('/var/forum');
    expect(config.uploadsDir).to.equal('/var/forum-media');
    expect(config.redisUrl).to.equal('redis://cache:6379');
    expect([...config.adminEmails]).to.deep.equal(['admin@example.org', 'second@example.org']);
    expect(config.publicUrl).to.equal('https://forum.example.org');
    expect(config.trustProxy).to.equal(1);
    expect(config.mailTransport).to.equal('smtp');
    expect(config.smtpUrl).to.equal('smtp://forum:secret@mail.example.org:587');
    expect(config.mailFrom).to.equal('Forum <forum@example.org>');
    expect(config.logLevel).to.equal('warn');
  });

  const invalid: Array<[string, Record<string, string>, RegExp]> = [
    ['a port that is not a number', { PORT: 'eighty' }, /PORT must be a port number/],
    ['a port out of range', { PORT: '70000' }, /PORT must be a port number/],
    ['a MongoDB URI of another scheme', { MONGODB_URI: 'http://localhost' }, /MONGODB_URI must use mongodb:/],
    ['a MongoDB URI that is not a URL', { MONGODB_URI: 'not a url' }, /MONGODB_URI must be a URL/],
    ['a Redis URL of another scheme', { REDIS_URL: 'http://x' }, /REDIS_URL must use redis:/],
    ['an admin list with a non-address', { FORUM_ADMIN_EMAILS: 'a@b.org, nobody' }, /FORUM_ADMIN_EMAILS .*"nobody"/],
    ['a short media secret', { MEDIA_URL_SECRET: 'short' }, /MEDIA_URL_SECRET must be at least 32/],
    ['an unknown mail transport', { MAIL_TRANSPORT: 'pigeon' }, /MAIL_TRANSPORT must be one of smtp, log, none/],
    ['an SMTP URL of another scheme', { SMTP_URL: 'http://mail' }, /SMTP_URL must use smtp: or smtps:/],
    ['the smtp transport without SMTP_URL', { MAIL_TRANSPORT: 'smtp' }, /MAIL_TRANSPORT=smtp needs SMTP_URL/],
    ['a public address without a mail server', { HOST: '0.0.0.0' }, /^HOST=0\.0\.0\.0 is reachable from other machines but no mail server is set: set SMTP_URL/],
    ['the log transport on a public address', { HOST: '::', MAIL_TRANSPORT: 'log' }, /MAIL_TRANSPORT=log .* only allowed while HOST is a loopback address/],
    ['a From that is not an address', { MAIL_FROM: 'the forum' }, /MAIL_FROM must be an address/],
    ['an unknown log level', { LOG_LEVEL: 'loud' }, /LOG_LEVEL must be one of silent, error, warn, info, got "loud"/],
    ['an SMTP timeout that is not a number of seconds', { SMTP_TIMEOUT_SECONDS: '0' }, /SMTP_TIMEOUT_SECONDS must be a whole number of seconds/],
    ['a socket cap that is not a count', { SOCKETS_PER_ACCOUNT: '-1' }, /SOCKETS_PER_ACCOUNT must be a whole number \(0 for no limit\), got "-1"/],
    ['an accent colour that is not a hex colour', { FORUM_ACCENT_COLOR: 'teal' }, /^FORUM_ACCENT_COLOR must be a hex colour like #1f6f5c, got "teal"$/],
    ['an accent colour too light for white text', { FORUM_ACCENT_COLOR: '#ffcc00' }, /^FORUM_ACCENT_COLOR #ffcc00 is too light: white text on it has a contrast of 1\.5:1, at least 4\.5:1 is needed$/],
    ['a forum name over two lines', { FORUM_NAME: 'Doctors\nAbroad' }, /^FORUM_NAME must be one line of at most 80 characters$/],
    ['a tagline too long', { FORUM_TAGLINE: 'x'.repeat(201) }, /^FORUM_TAGLINE must be one line of at most 200 characters$/],
    ['a missing logo file', { FORUM_LOGO_FILE: '/nonexistent/logo.png' }, /^FORUM_LOGO_FILE "\/nonexistent\/logo\.png" cannot be read \(ENOENT\)$/],
    ['a logo that is not an image file type', { FORUM_LOGO_FILE: 'logo.exe' }, /^FORUM_LOGO_FILE "logo\.exe" must be one of \.png, \.svg, \.webp, \.jpg, \.jpeg, \.ico$/],
  ];
  for (const [what, env, message] of invalid) {
    it(`rejects ${what} with one clear sentence`, () => {
      expect(() => loadConfig(env)).to.throw(ConfigError, message);
    });
  }

  describe('organisation identity', () => {
    it('defaults to the generic name and tagline, no logo and the stylesheet\'s accent', () => {
      expect(loadConfig({}).brand).to.deep.equal({
        name: 'Member forum',
        tagline: 'Talk with fellow members, privately where it matters.',
        logoFile: null,
        accentColor: null,
      });
    });

    it('reads the name, tagline, logo file (relative to the working directory) and accent colour', () => {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'forum-brand-'));
      try {
        writeFileSync(path.join(dir, 'logo.PNG'), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
        const { brand } = loadConfig({ FORUM_NAME: ' Doctors Abroad ', FORUM_TAGLINE: 'Care across borders.', FORUM_LOGO_FILE: 'logo.PNG', FORUM_ACCENT_COLOR: '#A3C' }, dir);
        expect(brand).to.deep.equal({ name: 'Doctors Abroad', tagline: 'Care across borders.', logoFile: path.join(dir, 'logo.PNG'), accentColor: '#aa33cc' });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('refuses a logo that is a folder or an empty file', () => {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'forum-brand-'));
      try {
        writeFileSync(path.join(dir, 'empty.svg'), '');
        expect(() => loadConfig({ FORUM_LOGO_FILE: 'empty.svg' }, dir)).to.throw(ConfigError, /FORUM_LOGO_FILE "empty\.svg" must hold an image of at most 1 MB, not 0 bytes/);
        mkdirSync(path.join(dir, 'folder.svg'));
        expect(() => loadConfig({ FORUM_LOGO_FILE: 'folder.svg' }, dir)).to.throw(ConfigError, /^FORUM_LOGO_FILE "folder\.svg" is not a file$/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe('data encryption key', () => {
    const hex = 'ab'.repeat(32);

    it('is off by default, and read as hex, as base64 or from a key file', () => {
      expect(loadConfig({}).dataEncryptionKey).to.equal(null);
      expect(loadConfig({ DATA_ENCRYPTION_KEY: hex }).dataEncryptionKey?.toString('hex')).to.equal(hex);
      const b64 = Buffer.from(hex, 'hex').toString('base64');
      expect(loadConfig({ DATA_ENCRYPTION_KEY: b64 }).dataEncryptionKey?.toString('hex')).to.equal(hex);
      const dir = mkdtempSync(path.join(os.tmpdir(), 'forum-config-'));
      try {
        writeFileSync(path.join(dir, 'key'), `${hex}\n`);
        expect(loadConfig({ DATA_ENCRYPTION_KEY_FILE: 'key' }, dir).dataEncryptionKey?.toString('hex')).to.equal(hex);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      expect(loadConfig({ DATA_ENCRYPTION_PREVIOUS_KEYS: `${hex},${'cd'.repeat(32)}` }).previousDataEncryptionKeys).to.have.length(2);
    });

    it('refuses a short key, a missing key file and both ways at once, with one sentence', () => {
      expect(() => loadConfig({ DATA_ENCRYPTION_KEY: 'abc' })).to.throw(ConfigError, /DATA_ENCRYPTION_KEY: an encryption key must be 32 bytes/);
      expect(() => loadConfig({ DATA_ENCRYPTION_KEY_FILE: '/nonexistent/key' })).to.throw(ConfigError, /DATA_ENCRYPTION_KEY_FILE "\/nonexistent\/key" cannot be read \(ENOENT\)/);
      expect(() => loadConfig({ DATA_ENCRYPTION_KEY: hex, DATA_ENCRYPTION_KEY_FILE: 'key' })).to.throw(ConfigError, /not both/);
      expect(() => loadConfig({ DATA_ENCRYPTION_PREVIOUS_KEYS: 'nope' })).to.throw(ConfigError, /DATA_ENCRYPTION_PREVIOUS_KEYS/);
    });
  });
});
