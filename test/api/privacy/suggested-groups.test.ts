// GET /api/me/suggested-groups: public groups I am not in, largest first, computed from nobody's
// memberships but mine, and switched off by restriction.
import { expect } from 'chai';
import type { Group } from '../../../shared/api';
import type { GroupFields } from '../../../server/models/group';
import { addMember, buildGroup } from '../../support/content';
import { resetDatabase } from '../../support/database';
import { buildUser, type BuiltUser } from '../../support/factories';
import { startTestForum, type TestForum } from '../../support/forum';

describe('suggested groups: GET /api/me/suggested-groups', () => {
  let forum: TestForum;
  let me: BuiltUser;
  let large: GroupFields;

  before(async () => {
    await resetDatabase();
    forum = await startTestForum();
    me = await buildUser();
    large = await buildGroup({ owner: await buildUser(), name: 'Large' });
    for (let i = 0; i < 3; i++) await addMember(large, await buildUser());
    const small = await buildGroup({ owner: await buildUser(), name: 'Small' });
    await addMember(small, await buildUser());
    const closed = await buildGroup({ owner: await buildUser(), visibility: 'closed', name: 'Closed one' });
    for (let i = 0; i < 5; i++) await addMember(closed, await buildUser());
    const joined = await buildGroup({ owner: await buildUser(), name: 'Already mine' });
    for (let i = 0; i < 5; i++) await addMember(joined, await buildUser());
    await addMember(joined, me);
    await buildGroup({ owner: await buildUser(), name: 'Just the owner' });
  });
  after(() => forum.close());

  const names = async (user: BuiltUser) =>
    ((await forum.http.get('/api/me/suggested-groups').set(user.auth).expect(200)).body.items as Group[]).map((group) => group.name);

  it('requires a token', async () => {
    await forum.http.get('/api/me/suggested-groups').expect(401);
  });

  it('lists public groups I am not in, most members first', async () => {
    expect(await names(me)).to.deep.equal(['Large', 'Small', 'Just the owner']);
  });

  it('never suggests a closed group, a group I am in, or one where I am pending', async () => {
    await addMember(large, me, 'pending');
    expect(await names(me)).to.deep.equal(['Small', 'Just the owner']);
  });

  it('is empty for a restricted account', async () => {
    await forum.http.put('/api/me/restriction').set(me.auth).send({ restricted: true }).expect(200);
    expect(await names(me)).to.deep.equal([]);
    await forum.http.put('/api/me/restriction').set(me.auth).send({ restricted: false }).expect(200);
    expect(await names(me)).to.deep.equal(['Small', 'Just the owner']);
  });
});
