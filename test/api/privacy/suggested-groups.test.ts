// GET /api/me/suggested-groups: the forum's only profiling, switched off by restriction.
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
  let friends: BuiltUser[];
  let popular: GroupFields;

  before(async () => {
    await resetDatabase();
    forum = await startTestForum();
    me = await buildUser();
    friends = [await buildUser(), await buildUser(), await buildUser()];
    const owner = await buildUser();
    const home = await buildGroup({ owner, visibility: 'closed' });
    await addMember(home, me);
    for (const friend of friends) await addMember(home, friend);
    popular = await buildGroup({ owner: await buildUser(), name: 'Popular with friends' });
    for (const friend of friends) await addMember(popular, friend);
    const lessPopular = await buildGroup({ owner: await buildUser(), name: 'One friend there' });
    await addMember(lessPopular, friends[0]!);
    const closed = await buildGroup({ owner: await buildUser(), visibility: 'closed', name: 'Closed one' });
    for (const friend of friends) await addMember(closed, friend);
    const joined = await buildGroup({ owner: await buildUser(), name: 'Already mine' });
    await addMember(joined, me);
    for (const friend of friends) await addMember(joined, friend);
    await buildGroup({ owner: await buildUser(), name: 'Nobody I know' });
  });
  after(() => forum.close());

  const names = async (user: BuiltUser) =>
    ((await forum.http.get('/api/me/suggested-groups').set(user.auth).expect(200)).body.items as Group[]).map((group) => group.name);

  it('requires a token', async () => {
    await forum.http.get('/api/me/suggested-groups').expect(401);
  });

  it('ranks public groups I am not in by how many people I share a group with are there', async () => {
    expect(await names(me)).to.deep.equal(['Popular with friends', 'One friend there']);
  });

  it('never suggests a closed group, a group I am in, or one where I am pending', async () => {
    await addMember(popular, me, 'pending');
    expect(await names(me)).to.deep.equal(['One friend there']);
  });

  it('is empty for a restricted account', async () => {
    await forum.http.put('/api/me/restriction').set(me.auth).send({ restricted: true }).expect(200);
    expect(await names(me)).to.deep.equal([]);
    await forum.http.put('/api/me/restriction').set(me.auth).send({ restricted: false }).expect(200);
    expect(await names(me)).to.deep.equal(['One friend there']);
  });

  it('does not use a restricted person to profile others', async () => {
    await forum.http.put('/api/me/restriction').set(friends[0]!.auth).send({ restricted: true }).expect(200);
    expect(await names(me)).to.deep.equal([]);
    await forum.http.put('/api/me/restriction').set(friends[0]!.auth).send({ restricted: false }).expect(200);
  });
});
