import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { spoolDirectory } from '../../server/http/image-uploads';
import { User } from '../../server/models/user';
import { resetDatabase } from '../support/database';
import { buildUser } from '../support/factories';
import { startTestForum, type TestForum } from '../support/forum';

/** 200×100, left half red and right half blue, tagged "rotate 90° clockwise to display", with camera and GPS EXIF. */
async function jpegWithGpsAndOrientation(): Promise<Buffer> {
  return sharp({ create: { width: 200, height: 100, channels: 3, background: '#0000ff' } })
    .composite([{ input: { create: { width: 100, height: 100, channels: 3, background: '#ff0000' } }, left: 0, top: 0 }])
    .jpeg()
    .withExif({
      IFD0: { Make: 'TestCam', Model: 'Spy 3000', Artist: 'Secret Photographer' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '52/1 30/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '13/1 24/1 0/1' },
    })
    .withMetadata({ orientation: 6 })
    .toBuffer();
}

/** A JPEG large enough that cutting it in half loses real image data. */
async function noisyJpeg(width: number, height: number): Promise<Buffer> {
  return sharp(randomBytes(width * height * 3), { raw: { width, height, channels: 3 } }).jpeg({ quality: 90 }).toBuffer();
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typed = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([length, typed, crc]);
}

function crc32(data: Buffer): number {
  let crc = ~0;
  for (const byte of data) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit += 1) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
}

/** A few kilobytes claiming 20000×20000 RGB pixels (1.2 GB decoded): a decompression bomb. */
function pixelBombPng(): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(20_000, 0);
  header.writeUInt32BE(20_000, 4);
  header.writeUInt8(8, 8); // bit depth
  header.writeUInt8(2, 9); // truecolour
  const rows = Buffer.alloc(50 * (1 + 20_000 * 3));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(rows, { level: 9 })),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

