// Helpers for erasure tests: wait for a job to finish, and look for any trace of a person anywhere.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Db } from 'mongodb';
import mongoose, { type Types } from 'mongoose';
import { ErasureJob } from '../../server/models/erasure-job';

export async function waitForErasure(userId: Types.ObjectId | string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (await ErasureJob.exists({ userId })) {
    if (Date.now() > deadline) throw new Error(`erasure of ${String(userId)} did not finish within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Every document in every collection (but `except`) whose JSON contains one of `needles`, as `collection: json`. */
export async function findTraces(needles: string[], db: Db = mongoose.connection.db!, except: string[] = []): Promise<string[]> {
  const found: string[] = [];
  for (const { name } of await db.listCollections({}, { nameOnly: true }).toArray()) {
    if (except.includes(name)) continue;
    for (const doc of await db.collection(name).find({}).toArray()) {
      const json = JSON.stringify(doc);
      if (needles.some((needle) => json.includes(needle))) found.push(`${name}: ${json}`);
    }
  }
  return found;
}

/** Stored media files under an uploads folder whose names contain one of `keys`. */
export async function findFiles(uploadsDir: string, keys: string[]): Promise<string[]> {
  const found: string[] = [];
  for (const kind of ['avatars', 'posts', 'preserved']) {
    const files = await readdir(path.join(uploadsDir, kind)).catch(() => [] as string[]);
    found.push(...files.filter((file) => keys.some((key) => file.startsWith(key))).map((file) => `${kind}/${file}`));
  }
  return found;
}
