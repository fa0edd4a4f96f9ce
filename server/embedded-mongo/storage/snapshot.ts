import { promises as fs } from 'node:fs';
import path from 'node:path';
import { deserialize, serialize, type UUID } from 'bson';
import type { Catalog } from '../catalog/catalog';
import type { Collection } from '../catalog/collection';
import type { DocumentImage } from '../catalog/document-store';
import type { Document } from '../documents';
import type { IndexSpec } from '../indexes/btree-index';
import { crc32c } from '../wire/crc32c';
import { cipherFor, recordPlace, type Keyring, type RecordCipher } from './crypto';
import { FILE_MODE, fsyncDir, writeAll, type StorageFaults } from './file-io';
import { toUuid } from './ops';
import { frameRecord, scanRecords, splitBsonSequence } from './records';

export const SNAPSHOT_FILE = 'snapshot.bin';
export const TMP_FILE = 'snapshot.tmp';
const BATCH_BYTES = 4 * 1024 * 1024;

/** A collection as it stood at one instant; its documents' bytes are shared, never copied. */
export interface CollectionImage {
  db: string;
  name: string;
  options: Document;
  uuid: UUID;
  indexes: IndexSpec[];
  docs: DocumentImage;
}

/** Synchronous, so the image and the journal switch happen at the same point between writes. */
export function captureImages(catalog: Catalog): CollectionImage[] {
  return catalog.all().map((c) => ({
    db: c.dbName,
    name: c.name,
    options: c.info.options,
    uuid: c.info.uuid,
    indexes: c.indexes.slice(1).map((i) => i.spec),
    docs: c.docs.capture(),
  }));
}

export interface SnapshotOptions {
  /** Seals every record after the plaintext header; null writes plaintext. */
  cipher: RecordCipher | null;
  faults?: StorageFaults;
}

/**
 * Writes every collection to a temporary file with a full short-write loop, fsyncs it, reads it
 * back and checks every record against what was meant to be written, and only then renames it
 * over the snapshot and fsyncs the directory: a crash at any point leaves either the old or the
 * new snapshot whole, and a disk that returned wrong bytes never replaces a good snapshot.
 */
export async function writeSnapshot(dir: string, journalGen: number, images: CollectionImage[], options: SnapshotOptions): Promise<void> {
  const { cipher, faults } = options;
  const tmp = path.join(dir, TMP_FILE);
  // A leftover from a crash may have been created with other permissions; start from nothing.
  await fs.rm(tmp, { force: true });
  const fh = await fs.open(tmp, 'wx', FILE_MODE);
  let documents = 0;
  let offset = 0;
  const checksums: number[] = [];
  try {
    const writeRecord = async (payload: Uint8Array, seal = true): Promise<void> => {
      const framed = frameRecord(seal && cipher ? cipher.seal(payload, recordPlace('snapshot', journalGen, offset)) : payload);
      checksums.push(Buffer.from(framed[0]).readUInt32LE(4));
      offset += await writeAll(fh, framed, tmp, faults);
    };
    await writeRecord(serialize({ kind: 'header', format: 2, journalGen, createdAt: new Date(), ...(cipher ? { keyId: cipher.keyId } : {}) }), false);
    for (const image of images) {
      await writeRecord(serialize({ kind: 'collection', db: image.db, coll: image.name, options: image.options, uuid: image.uuid, indexes: image.indexes }));
      let batch: Uint8Array[] = [];
      let bytes = 0;
      const flush = async (): Promise<void> => {
        if (batch.length === 0) return;
        await writeRecord(Buffer.concat([serialize({ kind: 'docs', db: image.db, coll: image.name }), ...batch]));
        batch = [];
        bytes = 0;
      };
      for (const b of image.docs.bytes()) {
        batch.push(b);
        bytes += b.length;
        documents++;
        if (bytes >= BATCH_BYTES) await flush();
      }
      await flush();
    }
    await writeRecord(serialize({ kind: 'end', collections: images.length, documents }));
    faults?.afterStep?.('snapshot-written');
    await fh.sync();
    faults?.afterStep?.('snapshot-synced');
  } finally {
    await fh.close();
  }
  const back = scanRecords(await fs.readFile(tmp));
  const mismatch = back.problem ?? (back.validLength !== offset || back.records.length !== checksums.length ? `read back ${back.validLength} bytes in ${back.records.length} records, wrote ${offset} in ${checksums.length}` : undefined);
  const differs = checksums.findIndex((c, i) => back.records[i] === undefined || crc32c(back.records[i]) !== c);
  if (mismatch || differs >= 0) {
    throw new Error(`snapshot ${tmp} does not read back as written (${mismatch ?? `record ${differs} differs`}); the old snapshot and journals stay`);
  }
  faults?.afterStep?.('snapshot-verified');
  await fs.rename(tmp, path.join(dir, SNAPSHOT_FILE));
  faults?.afterStep?.('snapshot-renamed');
  await fsyncDir(dir);
  faults?.afterStep?.('directory-synced');
}

