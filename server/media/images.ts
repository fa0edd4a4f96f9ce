// The one image pipeline: decode-verify, cap, auto-orient, strip metadata, re-encode to WebP sizes.
import sharp from 'sharp';
import { PayloadTooLarge, UnsupportedMediaType } from '../errors';

export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
/** Decompression-bomb guard: a 10 MB file may still claim billions of pixels. */
export const MAX_INPUT_PIXELS = 40_000_000;

export interface ImageVariant {
  /** Suffix of the stored file, e.g. "512". */
  name: string;
  /** Longest side in pixels; smaller images are not enlarged. */
  maxSide: number;
  /** Square crop (avatars) rather than fit-inside (post images). */
  square?: boolean;
}

export interface EncodedImage {
  variant: string;
  data: Buffer;
  width: number;
  height: number;
}

const ACCEPTED_FORMATS = new Set(['jpeg', 'png', 'webp', 'gif', 'avif', 'heif', 'tiff']);

export async function encodeImage(input: Buffer, variants: readonly ImageVariant[]): Promise<EncodedImage[]> {
  if (input.length > MAX_UPLOAD_BYTES) {
    throw new PayloadTooLarge(`The image is larger than ${MAX_UPLOAD_BYTES / (1024 * 1024)} MB.`);
  }
  let metadata: Awaited<ReturnType<ReturnType<typeof sharp>['metadata']>>;
  try {
    metadata = await sharp(input, { limitInputPixels: false }).metadata();
  } catch {
    throw new UnsupportedMediaType('The file is not an image we can read (JPEG, PNG, WebP, GIF, AVIF or HEIF).');
  }
  if (!metadata.format || !ACCEPTED_FORMATS.has(metadata.format) || !metadata.width || !metadata.height) {
    throw new UnsupportedMediaType('The file is not an image we can read (JPEG, PNG, WebP, GIF, AVIF or HEIF).');
  }
  if (metadata.width * metadata.height > MAX_INPUT_PIXELS) {
    throw new PayloadTooLarge(
      `The image has ${metadata.width}×${metadata.height} pixels; at most ${MAX_INPUT_PIXELS / 1_000_000} megapixels are accepted.`,
    );
  }
  try {
    // Decode once (fully, so truncated files fail here), then derive every size from the oriented pixels.
    const oriented = await sharp(input, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'truncated' })
      .rotate()
      .raw()
      .toBuffer({ resolveWithObject: true });
    const { width, height, channels } = oriented.info;
    return await Promise.all(
      variants.map(async (variant) => {
        // sharp drops EXIF, GPS, ICC and XMP metadata unless asked to keep it; we never ask.
        const { data, info } = await sharp(oriented.data, { raw: { width, height, channels } })
          .resize(variant.maxSide, variant.maxSide, {
            fit: variant.square ? 'cover' : 'inside',
            withoutEnlargement: true,
          })
          .webp({ quality: 82 })
          .toBuffer({ resolveWithObject: true });
        return { variant: variant.name, data, width: info.width, height: info.height };
      }),
    );
  } catch (error) {
    if (error instanceof PayloadTooLarge) throw error;
    throw new UnsupportedMediaType('The image is damaged or incomplete and could not be decoded.');
  }
}
