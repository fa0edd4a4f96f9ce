// Figure 9's engine side: start-up time and memory of the engine over the forum's data with its text indexes
// (rebuilt from the documents at start-up), then the same data with them dropped (the same-run baseline), and
// what the persona's searches examine (explain) next to how many posts match in the readable scope.
// Usage: text-index.ts <dbpath> <groupIdsJson> <word>... (prints one JSON line).
import { MongoClient, ObjectId } from 'mongodb';
import { startEmbeddedMongo } from '../../../server/embedded-mongo';

const QUIET = { info: () => undefined, warn: () => undefined };
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);

async function start(dbpath: string) {
  gc();
  const before = process.memoryUsage();
  const t0 = performance.now();
  const engine = await startEmbeddedMongo({ dbpath, logger: QUIET });
  const ms = performance.now() - t0;
  gc();
  gc();
  const after = process.memoryUsage();
  // Postings live in typed arrays (external memory), so the heap alone would miss them.
  const held = after.heapUsed + after.external - (before.heapUsed + before.external);
  return { engine, ms, heldBytes: held };
}

async function main(): Promise<void> {
  const [dbpath, groupsJson, ...words] = process.argv.slice(2);
  const memberOf = (JSON.parse(groupsJson!) as string[]).map((id) => new ObjectId(id));
  const withText = await start(dbpath!);
  const client = await MongoClient.connect(withText.engine.uri);
  const db = client.db('forum');
  const publicIds = (await db.collection('groups').find({ visibility: 'public' }, { projection: { _id: 1 } }).toArray()).map((g) => g._id);
  const scope = [...publicIds, ...memberOf.filter((id) => !publicIds.some((p) => p.equals(id)))];
  const searches = [];
  for (const word of words) {
    // The scope the forum's policy gives this member (readablePostsIn): posts written while a now public group was closed only in their own groups.
    const filter = { $text: { $search: word }, groupId: { $in: scope }, hiddenAt: null, deletedAt: null, $or: [{ groupId: { $in: memberOf } }, { membersOnly: { $ne: true } }] };
    const explain = await db.collection('posts').find(filter).project({ score: { $meta: 'textScore' } }).sort({ score: { $meta: 'textScore' }, _id: -1 }).limit(21).explain('executionStats');
    const stats = explain.executionStats as { totalKeysExamined: number; totalDocsExamined: number; nReturned: number };
    const inScope = await db.collection('posts').countDocuments(filter);
    const everywhere = await db.collection('posts').countDocuments({ $text: { $search: word } });
    searches.push({ word, keysExamined: stats.totalKeysExamined, docsExamined: stats.totalDocsExamined, nReturned: stats.nReturned, inScope, everywhere, plan: explain.queryPlanner.winningPlan.inputStage?.inputStage?.stage ?? explain.queryPlanner.winningPlan.stage });
  }
  const posts = await db.collection('posts').estimatedDocumentCount();
  for (const name of ['posts', 'groups', 'users']) await db.collection(name).dropIndex('search_text').catch(() => undefined);
  await client.close();
  await withText.engine.stop();
  const without = await start(dbpath!);
  await without.engine.stop();
  process.stdout.write(`${JSON.stringify({ posts, withText: { ms: withText.ms, heldBytes: withText.heldBytes }, without: { ms: without.ms, heldBytes: without.heldBytes }, searches })}\n`);
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack}\n`);
  process.exit(1);
});