describe('PUT /api/me/avatar', () => {
  let forum: TestForum;
  before(async () => {
    await resetDatabase();
    forum = await startTestForum();
  });
  after(() => forum.close());

  const avatarsDir = () => path.join(forum.ctx.config.uploadsDir, 'avatars');
  const storedFiles = () => (existsSync(avatarsDir()) ? readdirSync(avatarsDir()).sort() : []);
  const upload = (auth: { Authorization: string } | null, data: Buffer, filename = 'photo.jpg', field = 'image') => {
    const req = forum.http.put('/api/me/avatar');
    return (auth ? req.set(auth) : req).attach(field, data, { filename, contentType: 'image/jpeg' });
  };

  it('requires a token', async () => {
    const res = await upload(null, await jpegWithGpsAndOrientation()).expect(401);
    expect(res.body.error.code).to.equal('unauthorized');
  });

  it('stores 512 and 96 pixel WebP files under a random name, served publicly, without any metadata', async () => {
    const { user, auth } = await buildUser();
    const original = await jpegWithGpsAndOrientation();
    expect((await sharp(original).metadata()).exif).to.be.instanceOf(Buffer);

    const res = await upload(auth, original, 'my-holiday-in-berlin.jpg').expect(200);
    expect(res.body.avatarUrl).to.match(/^\/media\/avatars\/[0-9a-f]{32}-512\.webp$/);
    expect(res.body.avatarUrl).not.to.include('holiday');
    const me = await forum.http.get('/api/me').set(auth).expect(200);
    expect(me.body.avatarUrl).to.equal(res.body.avatarUrl);
    const stranger = await buildUser();
    const profile = await forum.http.get(`/api/users/${String(user._id)}`).set(stranger.auth).expect(200);
    expect(profile.body.avatarUrl).to.equal(res.body.avatarUrl);

    for (const url of [res.body.avatarUrl as string, (res.body.avatarUrl as string).replace('-512.webp', '-96.webp')]) {
      const served = await forum.http.get(url).buffer(true).parse((r, done) => {
        const chunks: Buffer[] = [];
        r.on('data', (chunk: Buffer) => chunks.push(chunk));
        r.on('end', () => done(null, Buffer.concat(chunks)));
      }).expect(200);
      expect(served.headers['content-type']).to.equal('image/webp');
      const data = served.body as Buffer;
      const metadata = await sharp(data).metadata();
      expect(metadata.format).to.equal('webp');
      expect(metadata.exif, 'EXIF must be stripped').to.equal(undefined);
      expect(metadata.xmp, 'XMP must be stripped').to.equal(undefined);
      expect(metadata.icc, 'ICC must be stripped').to.equal(undefined);
      expect(metadata.orientation ?? 1).to.equal(1);
      const bytes = data.toString('latin1');
      for (const secret of ['TestCam', 'Spy 3000', 'Secret Photographer', 'Exif', 'GPS']) expect(bytes).not.to.include(secret);
    }
  });

  it('auto-orients before cropping to a square', async () => {
    const { auth } = await buildUser();
    const res = await upload(auth, await jpegWithGpsAndOrientation()).expect(200);
    const key = /([0-9a-f]{32})-512/.exec(res.body.avatarUrl as string)![1]!;
    const { data, info } = await sharp(path.join(avatarsDir(), `${key}-96.webp`)).raw().toBuffer({ resolveWithObject: true });
    const pixel = (x: number, y: number) => {
      const at = (y * info.width + x) * info.channels;
      return { r: data[at]!, b: data[at + 2]! };
    };
    // Rotated upright, the red half is on top and the blue half below.
    const top = pixel(Math.floor(info.width / 2), 5);
    const bottom = pixel(Math.floor(info.width / 2), info.height - 5);
    expect(top.r).to.be.greaterThan(200);
    expect(top.b).to.be.lessThan(60);
    expect(bottom.b).to.be.greaterThan(200);
    expect(bottom.r).to.be.lessThan(60);
  });

  it('scales large pictures down to 512 and 96 pixel squares', async () => {
    const { auth } = await buildUser();
    const res = await upload(auth, await noisyJpeg(1200, 900)).expect(200);
    const key = /([0-9a-f]{32})-512/.exec(res.body.avatarUrl as string)![1]!;
    const big = await sharp(path.join(avatarsDir(), `${key}-512.webp`)).metadata();
    const small = await sharp(path.join(avatarsDir(), `${key}-96.webp`)).metadata();
    expect([big.width, big.height]).to.deep.equal([512, 512]);
    expect([small.width, small.height]).to.deep.equal([96, 96]);
  });

  it('removes the previous files when the avatar is replaced', async () => {
    const { user, auth } = await buildUser();
    const first = await upload(auth, await noisyJpeg(300, 300)).expect(200);
    const firstKey = /([0-9a-f]{32})-512/.exec(first.body.avatarUrl as string)![1]!;
    expect(storedFiles()).to.include.members([`${firstKey}-512.webp`, `${firstKey}-96.webp`]);
    const second = await upload(auth, await noisyJpeg(300, 300)).expect(200);
    const secondKey = /([0-9a-f]{32})-512/.exec(second.body.avatarUrl as string)![1]!;
    expect(secondKey).not.to.equal(firstKey);
    expect(storedFiles()).not.to.include.members([`${firstKey}-512.webp`]);
    expect(storedFiles().filter((file) => file.startsWith(firstKey))).to.deep.equal([]);
    expect(storedFiles()).to.include.members([`${secondKey}-512.webp`, `${secondKey}-96.webp`]);
    await forum.http.get(first.body.avatarUrl as string).expect(404);
    expect((await User.findById(user._id).lean())!.avatarKey).to.equal(secondKey);
  });

  it('spools uploads in a directory only this user can read, and leaves nothing there, accepted or refused', async () => {
    const { auth } = await buildUser();
    await upload(auth, await noisyJpeg(300, 300)).expect(200);
    await upload(auth, Buffer.from('not a picture')).expect(415);
    const whole = await noisyJpeg(600, 400);
    await upload(auth, whole.subarray(0, Math.floor(whole.length / 2))).expect(415);
    await upload(auth, pixelBombPng(), 'bomb.png').expect(413);
    await upload(auth, randomBytes(11 * 1024 * 1024)).expect(413);
    const dir = await spoolDirectory();
    expect(statSync(dir).mode & 0o777).to.equal(0o700);
    // Files go once each response is done, which the client may see first.
    for (let wait = 0; readdirSync(dir).length > 0 && wait < 50; wait += 1) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(readdirSync(dir)).to.deep.equal([]);
  });

  it('makes a new private spool directory when a temp cleaner removed the old one', async () => {
    const { auth } = await buildUser();
    const old = await spoolDirectory();
    rmSync(old, { recursive: true });
    await upload(auth, await noisyJpeg(300, 300)).expect(200);
    const dir = await spoolDirectory();
    expect(dir).not.to.equal(old);
    expect(statSync(dir).mode & 0o777).to.equal(0o700);
  });

  describe('bad files change nothing', () => {
    async function expectRefused(data: Buffer, status: number, code: string, filename = 'photo.jpg'): Promise<void> {
      const { user, auth } = await buildUser();
      const before = storedFiles();
      const res = await upload(auth, data, filename).expect(status);
      expect(res.body.error.code).to.equal(code);
      expect(storedFiles()).to.deep.equal(before);
      expect((await User.findById(user._id).lean())!.avatarKey).to.equal(null);
    }

    it('refuses a text file renamed .jpg (415)', async () => {
      await expectRefused(Buffer.from('This is not a picture, just words.\n'.repeat(50)), 415, 'unsupported_media_type');
    });

    it('refuses a truncated JPEG (415)', async () => {
      const whole = await noisyJpeg(600, 400);
      await expectRefused(whole.subarray(0, Math.floor(whole.length / 2)), 415, 'unsupported_media_type');
    });

    it('refuses a PNG claiming 20000×20000 pixels before decoding it (413)', async () => {
      const bomb = pixelBombPng();
      expect(bomb.length).to.be.lessThan(100_000);
      await expectRefused(bomb, 413, 'payload_too_large', 'bomb.png');
    });

    it('refuses a file over 10 MB (413)', async () => {
      await expectRefused(randomBytes(11 * 1024 * 1024), 413, 'payload_too_large');
    });

    it('refuses a file one byte over 10 MB with the same answer', async () => {
      const { auth } = await buildUser();
      const res = await upload(auth, randomBytes(10 * 1024 * 1024 + 1)).expect(413);
      expect(res.body.error.message).to.equal('The image is larger than 10 MB.');
    });

    it('refuses an empty file, a missing file and the wrong field name (400 or 415)', async () => {
      const { auth } = await buildUser();
      let res = await forum.http.put('/api/me/avatar').set(auth).expect(400);
      expect(res.body.error.field).to.equal('image');
      res = await forum.http.put('/api/me/avatar').set(auth).send({ image: 'data:image/png;base64,AAAA' }).expect(400);
      expect(res.body.error.field).to.equal('image');
      res = await upload(auth, await noisyJpeg(50, 50), 'photo.jpg', 'picture').expect(400);
      expect(res.body.error.field).to.equal('image');
      await upload(auth, Buffer.alloc(0)).expect(415);
    });
  });
});