/**
 * Loads the snapshot into an empty catalog and returns the first journal generation it does
 * not cover, or null if there is no snapshot. A damaged snapshot is refused outright: it was
 * renamed into place only after being fsynced, so damage means the disk lost data.
 */
export async function loadSnapshot(dir: string, catalog: Catalog, keyring: Keyring): Promise<{ journalGen: number; documents: number; keyId?: string } | null> {
  let data: Buffer;
  const file = path.join(dir, SNAPSHOT_FILE);
  try {
    data = await fs.readFile(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  const scan = scanRecords(data);
  if (scan.problem) throw new Error(`snapshot ${file} is damaged (${scan.problem}); refusing to start`);
  let journalGen = -1;
  let ended = false;
  let documents = 0;
  let cipher: RecordCipher | null = null;
  let keyId: string | undefined;
  const restored = new Map<Collection, Uint8Array[]>();
  for (const [i, sealed] of scan.records.entries()) {
    let record = sealed;
    if (i > 0 && cipher) {
      try {
        record = cipher.open(sealed, recordPlace('snapshot', journalGen, scan.offsets[i]));
      } catch (err) {
        throw new Error(`snapshot ${file}: record at byte ${scan.offsets[i]} cannot be opened: ${(err as Error).message}; refusing to start`);
      }
    }
    const [metaBytes, ...docs] = splitBsonSequence(record);
    const meta = deserialize(metaBytes) as Document;
    switch (meta.kind) {
      case 'header':
        if (i !== 0) throw new Error(`snapshot ${file} has a second header at byte ${scan.offsets[i]}; refusing to start`);
        journalGen = Number(meta.journalGen);
        cipher = cipherFor(keyring, meta.keyId, file);
        keyId = cipher?.keyId;
        break;
      case 'collection': {
        const coll = catalog.create(String(meta.db), String(meta.coll), (meta.options as Document) ?? {}, toUuid(meta.uuid));
        for (const spec of (meta.indexes as IndexSpec[]) ?? []) coll.addIndex(spec);
        break;
      }
      case 'docs': {
        const coll = catalog.get(String(meta.db), String(meta.coll));
        if (!coll) throw new Error(`snapshot has documents for unknown collection ${String(meta.db)}.${String(meta.coll)}`);
        let batches = restored.get(coll);
        if (!batches) restored.set(coll, (batches = []));
        for (const bytes of docs) batches.push(bytes);
        documents += docs.length;
        break;
      }
      case 'end':
        ended = true;
        break;
      default:
        throw new Error(`snapshot has an unknown record kind ${String(meta.kind)}`);
    }
  }
  if (journalGen < 0 || !ended) throw new Error(`snapshot ${file} is incomplete; refusing to start`);
  for (const [coll, bytes] of restored) coll.restoreAll(bytes);
  return { journalGen, documents, keyId };
}
