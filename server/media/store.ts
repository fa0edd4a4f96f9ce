// Stored media under random names. Keys are opaque; only this module turns them into paths.
import { randomBytes } from 'node:crypto';
import { mkdir, rm, writeFile, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { EncodedImage } from './images';

export type MediaKind = 'avatars' | 'posts' | 'preserved';

const KEY_PATTERN = /^[a-f0-9]{32}$/;
const VARIANT_PATTERN = /^[a-z0-9]{1,16}$/;

export class MediaStore {
  constructor(readonly root: string) {}

  static newKey(): string {
    return randomBytes(16).toString('hex');
  }

  static isKey(value: string): boolean {
    return KEY_PATTERN.test(value);
  }

  fileName(key: string, variant: string): string {
    if (!KEY_PATTERN.test(key) || !VARIANT_PATTERN.test(variant)) throw new Error('invalid media key');
    return `${key}-${variant}.webp`;
  }

  filePath(kind: MediaKind, key: string, variant: string): string {
    return path.join(this.root, kind, this.fileName(key, variant));
  }

  /** Writes every variant under one new random key; returns the key. */
  async save(kind: MediaKind, images: readonly EncodedImage[]): Promise<string> {
    const key = MediaStore.newKey();
    await mkdir(path.join(this.root, kind), { recursive: true });
    await Promise.all(images.map((image) => writeFile(this.filePath(kind, key, image.variant), image.data)));
    return key;
  }

  async read(kind: MediaKind, key: string, variant: string): Promise<Buffer> {
    return readFile(this.filePath(kind, key, variant));
  }

  async remove(kind: MediaKind, key: string, variants: readonly string[]): Promise<void> {
    await Promise.all(variants.map((variant) => rm(this.filePath(kind, key, variant), { force: true })));
  }
}
