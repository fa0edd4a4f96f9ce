import { Types } from 'mongoose';
import { readCache } from '../server/services/read-cache';
import { readableGroupIds, readablePostsIn } from '../server/policy';
async function main() {
  const pub = Array.from({ length: 160 }, () => new Types.ObjectId());
  const mine = Array.from({ length: 30 }, () => new Types.ObjectId());
  const uid = new Types.ObjectId();
  await readCache.publicGroups.get('all', async () => pub);
  await readCache.memberships.get(String(uid), async () => new Map(mine.map((g) => [String(g), { groupId: g, status: 'member' as const, role: 'member' as const }])));
  const viewer = { _id: uid, roles: [] } as any;
  for (let round = 0; round < 3; round++) {
    const c0 = process.cpuUsage(); const n = 50_000;
    for (let i = 0; i < n; i++) { const ids = await readableGroupIds(viewer); await readablePostsIn(viewer, ids); }
    const c = process.cpuUsage(c0); console.log(((c.user + c.system) / n).toFixed(2), 'µs per readableGroupIds+readablePostsIn');
  }
  process.exit(0);
}
main();
