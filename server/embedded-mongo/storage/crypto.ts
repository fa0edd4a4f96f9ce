import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

const NONCE_BYTES = 12;
const TAG_BYTES = 16;
export const KEY_BYTES = 32;

/**
 * Seals journal records and snapshot records with AES-256-GCM: a random nonce per record, and the
 * record's place (file kind, generation, byte offset) as additional data, so a record moved to
 * another place or another file no longer opens.
 */
export class RecordCipher {
  /** Names the key in file headers without revealing it: a start-up with another key is refused by name. */
  readonly keyId: string;

  constructor(private readonly key: Buffer) {
    if (key.length !== KEY_BYTES) throw new Error(`an encryption key must be ${KEY_BYTES} bytes, got ${key.length}`);
    this.keyId = createHmac('sha256', key).update('embedded-mongo key id').digest('hex').slice(0, 16);
  }

  seal(plain: Uint8Array, place: string): Buffer {
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, nonce);
    cipher.setAAD(Buffer.from(place));
    const body = Buffer.concat([cipher.update(plain), cipher.final()]);
    return Buffer.concat([nonce, body, cipher.getAuthTag()]);
  }

  /** Throws if the record was sealed with another key, elsewhere, or altered. */
  open(sealed: Uint8Array, place: string): Buffer {
    if (sealed.length < NONCE_BYTES + TAG_BYTES) throw new Error('sealed record is too short');
    const buf = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.length);
    const decipher = createDecipheriv('aes-256-gcm', this.key, buf.subarray(0, NONCE_BYTES));
    decipher.setAAD(Buffer.from(place));
    decipher.setAuthTag(buf.subarray(buf.length - TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(buf.subarray(NONCE_BYTES, buf.length - TAG_BYTES)), decipher.final()]);
    } catch {
      throw new Error('it does not authenticate (altered, moved, or sealed with another key)');
    }
  }
}

/** Where a record sits, as the additional data its seal binds to. */
export function recordPlace(kind: 'journal' | 'snapshot', gen: number, offset: number): string {
  return `embedded-mongo ${kind} ${gen} @${offset}`;
}

/** The key that seals new records and every key that may still open old ones (for rotation). */
export interface Keyring {
  current: RecordCipher | null;
  byId: Map<string, RecordCipher>;
}

export function buildKeyring(current: Buffer | undefined, previous: Buffer[] = []): Keyring {
  const cur = current ? new RecordCipher(current) : null;
  const byId = new Map<string, RecordCipher>();
  for (const k of previous) {
    const c = new RecordCipher(k);
    byId.set(c.keyId, c);
  }
  if (cur) byId.set(cur.keyId, cur);
  return { current: cur, byId };
}

/** The cipher for a file whose header names `keyId` (null: plaintext), or one clear reason why not. */
export function cipherFor(keyring: Keyring, keyId: unknown, file: string): RecordCipher | null {
  if (keyId === undefined || keyId === null) return null;
  const cipher = keyring.byId.get(String(keyId));
  if (cipher) return cipher;
  if (keyring.byId.size === 0) throw new Error(`${file} is encrypted (key ${String(keyId)}) but no encryption key was given; refusing to start`);
  throw new Error(`${file} is encrypted with key ${String(keyId)}, not with the key given (${[...keyring.byId.keys()].join(', ')}); refusing to start`);
}

/** Accepts a key as 64 hex digits or as base64 of 32 bytes. */
export function parseEncryptionKey(text: string): Buffer {
  const t = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(t)) return Buffer.from(t, 'hex');
  if (/^[A-Za-z0-9+/]{42,44}={0,2}$/.test(t)) {
    const b = Buffer.from(t, 'base64');
    if (b.length === KEY_BYTES) return b;
  }
  throw new Error(`an encryption key must be ${KEY_BYTES} bytes written as 64 hex digits or base64`);
}
