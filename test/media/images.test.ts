import { expect } from 'chai';
import sharp from 'sharp';
import { encodeImage, MAX_UPLOAD_BYTES } from '../../server/media/images';
import { HttpError } from '../../server/errors';

async function expectHttpError(promise: Promise<unknown>, status: number): Promise<void> {
  try {
    await promise;
  } catch (error) {
    expect(error).to.be.instanceOf(HttpError);
    expect((error as HttpError).status).to.equal(status);
    return;
  }
  expect.fail(`expected an HTTP ${status} error`);
}

describe('image pipeline', () => {
  const variants = [
    { name: '512', maxSide: 512, square: true },
    { name: '96', maxSide: 96, square: true },
  ];

  it('re-encodes to WebP at each size without metadata, auto-oriented', async () => {
    // 300×200 stored, EXIF orientation 6 = displayed rotated 90°: portrait 200×300.
    const input = await sharp({ create: { width: 300, height: 200, channels: 3, background: '#c33' } })
      .jpeg()
      .withMetadata({ orientation: 6 })
      .withExif({ IFD0: { Copyright: 'secret-owner' } })
      .toBuffer();
    const out = await encodeImage(input, [{ name: 'big', maxSide: 1280 }, ...variants]);
    const big = out.find((image) => image.variant === 'big')!;
    expect([big.width, big.height]).to.deep.equal([200, 300]);
    for (const image of out) {
      const meta = await sharp(image.data).metadata();
      expect(meta.format).to.equal('webp');
      expect(meta.exif).to.equal(undefined);
      expect(meta.orientation).to.equal(undefined);
    }
    expect(out.find((image) => image.variant === '96')).to.include({ width: 96, height: 96 });
  });

  it('refuses a file that is not an image (415)', async () => {
    await expectHttpError(encodeImage(Buffer.from('just some text, renamed to .jpg'), variants), 415);
  });

  it('refuses a truncated JPEG (415)', async () => {
    const whole = await sharp({ create: { width: 400, height: 400, channels: 3, background: '#39c' } }).jpeg().toBuffer();
    await expectHttpError(encodeImage(whole.subarray(0, Math.floor(whole.length / 2)), variants), 415);
  });

  it('refuses more than the byte cap (413)', async () => {
    await expectHttpError(encodeImage(Buffer.alloc(MAX_UPLOAD_BYTES + 1), variants), 413);
  });

  it('refuses a pixel bomb before decoding it (413)', async () => {
    const bomb = await sharp({ create: { width: 10_000, height: 10_000, channels: 3, background: '#000' } })
      .png({ compressionLevel: 9 })
      .toBuffer();
    expect(bomb.length).to.be.below(MAX_UPLOAD_BYTES);
    await expectHttpError(encodeImage(bomb, variants), 413);
  });
});
