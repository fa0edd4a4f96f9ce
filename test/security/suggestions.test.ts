// Review item 2: suggested groups cannot single out one person's membership. The attack: create a group, get
// the target to join it, ask for suggestions and read the target's other groups off them (even one only the
// target belongs to). Whoever shares a group with the attacker, the attacker's suggestions are the same.
import { expect } from 'chai';
import type { Group } from '../../shared/api';
import type { GroupFields } from '../../server/models/group';
import { addMember, buildGroup } from '../support/content';
import { resetDatabase } from '../support/database';
import { buildUser, type BuiltUser } from '../support/factories';
import { startTestForum, type TestForum } from '../support/forum';

describe('security: suggestions reveal nobody’s memberships', () => {
  let forum: TestForum;
  let attacker: BuiltUser;
  let target: BuiltUser;
  let bait: GroupFields;

  before(async () => {
    await resetDatabase();
    forum = await startTestForum();
    [attacker, target] = await Promise.all([buildUser(), buildUser()]);
    bait = await buildGroup({ owner: attacker, visibility: 'public', name: 'Bait' });
    // The target's own small group, and the groups of a crowd the attacker can also recruit.
    await buildGroup({ owner: target, visibility: 'public', name: 'Only the target' });
    const crowd = await Promise.all([buildUser(), buildUser(), buildUser()]);
    const crowded = await buildGroup({ owner: crowd[0]!, visibility: 'public', name: 'Crowded' });
    for (const person of crowd.slice(1)) await addMember(crowded, person);
  });
  after(() => forum.close());

  const suggestions = async () =>
    ((await forum.http.get('/api/me/suggested-groups').set(attacker.auth).expect(200)).body.items as Group[]).map((group) => group.name);

  it('are the same whether or not the target (or anyone else) shares a group with the attacker', async () => {
    const alone = await suggestions();
    await addMember(bait, target);
    const withTarget = await suggestions();
    const sybils = await Promise.all([buildUser(), buildUser()]);
    for (const sybil of sybils) await addMember(bait, sybil);
    expect(withTarget).to.deep.equal(alone);
    expect(await suggestions()).to.deep.equal(alone);
  });
});
