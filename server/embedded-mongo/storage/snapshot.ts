import { promises as fs } from 'node:fs';
import path from 'node:path';
import { deserialize, serialize, type UUID } from 'bson';
import type { Catalog } from '../catalog/catalog';
import type { Collection } from '../catalog/collection';
import type { DocumentImage } from '../catalog/document-store';
import type { Document } from '../documents';
import type { IndexSpec } from '../indexes/btree-index';
import { frameRecord, scanRecords, splitBsonSequence } from './records';
import { toUuid } from './ops';

export const SNAPSHOT_FILE = 'snapshot.bin';
const TMP_FILE = 'snapshot.tmp';
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

export async function fsyncDir(dir: string): Promise<void> {
  const fh = await fs.open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/**
 * Writes every collection to a temporary file, fsyncs it, renames it over the snapshot and
 * fsyncs the directory: a crash at any point leaves either the old or the new snapshot whole.
 */
export async function writeSnapshot(dir: string, journalGen: number, images: CollectionImage[]): Promise<void> {
  const tmp = path.join(dir, TMP_FILE);
  const fh = await fs.open(tmp, 'w');
  let documents = 0;
  try {
    const writeRecord = async (parts: Uint8Array[]): Promise<void> => {
      await fh.writev(frameRecord(Buffer.concat(parts)));
    };
    await writeRecord([serialize({ kind: 'header', format: 1, journalGen, createdAt: new Date() })]);
    for (const image of images) {
      await writeRecord([serialize({ kind: 'collection', db: image.db, coll: image.name, options: image.options, uuid: image.uuid, indexes: image.indexes })]);
      let batch: Uint8Array[] = [];
      let bytes = 0;
      const flush = async (): Promise<void> => {
        if (batch.length === 0) return;
        await writeRecord([serialize({ kind: 'docs', db: image.db, coll: image.name }), ...batch]);
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
    await writeRecord([serialize({ kind: 'end', collections: images.length, documents })]);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await fs.rename(tmp, path.join(dir, SNAPSHOT_FILE));
  await fsyncDir(dir);
}

/**
 * Loads the snapshot into an empty catalog and returns the first journal generation it does
 * not cover, or null if there is no snapshot. A damaged snapshot is refused outright: it was
 * renamed into place only after being fsynced, so damage means the disk lost data.
 */
export async function loadSnapshot(dir: string, catalog: Catalog): Promise<{ journalGen: number; documents: number } | null> {
  let data: Buffer;
  try {
    data = await fs.readFile(path.join(dir, SNAPSHOT_FILE));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  const scan = scanRecords(data);
  if (scan.problem) throw new Error(`snapshot ${path.join(dir, SNAPSHOT_FILE)} is damaged (${scan.problem}); refusing to start`);
  let journalGen = -1;
  let ended = false;
  let documents = 0;
  const restored = new Map<Collection, Uint8Array[]>();
  for (const record of scan.records) {
    const [metaBytes, ...docs] = splitBsonSequence(record);
    const meta = deserialize(metaBytes) as Document;
    switch (meta.kind) {
      case 'header':
        journalGen = Number(meta.journalGen);
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
  if (journalGen < 0 || !ended) throw new Error(`snapshot ${path.join(dir, SNAPSHOT_FILE)} is incomplete; refusing to start`);
  for (const [coll, bytes] of restored) coll.restoreAll(bytes);
  return { journalGen, documents };
}
