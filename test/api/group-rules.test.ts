// A group's rules: plain text set on creation and by the owner, bounded, refused with a 400 naming `rules`, and
// shown wherever the group is shown, exactly as its description is (a closed group's included).
import { expect } from 'chai';
import { Group } from '../../server/models/group';
import { addMember, buildGroup, idOf } from '../support/content';
import { resetDatabase } from '../support/database';
import { buildUser, type BuiltUser } from '../support/factories';
import { startTestForum, type TestForum } from '../support/forum';

const RULES = '1. Be kind.\n2. No patient data, ever.';

describe('groups: rules', () => {
  let forum: TestForum;
  let owner: BuiltUser, member: BuiltUser, moderator: BuiltUser, outsider: BuiltUser;

  before(async () => {
    await resetDatabase();
    forum = await startTestForum();
    [owner, member, moderator, outsider] = await Promise.all([buildUser(), buildUser(), buildUser(), buildUser()]);
  });
  after(() => forum.close());

  const create = (body: Record<string, unknown>) => forum.http.post('/api/groups').set(owner.auth).send({ name: 'Clinic talk', visibility: 'public', ...body });

  it('requires a token', async () => {
    await forum.http.post('/api/groups').send({ name: 'x', visibility: 'public', rules: RULES }).expect(401);
  });

  it('is set on creation (empty when not given), keeping its lines', async () => {
    expect((await create({ rules: `  ${RULES}\r\n` }).expect(201)).body.rules).to.equal(RULES);
    expect((await create({}).expect(201)).body.rules).to.equal('');
  });

  it('is changed by the owner; group moderators, members and outsiders cannot change it', async () => {
    const group = await buildGroup({ owner, visibility: 'public' });
    await addMember(group, moderator, 'member', 'moderator');
    await addMember(group, member);
    const patch = (who: BuiltUser, rules: string) => forum.http.patch(`/api/groups/${idOf(group)}`).set(who.auth).send({ rules });
    expect((await patch(owner, RULES).expect(200)).body).to.deep.include({ rules: RULES, description: group.description });
    await patch(moderator, 'Anything goes').expect(403);
    await patch(member, 'Anything goes').expect(403);
    await patch(outsider, 'Anything goes').expect(403);
    expect((await Group.findById(group._id).lean())!.rules).to.equal(RULES);
    expect((await patch(owner, '').expect(200)).body.rules).to.equal('');
  });

  it('refuses rules that are too long, not text or hold markup, with a 400 naming rules, and stores nothing', async () => {
    const group = await buildGroup({ owner, visibility: 'public' });
    for (const bad of ['x'.repeat(4001), 5, null, '<script>alert(1)</script>', 'bad\u0007bell', 'a\u202eb']) {
      const created = await create({ name: `Refused ${String(bad).length}`, rules: bad }).expect(400);
      expect(created.body.error.field, JSON.stringify(bad)).to.equal('rules');
      const changed = await forum.http.patch(`/api/groups/${idOf(group)}`).set(owner.auth).send({ rules: bad }).expect(400);
      expect(changed.body.error.field).to.equal('rules');
    }
    expect(await Group.exists({ name: /^Refused/ })).to.equal(null);
    expect((await Group.findById(group._id).lean())!.rules).to.equal('');
    await create({ rules: 'x'.repeat(4000) }).expect(201);
  });

  it('as an outsider of a closed group I see its rules exactly where and as I see its description', async () => {
    const closed = await buildGroup({ owner, visibility: 'closed', joinPolicy: 'request' });
    await forum.http.patch(`/api/groups/${idOf(closed)}`).set(owner.auth).send({ description: 'For ward staff', rules: RULES }).expect(200);

    const single = await forum.http.get(`/api/groups/${idOf(closed)}`).set(outsider.auth).expect(200);
    expect(single.body).to.deep.include({ description: 'For ward staff', rules: RULES, myStatus: 'none' });
    const listed = await forum.http.get('/api/groups?limit=50').set(outsider.auth).expect(200);
    const entry = (listed.body.items as { id: string; description: string; rules: string }[]).find((item) => item.id === idOf(closed));
    expect(entry).to.deep.include({ description: 'For ward staff', rules: RULES });
    // The posts stay closed: rules are about the group, not its content.
    await forum.http.get(`/api/groups/${idOf(closed)}/posts`).set(outsider.auth).expect(404);
    // Visitors see no group at all.
    await forum.http.get(`/api/groups/${idOf(closed)}`).expect(401);
  });
});
