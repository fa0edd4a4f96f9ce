// The notifications API: the list, the unread count and marking read, for the recipient only and only
// while they may see what each notification is about.
import { expect } from 'chai';
import { Consent } from '../../server/models/consent';
import { Notification } from '../../server/models/notification';
import { resetDatabase } from '../support/database';
import { buildUser, type BuiltUser } from '../support/factories';
import { ForumApi } from '../support/forum-api';
import { startTestForum, type TestForum } from '../support/forum';

describe('notifications API', () => {
  let forum: TestForum;
  let api: ForumApi;

  before(async () => {
    await resetDatabase();
    forum = await startTestForum({ notificationRetentionDays: 7 });
    api = new ForumApi(forum.http);
  });
  after(() => forum.close());

  async function list(user: BuiltUser, query = '') {
    const res = await forum.http.get(`/api/notifications${query}`).set(user.auth);
    expect(res.status, res.text).to.equal(200);
    return res.body as { items: Array<Record<string, any>>; nextCursor: string | null };
  }
  async function count(user: BuiltUser): Promise<number> {
    const res = await forum.http.get('/api/notifications/unread-count').set(user.auth);
    expect(res.status, res.text).to.equal(200);
    return res.body.count as number;
  }

  it('requires a token on every route', async () => {
    for (const [method, path] of [
      ['get', '/api/notifications'],
      ['get', '/api/notifications/unread-count'],
      ['post', '/api/notifications/read'],
      ['get', '/api/me/notification-settings'],
      ['put', '/api/me/notification-settings'],
      ['get', '/api/groups/0123456789abcdef01234567/mentionable'],
    ] as const) {
      const res = await forum.http[method](path);
      expect(res.status, `${method} ${path}`).to.equal(401);
    }
  });

  it('tells an author of a reply once, with the reply excerpt and its thread, and nobody of their own reply', async () => {
    const [author, replier, bystander] = await Promise.all([buildUser(), buildUser(), buildUser()]);
    const group = await api.createGroup(author, 'public');
    await api.join(replier, group.id);
    await api.join(bystander, group.id);
    const post = await api.post(author, group.id, '<p>First post</p>');
    const reply = await api.post(replier, group.id, '<p>A <strong>thoughtful</strong> answer</p>', post.id);
    await api.post(author, group.id, '<p>my own reply</p>', post.id);

    const { items } = await list(author);
    expect(items).to.have.length(1);
    expect(items[0]).to.deep.include({ type: 'reply', readAt: null, actorCount: 1, reason: null });
    expect(items[0]!.actor.id).to.equal(String(replier.user._id));
    expect(items[0]!.actor).to.have.keys(['id', 'displayName', 'avatarUrl', 'bio', 'joinedAt']);
    expect(items[0]!.post).to.deep.equal({ id: reply.id, groupId: group.id, parentId: post.id, excerpt: 'A thoughtful answer' });
    expect(items[0]!.group).to.deep.equal({ id: group.id, name: group.name });
    expect(await count(author)).to.equal(1);
    expect((await list(replier)).items).to.have.length(0);
    expect((await list(bystander)).items).to.have.length(0);
  });

  it('marks some or all read for the caller only, and read ones expire after the retention period', async () => {
    const [author, other, replier] = await Promise.all([buildUser(), buildUser(), buildUser()]);
    const group = await api.createGroup(author, 'public');
    await Promise.all([api.join(other, group.id), api.join(replier, group.id)]);
    const mine = await api.post(author, group.id);
    const theirs = await api.post(other, group.id);
    for (let i = 0; i < 3; i++) await api.post(replier, group.id, `<p>reply ${i}</p>`, mine.id);
    await api.post(replier, group.id, '<p>to other</p>', theirs.id);
    const otherItems = (await list(other)).items;
    const items = (await list(author)).items;
    expect(items).to.have.length(3);

    // Someone else's id in the list changes nothing of theirs.
    const marked = await forum.http.post('/api/notifications/read').set(author.auth).send({ ids: [items[0]!.id, otherItems[0]!.id] });
    expect(marked.status, marked.text).to.equal(200);
    expect(marked.body).to.deep.equal({ count: 2 });
    expect(await count(other)).to.equal(1);
    expect((await list(author, '?unread=true')).items.map((n) => n.id)).to.deep.equal([items[1]!.id, items[2]!.id]);

    const stored = await Notification.findById(items[0]!.id).lean();
    const days = (stored!.expiresAt!.getTime() - stored!.readAt!.getTime()) / 86_400_000;
    expect(days).to.equal(7);
    const indexes = await Notification.collection.indexes();
    expect(indexes.find((index) => index.key.expiresAt === 1)?.expireAfterSeconds).to.equal(0);

    const all = await forum.http.post('/api/notifications/read').set(author.auth).send({ all: true });
    expect(all.body).to.deep.equal({ count: 0 });
    expect(await count(other)).to.equal(1);
    expect((await list(author)).items.every((n) => n.readAt !== null)).to.equal(true);
  });

  it('pages newest first with a cursor', async () => {
    const [author, replier] = await Promise.all([buildUser(), buildUser()]);
    const group = await api.createGroup(author, 'public');
    await api.join(replier, group.id);
    const post = await api.post(author, group.id);
    const replies = [];
    for (let i = 0; i < 5; i++) replies.push(await api.post(replier, group.id, `<p>r${i}</p>`, post.id));
    const first = await list(author, '?limit=2');
    const second = await list(author, `?limit=2&cursor=${first.nextCursor}`);
    const third = await list(author, `?limit=2&cursor=${second.nextCursor}`);
    expect([...first.items, ...second.items, ...third.items].map((n) => n.post.id)).to.deep.equal(replies.reverse().map((r) => r.id));
    expect(third.nextCursor).to.equal(null);
  });

  it('refuses bad input with a 400 naming the field', async () => {
    const user = await buildUser();
    const cases: Array<[string, string, unknown, string]> = [
      ['get', '/api/notifications?limit=0', undefined, 'limit'],
      ['get', '/api/notifications?limit=51', undefined, 'limit'],
      ['get', '/api/notifications?cursor=abc', undefined, 'cursor'],
      ['get', '/api/notifications?unread=yes', undefined, 'unread'],
      ['post', '/api/notifications/read', {}, 'body'],
      ['post', '/api/notifications/read', { ids: [] }, 'body'],
      ['post', '/api/notifications/read', { ids: ['nope'] }, 'body'],
      ['post', '/api/notifications/read', { all: false }, 'body'],
      ['post', '/api/notifications/read', { ids: Array.from({ length: 101 }, () => '0123456789abcdef01234567') }, 'body'],
      ['put', '/api/me/notification-settings', { reply: { email: 'hourly' } }, 'reply.email'],
      ['put', '/api/me/notification-settings', { gossip: { inApp: true } }, 'body'],
      ['put', '/api/me/notification-settings', { like: { inApp: 'yes' } }, 'like.inApp'],
    ];
    for (const [method, path, body, field] of cases) {
      const req = method === 'get' ? forum.http.get(path) : method === 'post' ? forum.http.post(path) : forum.http.put(path);
      const res = await req.set(user.auth).send(body as object);
      expect(res.status, `${method} ${path} ${JSON.stringify(body)}: ${res.text}`).to.equal(400);
      expect(res.body.error.code).to.equal('invalid_input');
      expect(res.body.error.message, path).to.contain(field === 'body' ? '' : field);
    }
  });

  it('aggregates 100 concurrent likes into one notification with the right count', async function () {
    this.timeout(120_000);
    const author = await buildUser();
    const group = await api.createGroup(author, 'public');
    const post = await api.post(author, group.id);
    const likers = await Promise.all(Array.from({ length: 100 }, () => buildUser()));
    await Promise.all(likers.map((liker) => api.like(liker, post.id)));
    await api.like(author, post.id);
    const { items } = await list(author);
    expect(items).to.have.length(1);
    expect(items[0]).to.deep.include({ type: 'like', actorCount: 100 });
    expect(likers.map((l) => String(l.user._id))).to.include(items[0]!.actor.id);
    expect(await count(author)).to.equal(1);
    expect(await Notification.countDocuments({ recipientId: author.user._id })).to.equal(1);
  });

  it('makes a closed group’s notifications vanish from list and count when the recipient leaves it', async () => {
    const [owner, member, replier] = await Promise.all([buildUser(), buildUser(), buildUser()]);
    const group = await api.createGroup(owner, 'closed');
    await api.join(member, group.id);
    await api.join(replier, group.id);
    // Their join_approved stays visible to them as a member only too; cleared here to look at the reply alone.
    expect((await list(member)).items.map((n) => n.type)).to.deep.equal(['join_approved']);
    await forum.http.post('/api/notifications/read').set(member.auth).send({ all: true });
    const post = await api.post(member, group.id, '<p>closed thoughts</p>');
    await api.post(replier, group.id, '<p>closed reply</p>', post.id);
    expect(await count(member)).to.equal(1);
    expect((await list(member)).items[0]!.post.excerpt).to.equal('closed reply');

    await api.removeMember(member, group.id, String(member.user._id));
    expect(await count(member)).to.equal(0);
    expect((await list(member)).items).to.deep.equal([]);
    // Still stored: rejoining brings it back, as the policy allows again.
    expect(await Notification.countDocuments({ recipientId: member.user._id })).to.equal(2);
  });

  it('keeps e-mail off by default and records every change of it in the consent ledger', async () => {
    const user = await buildUser();
    const res = await forum.http.get('/api/me/notification-settings').set(user.auth);
    expect(res.status).to.equal(200);
    expect(Object.keys(res.body)).to.have.length(11);
    for (const setting of Object.values(res.body)) expect(setting).to.deep.equal({ inApp: true, email: 'off' });

    const put = await forum.http.put('/api/me/notification-settings').set(user.auth).send({ mention: { email: 'instant' }, like: { inApp: false } });
    expect(put.status, put.text).to.equal(200);
    expect(put.body.mention).to.deep.equal({ inApp: true, email: 'instant' });
    expect(put.body.like).to.deep.equal({ inApp: false, email: 'off' });
    const ledger = await Consent.find({ userId: user.user._id }).lean();
    expect(ledger.map((entry) => [entry.kind, entry.channel, entry.value])).to.deep.equal([['preference', 'notification_email:mention', 'instant']]);
  });

  it('creates nothing of a type the recipient turned off in the app', async () => {
    const [author, liker] = await Promise.all([buildUser(), buildUser()]);
    await forum.http.put('/api/me/notification-settings').set(author.auth).send({ like: { inApp: false } });
    const group = await api.createGroup(author, 'public');
    const post = await api.post(author, group.id);
    await api.join(liker, group.id);
    await api.like(liker, post.id);
    await api.post(liker, group.id, '<p>but replies still come</p>', post.id);
    expect((await list(author)).items.map((n) => n.type)).to.deep.equal(['reply']);
  });
});
