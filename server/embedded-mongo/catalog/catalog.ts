import { UUID } from 'bson';
import { Collection } from './collection';
import type { Document } from '../documents';
import { CommandError, ErrorCode } from '../errors';

/** Every database and collection the engine holds in memory. */
export class Catalog {
  private readonly dbs = new Map<string, Map<string, Collection>>();

  get(db: string, name: string): Collection | undefined {
    return this.dbs.get(db)?.get(name);
  }

  collections(db: string): Collection[] {
    return [...(this.dbs.get(db)?.values() ?? [])];
  }

  all(): Collection[] {
    const out: Collection[] = [];
    for (const colls of this.dbs.values()) out.push(...colls.values());
    return out;
  }

  databaseNames(): string[] {
    return [...this.dbs.keys()].filter((db) => (this.dbs.get(db)?.size ?? 0) > 0);
  }

  create(db: string, name: string, options: Document, uuid?: UUID): Collection {
    let colls = this.dbs.get(db);
    if (!colls) {
      colls = new Map();
      this.dbs.set(db, colls);
    }
    const coll = new Collection(db, name, { uuid: uuid ?? new UUID(), options });
    colls.set(name, coll);
    return coll;
  }

  drop(db: string, name: string): Collection | undefined {
    const colls = this.dbs.get(db);
    const coll = colls?.get(name);
    if (!coll) return undefined;
    colls!.delete(name);
    if (colls!.size === 0) this.dbs.delete(db);
    return coll;
  }

  dropDatabase(db: string): boolean {
    return this.dbs.delete(db);
  }
}

export function validateDbName(db: unknown): string {
  if (typeof db !== 'string' || db.length === 0 || /[/\\. "$\0]/.test(db) || db.length > 63) {
    throw new CommandError(ErrorCode.InvalidNamespace, `Invalid database name: '${String(db)}'`);
  }
  return db;
}

export function validateCollectionName(name: unknown): string {
  if (typeof name !== 'string') {
    throw new CommandError(ErrorCode.InvalidNamespace, `collection name has invalid type ${typeof name}`);
  }
  if (name.length === 0 || name.includes('\0') || name.includes('$') || name.startsWith('.') || name.startsWith('system.')) {
    throw new CommandError(ErrorCode.InvalidNamespace, `Invalid collection name: ${name}`);
  }
  return name;
}
