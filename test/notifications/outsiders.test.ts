// The outsider matrix: for every notification type, a non-member, a removed member, a member of another
// group and an anonymous visitor never receive it (REST list, unread count, socket), while the person it is
// for receives exactly one. Each outsider is made a would-be recipient wherever an action can name them.
import { expect } from 'chai';
import { NOTIFICATION_TYPES, type NotificationType } from '../../shared/notifications';
import { Report } from '../../server/models/report';
import { Membership } from '../../server/models/membership';
import { readCache } from '../../server/services/read-cache';
import { addMember, buildGroup, buildPost, idOf } from '../support/content';
import { resetDatabase } from '../support/database';
import { buildUser, type BuiltUser } from '../support/factories';
import { startTestForum, type TestForum } from '../support/forum';
import { SocketPool, type Recorder } from '../support/sockets';

describe('notifications: the outsider matrix', function () {
  this.timeout(120_000);
  let forum: TestForum;
  const pool = new SocketPool();
  const people: Record<string, BuiltUser> = {};
  const recorders: Record<string, Recorder> = {};
  let visitor: Recorder;

  const OUTSIDERS = ['nonMember', 'removed', 'otherMember'] as const;
  /** Who must receive exactly one of each type; everyone else none. */
  const EXPECTED: Record<NotificationType, Record<string, number>> = {
    reply: { member: 1 },
    mention: { member: 1 },
    like: { member: 1 },
    join_request: { owner: 1, groupMod: 1 },
    join_approved: { applicant: 1 },
    invited: { invitee: 1 },
    post_hidden: { member: 1 },
    post_restored: { member: 1 },
    report_resolved: { member: 1 },
    role_changed: { member: 1 },
    disclosure: { member: 1 },
  };

  async function call(user: BuiltUser, method: 'post' | 'put', path: string, body: object = {}, status = 200) {
    const res = await forum.http[method](path).set(user.auth).send(body);
    expect(res.status, `${method} ${path}: ${res.text}`).to.equal(status);
    return res.body;
  }

  before(async () => {
    await resetDatabase();
    forum = await startTestForum();
    await forum.startListening();
    for (const name of ['owner', 'groupMod', 'member', 'removed', 'nonMember', 'otherMember', 'otherOwner', 'applicant', 'invitee']) {
      people[name] = await buildUser({ displayName: `${name} person` });
    }
    people.admin = await buildUser({ roles: ['admin', 'moderator'] });
    const group = await buildGroup({ owner: people.owner!, visibility: 'closed' });
    await addMember(group, people.groupMod!, 'member', 'moderator');
    await addMember(group, people.member!);
    await addMember(group, people.removed!);
    const other = await buildGroup({ owner: people.otherOwner!, visibility: 'closed' });
    await addMember(other, people.otherMember!);
    for (const [name, user] of Object.entries(people)) recorders[name] = (await pool.open(forum.url, { token: user.token })).recorder;
    visitor = (await pool.open(forum.url)).recorder;

    const G = idOf(group);
    const { owner, groupMod, member, removed, nonMember, otherMember, applicant, invitee, admin } = people as Record<string, BuiltUser>;
    // Written while the removed member was still in: their posts and their report stay behind.
    const removedPost = await buildPost({ group, author: removed! });
    const removedPost2 = await buildPost({ group, author: removed! });
    const memberPost = await buildPost({ group, author: member! });
    const memberPost2 = await buildPost({ group, author: member! });
    const ownerPost = await buildPost({ group, author: owner! });
    await Report.create({ postId: ownerPost._id, groupId: group._id, authorId: owner!.user._id, reporterId: removed!.user._id, reason: 'spam' });
    await Membership.updateOne({ groupId: group._id, userId: removed!.user._id }, { $set: { status: 'removed' } });
    readCache.apply({ type: 'membership.changed', groupId: G, userId: String(removed!.user._id) });

    const mention = (user: BuiltUser) => `<a data-mention="${String(user.user._id)}">@someone</a>`;
    // mention
    await call(owner!, 'post', `/api/groups/${G}/posts`, { body: `<p>${[member, removed, nonMember, otherMember].map((u) => mention(u!)).join(' ')}</p>` }, 201);
    // reply
    await call(owner!, 'post', `/api/groups/${G}/posts`, { body: '<p>reply</p>', parentId: idOf(memberPost) }, 201);
    await call(owner!, 'post', `/api/groups/${G}/posts`, { body: '<p>reply</p>', parentId: idOf(removedPost) }, 201);
    // like
    await call(owner!, 'put', `/api/posts/${idOf(memberPost)}/like`);
    await call(owner!, 'put', `/api/posts/${idOf(removedPost)}/like`);
    // join_request, join_approved
    await call(applicant!, 'post', `/api/groups/${G}/join`);
    await call(owner!, 'post', `/api/groups/${G}/members/${String(applicant!.user._id)}/approve`);
    // invited
    await call(owner!, 'post', `/api/groups/${G}/invites`, { userId: String(invitee!.user._id) }, 201);
    // post_hidden, post_restored
    for (const post of [memberPost2, removedPost2]) {
      await call(groupMod!, 'post', `/api/mod/posts/${idOf(post)}/hide`, { reason: 'off topic' });
      await call(groupMod!, 'post', `/api/mod/posts/${idOf(post)}/restore`, {});
    }
    // report_resolved: the member's report and the removed member's are closed by one dismissal
    const filed = await call(member!, 'post', `/api/posts/${idOf(ownerPost)}/reports`, { reason: 'rude' }, 201);
    await call(groupMod!, 'post', `/api/mod/reports/${filed.id}/dismiss`, { reason: 'fine as it is' }, 204);
    // role_changed
    await call(owner!, 'put', `/api/groups/${G}/members/${String(member!.user._id)}/role`, { role: 'moderator' });
    // disclosure
    // (A post's hold takes its replies too, whose authors would be told as well: this post has none.)
    const hold = await call(admin!, 'post', '/api/mod/holds', { scope: { type: 'post', id: idOf(memberPost2) }, reason: 'court order', reference: 'case 1' }, 201);
    await call(admin!, 'post', '/api/mod/disclosures', { holdId: hold.id, legalBasis: 'court order', reference: 'case 1', recipient: 'the court', notifyUser: true }, 201);
    await forum.realtime.idle();
  });
  after(async () => {
    pool.closeAll();
    await forum.close();
  });

  async function listOf(user: BuiltUser) {
    const res = await forum.http.get('/api/notifications?limit=50').set(user.auth);
    expect(res.status).to.equal(200);
    return res.body.items as Array<{ type: NotificationType; post: { excerpt: string } | null; reason: string | null }>;
  }

  for (const type of NOTIFICATION_TYPES) {
    it(`${type}: exactly one for ${Object.keys(EXPECTED[type]).join(' and ')}, none for anyone else, through every door`, async () => {
      for (const [name, user] of Object.entries(people)) {
        const expected = EXPECTED[type][name] ?? 0;
        const listed = (await listOf(user)).filter((n) => n.type === type);
        expect(listed, `${name}: REST list`).to.have.length(expected);
        const live = recorders[name]!.find('notification:new', (p) => p.type === type);
        expect(live, `${name}: socket`).to.have.length(expected);
      }
      expect(visitor.received, 'visitor socket').to.deep.equal([]);
    });
  }

  it('counts nothing for outsiders, on REST and on their sockets', async () => {
    for (const name of OUTSIDERS) {
      const res = await forum.http.get('/api/notifications/unread-count').set(people[name]!.auth);
      expect(res.body, name).to.deep.equal({ count: 0 });
      expect(recorders[name]!.find('notification:count', (p) => p.count !== 0), name).to.deep.equal([]);
    }
    const member = await forum.http.get('/api/notifications/unread-count').set(people.member!.auth);
    expect(member.body.count).to.equal(8);
    const counts = recorders.member!.find('notification:count', () => true);
    expect(counts[counts.length - 1]!.payload).to.deep.equal({ count: 8 });
  });

  it('tells the hidden post’s author the moderator’s reason, and the reporter only that it was dismissed', async () => {
    const items = await listOf(people.member!);
    expect(items.find((n) => n.type === 'post_hidden')!.reason).to.equal('off topic');
    const resolved = items.find((n) => n.type === 'report_resolved')!;
    expect(resolved.reason).to.equal('dismissed');
    expect(resolved).to.have.property('actor', null);
  });
});
