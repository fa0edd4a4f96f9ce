// The one image pipeline: decode-verify, cap, auto-orient, strip metadata, re-encode to WebP sizes.
import os from 'node:os';
import sharp, { type ResizeOptions } from 'sharp';
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

/**
 * An uploaded file: in memory, or spooled to a temporary file by the HTTP layer (libvips then reads it
 * from disk, and a 10 MB upload is never gathered into one Buffer).
 */
export type ImageInput = Buffer | { path: string; size: number };

export interface EncodedImage {
  variant: string;
  data: Buffer;
  width: number;
  height: number;
}

// Every upload is a new image: libvips' operation cache would only hold memory (and spooled files) longer.
sharp.cache(false);

const ACCEPTED_FORMATS = new Set(['jpeg', 'png', 'webp', 'gif', 'avif', 'heif', 'tiff']);

/** Node's default; the operator may raise it with UV_THREADPOOL_SIZE, which only leaves more room. */
const LIBUV_THREADS = 4;
/**
 * sharp jobs running at once. Each holds one of libuv's threads for tens of milliseconds and keeps one
 * core busy (sharp runs single-threaded on glibc), so more jobs than cores gain nothing, and two threads
 * stay free for what queues on the same pool: spooled uploads and stored files being written, the
 * journal's fsync, password hashing.
 */
const SHARP_JOBS = Math.max(1, Math.min(os.availableParallelism(), LIBUV_THREADS - 2));
let sharpRunning = 0;
const sharpWaiting: Array<() => void> = [];

async function sharpJob<T>(job: () => Promise<T>): Promise<T> {
  if (sharpRunning < SHARP_JOBS) sharpRunning++;
  else await new Promise<void>((resolve) => sharpWaiting.push(resolve));
  try {
    return await job();
  } finally {
    // The slot passes straight to the next waiter, so the count stays right.
    const next = sharpWaiting.shift();
    if (next) next();
    else sharpRunning--;
  }
}

export async function encodeImage(upload: ImageInput, variants: readonly ImageVariant[]): Promise<EncodedImage[]> {
  const [input, bytes] = Buffer.isBuffer(upload) ? [upload, upload.length] : [upload.path, upload.size];
  if (bytes > MAX_UPLOAD_BYTES) {
    throw new PayloadTooLarge('errors.image.tooLarge', { megabytes: MAX_UPLOAD_BYTES / (1024 * 1024) });
  }
  let metadata: Awaited<ReturnType<ReturnType<typeof sharp>['metadata']>>;
  try {
    metadata = await sharpJob(() => sharp(input, { limitInputPixels: false }).metadata());
  } catch {
    throw new UnsupportedMediaType('errors.image.unreadable');
  }
  if (!metadata.format || !ACCEPTED_FORMATS.has(metadata.format) || !metadata.width || !metadata.height) {
    throw new UnsupportedMediaType('errors.image.unreadable');
  }
  if (metadata.width * metadata.height > MAX_INPUT_PIXELS) {
    throw new PayloadTooLarge('errors.image.tooManyPixels', { width: metadata.width, height: metadata.height, megapixels: MAX_INPUT_PIXELS / 1_000_000 });
  }
  try {
    return await encodeVariants(input, variants);
  } catch (error) {
    if (error instanceof PayloadTooLarge) throw error;
    throw new UnsupportedMediaType('errors.image.damaged');
  }
}

function resizeTo(variant: ImageVariant): ResizeOptions {
  return { width: variant.maxSide, height: variant.maxSide, fit: variant.square ? 'cover' : 'inside', withoutEnlargement: true };
}

/**
 * Each family of variants (square crops, fit-inside) is decoded once, straight to its largest size: the
 * resize in the decoding pipeline lets libvips shrink a JPEG while decoding it (a 12-MP photo becomes a
 * 1000×750 one at no full-size cost), and only those small pixels reach JavaScript. The smaller sizes of
 * the family are scaled from them, which crops the same region. The decode reads the whole file, so a
 * truncated one still fails.
 */
async function encodeVariants(input: Buffer | string, variants: readonly ImageVariant[]): Promise<EncodedImage[]> {
  const encoded = new Map<ImageVariant, EncodedImage>();
  const families = [variants.filter((variant) => variant.square), variants.filter((variant) => !variant.square)];
  await Promise.all(
    families.map(async (family) => {
      if (family.length === 0) return;
      const largest = family.reduce((a, b) => (b.maxSide > a.maxSide ? b : a));
      const decoded = await sharpJob(() =>
        sharp(input, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'truncated' })
          .rotate()
          .resize(resizeTo(largest))
          .raw()
          .toBuffer({ resolveWithObject: true }),
      );
      const raw = { width: decoded.info.width, height: decoded.info.height, channels: decoded.info.channels };
      await Promise.all(
        family.map(async (variant) => {
          const pixels = sharp(decoded.data, { raw });
          if (variant.maxSide < largest.maxSide) pixels.resize(resizeTo(variant));
          // sharp drops EXIF, GPS, ICC and XMP metadata unless asked to keep it; we never ask.
          const { data, info } = await sharpJob(() => pixels.webp({ quality: 82 }).toBuffer({ resolveWithObject: true }));
          encoded.set(variant, { variant: variant.name, data, width: info.width, height: info.height });
        }),
      );
    }),
  );
  return variants.map((variant) => encoded.get(variant)!);
}
