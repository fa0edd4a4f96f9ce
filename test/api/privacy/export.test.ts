// GET /api/me/export: one of everything the forum holds about the caller appears in it, and nothing
// private about anyone else does, even people who replied to or liked the caller's posts.
import { expect } from 'chai';
import type { Response } from 'superagent';
import { Types } from 'mongoose';
import { Like } from '../../../server/models/like';
import { Post } from '../../../server/models/post';
import { User, type UserFields } from '../../../server/models/user';
import { viewerFromUser } from '../../../server/policy/viewer';
import { sendMarketing } from '../../../server/services/marketing';
import { addMember, buildGroup, buildPost, samplePng } from '../../support/content';
import { resetDatabase } from '../../support/database';
import { buildUser, uniqueEmail, type BuiltUser } from '../../support/factories';
import { ForumApi } from '../../support/forum-api';
import { startTestForum, type TestForum } from '../../support/forum';

interface ExportDoc {
  schema: string;
  exportedAt: string;
  account: Record<string, unknown> & { avatar: { url: string; smallUrl: string } | null };
  pendingEmailChange: { newEmail: string } | null;
  consents: { kind: string; channel: string | null; value: unknown; source: string; at: string }[];
  memberships: { group: { id: string; name: string; visibility: string }; status: string; role: string | null }[];
  posts: {
    id: string;
    body: string;
    parentId: string | null;
    images: { url: string; thumbnailUrl: string }[];
    likeCount: number;
    replyCount: number;
    moderation: { hiddenAt: string; reason: string | null } | null;
    revisions: { body: string }[];
  }[];
  likes: { postId: string; groupId: string; likedAt: string }[];
  messages: { kind: string; to: string; subject: string }[];
  reportsFiled: { postId: string; reason: string; status: string }[];
  moderationActions: { action: string; postId: string | null; reason: string | null }[];
  disclosures: { reference: string; recipient: string; legalBasis: string }[];
}

/** supertest would parse JSON itself; the test reads the raw text to search it for other people's data. */
function textParser(response: Response, done: (error: Error | null, body: string) => void): void {
  let text = '';
  response.setEncoding('utf8');
  response.on('data', (chunk: string) => (text += chunk));
  response.on('end', () => done(null, text));
}

async function exportOf(forum: TestForum, user: BuiltUser): Promise<{ raw: string; doc: ExportDoc }> {
  const res = await forum.http
    .get('/api/me/export')
    .set(user.auth)
    .buffer(true)
    .parse(textParser);
  expect(res.status).to.equal(200);
  return { raw: res.body as string, doc: JSON.parse(res.body as string) as ExportDoc };
}

describe('data export: GET /api/me/export', () => {
  let forum: TestForum;
  let me: BuiltUser;
  let other: BuiltUser;
  let raw: string;
  let doc: ExportDoc;
  const ids: Record<string, string> = {};

  before(async function () {
    this.timeout(60_000);
    await resetDatabase();
    forum = await startTestForum({ publicUrl: 'https://forum.example' });

    // Registered through the API so the ledger holds the terms consent as in real life.
    const email = uniqueEmail('exporter');
    const registered = await new ForumApi(forum.http).register({ email, password: 'a long enough password', name: 'Ada Exporter', dateOfBirth: '1985-02-03' });
    const auth = registered.auth;
    const user = (await User.findById(registered.id).lean<UserFields>())!;
    me = { user, token: registered.token, viewer: viewerFromUser(user), password: 'a long enough password', auth };
    other = await buildUser({ name: 'Bea Private-Other', dateOfBirth: '1977-07-07', bio: 'other bio' });

    await forum.http.patch('/api/me').set(auth).send({ displayName: 'Ada', bio: 'my bio' }).expect(200);
    await forum.http.put('/api/me/avatar').set(auth).attach('image', await samplePng(), 'me.png').expect(200);
    await forum.http.put('/api/me/preferences').set(auth).send({ email: true, sms: false, whatsapp: true, phone: false, post: false }).expect(200);
    await forum.http.put('/api/me/restriction').set(auth).send({ restricted: true }).expect(200);
    await forum.http.put('/api/me/restriction').set(auth).send({ restricted: false }).expect(200);

    const publicGroup = await buildGroup({ owner: other, name: 'Open Square' });
    const closedGroup = await buildGroup({ owner: other, visibility: 'closed', name: 'Back Room' });
    const pendingGroup = await buildGroup({ owner: other, visibility: 'closed', name: 'Waiting Room' });
    const ownGroup = await buildGroup({ owner: me, name: 'My Own Group' });
    await addMember(publicGroup, me);
    await addMember(closedGroup, me);
    await addMember(pendingGroup, me, 'pending');
    await addMember(ownGroup, other);
    ids.closedGroup = String(closedGroup._id);

    const top = await forum.http.post(`/api/groups/${publicGroup._id}/posts`).set(auth).send({ body: '<p>first version</p>' }).expect(201);
    ids.top = top.body.id;
    await forum.http.patch(`/api/posts/${ids.top}`).set(auth).send({ body: '<p>second version</p>' }).expect(200);
    const closedPost = await forum.http
      .post(`/api/groups/${closedGroup._id}/posts`)
      .set(auth)
      .field('body', '<p>closed group words</p>')
      .attach('images', await samplePng(), 'photo.png')
      .expect(201);
    ids.closedPost = closedPost.body.id;
    const othersPost = await buildPost({ group: publicGroup, author: other, body: '<p>Bea writes secret-ish things</p>' });
    ids.othersPost = String(othersPost._id);
    const reply = await forum.http.post(`/api/groups/${publicGroup._id}/posts`).set(auth).send({ body: '<p>my reply</p>', parentId: ids.othersPost }).expect(201);
    ids.reply = reply.body.id;
    const hidden = await forum.http.post(`/api/groups/${publicGroup._id}/posts`).set(auth).send({ body: '<p>hidden words</p>' }).expect(201);
    ids.hidden = hidden.body.id;
    await forum.http.put(`/api/posts/${ids.othersPost}/like`).set(auth).expect(200);
    await forum.http.post(`/api/posts/${ids.othersPost}/reports`).set(auth).send({ reason: 'looks like spam to me' }).expect(201);

    // Moderation of my content: a hide, a disclosure I am told about and one whose notice is withheld.
    const moderator = await buildUser({ roles: ['moderator'] });
    await forum.http.post(`/api/mod/posts/${ids.hidden}/hide`).set(moderator.auth).send({ reason: 'off topic' }).expect(200);
    const hold = await forum.http
      .post('/api/mod/holds')
      .set(moderator.auth)
      .send({ scope: { type: 'post', id: ids.top }, reason: 'court order', reference: 'CASE-1' })
      .expect(201);
    await forum.http
      .post('/api/mod/disclosures')
      .set(moderator.auth)
      .send({ holdId: hold.body.id, legalBasis: 'court order 12/3', reference: 'TOLD-REF', recipient: 'District Court', notifyUser: true })
      .expect(201);
    await forum.http
      .post('/api/mod/disclosures')
      .set(moderator.auth)
      .send({ holdId: hold.body.id, legalBasis: 'secret', reference: 'WITHHELD-REF', recipient: 'Agency', notifyUser: false, withholdReason: 'ongoing inquiry' })
      .expect(201);

    // The other person replies to and likes my post: they must not appear in my export.
    await buildPost({ group: publicGroup, author: other, parent: { _id: new Types.ObjectId(ids.top) }, body: '<p>Bea replies privately-ish</p>' });
    await forum.http.put(`/api/posts/${ids.top}/like`).set(other.auth).expect(200);

    await sendMarketing(forum.ctx, [me.user._id], { subject: 'Newsletter', text: 'News.', channel: 'email' });
    await forum.http.put('/api/me/email').set(auth).send({ email: 'ada.next@example.org', password: me.password }).expect(202);
    // Last, so the messages above stay in English.
    await forum.http.patch('/api/me').set(auth).send({ language: 'ar' }).expect(200);

    const res = await forum.http.get('/api/me/export').set(auth).buffer(true).parse(textParser);
    expect(res.status).to.equal(200);
    expect(res.headers['content-type']).to.match(/^application\/json/);
    expect(res.headers['content-disposition']).to.match(/^attachment; filename="forum-export-\d{4}-\d{2}-\d{2}\.json"$/);
    expect(res.headers['cache-control']).to.equal('no-store');
    // Written piece by piece, so the length is not known up front.
    expect(res.headers['transfer-encoding']).to.equal('chunked');
    expect(res.headers['set-cookie']).to.equal(undefined);
    raw = res.body as string;
    doc = JSON.parse(raw) as ExportDoc;
  });
  after(() => forum.close());

  it('requires a token', async () => {
    await forum.http.get('/api/me/export').expect(401);
  });

  it('declares its schema version', () => {
    expect(doc.schema).to.equal('forum-export/1');
    expect(Date.parse(doc.exportedAt)).to.be.a('number');
  });

  it('holds the profile and every private field', () => {
    expect(doc.account).to.include({ email: me.user.email, name: 'Ada Exporter', displayName: 'Ada', bio: 'my bio', dateOfBirth: '1985-02-03', isMember: false });
    expect(doc.account.preferences).to.deep.equal({ email: true, sms: false, whatsapp: true, phone: false, post: false });
    expect(doc.account.restricted).to.equal(false);
    expect(doc.account.language).to.equal('ar');
    expect(doc.account).to.not.have.property('passwordHash');
  });

  it('lists the avatar with URLs the caller can download', async () => {
    expect(doc.account.avatar!.url).to.match(/^https:\/\/forum\.example\/media\/avatars\/[a-f0-9]{32}-512\.webp$/);
    await forum.http.get(doc.account.avatar!.url.replace('https://forum.example', '')).expect(200);
    await forum.http.get(doc.account.avatar!.smallUrl.replace('https://forum.example', '')).expect(200);
  });

  it('holds the consent ledger: terms, each preference change and each restriction change', () => {
    const summary = doc.consents.map((entry) => [entry.kind, entry.channel, entry.value, entry.source]);
    expect(summary).to.deep.include.members([
      ['terms', null, '2025-01', 'registration'],
      ['preference', 'email', true, 'settings'],
      ['preference', 'whatsapp', true, 'settings'],
      ['restriction', null, true, 'settings'],
      ['restriction', null, false, 'settings'],
    ]);
    for (const entry of doc.consents) expect(Date.parse(entry.at)).to.be.a('number');
  });

  it('holds every membership with its status and role, closed and pending ones included', () => {
    const summary = doc.memberships.map((row) => [row.group.name, row.status, row.role]);
    expect(summary).to.have.deep.members([
      ['Open Square', 'member', 'member'],
      ['Back Room', 'member', 'member'],
      ['Waiting Room', 'pending', null],
      ['My Own Group', 'member', 'owner'],
    ]);
  });

  it('holds every post and reply with its revisions, closed-group and hidden ones included', () => {
    const byId = new Map(doc.posts.map((post) => [post.id, post]));
    expect([...byId.keys()]).to.have.members([ids.top, ids.closedPost, ids.reply, ids.hidden]);
    expect(byId.get(ids.top)!.body).to.equal('<p>second version</p>');
    expect(byId.get(ids.top)!.revisions.map((revision) => revision.body)).to.deep.equal(['<p>first version</p>']);
    expect(byId.get(ids.top)!.likeCount).to.equal(1);
    expect(byId.get(ids.top)!.replyCount).to.equal(1);
    expect(byId.get(ids.reply)!.parentId).to.equal(ids.othersPost);
    expect(byId.get(ids.hidden)!.moderation).to.include({ reason: 'off topic' });
    expect(byId.get(ids.closedPost)!.body).to.equal('<p>closed group words</p>');
  });

  it('lists closed-group post images with signed URLs the caller can download', async () => {
    const [image] = doc.posts.find((post) => post.id === ids.closedPost)!.images;
    expect(image!.url).to.match(/^https:\/\/forum\.example\/media\/posts\/.+\?expires=\d+&signature=/);
    await forum.http.get(image!.url.replace('https://forum.example', '')).expect(200);
    await forum.http.get(image!.thumbnailUrl.replace('https://forum.example', '')).expect(200);
  });

  it('holds the likes, the messages sent to the caller and the pending e-mail change', () => {
    expect(doc.likes.map((like) => like.postId)).to.deep.equal([ids.othersPost]);
    expect(doc.messages.map((message) => [message.kind, message.subject])).to.deep.include.members([
      ['marketing', 'Newsletter'],
      ['transactional', 'Confirm your new e-mail address'],
    ]);
    expect(doc.pendingEmailChange!.newEmail).to.equal('ada.next@example.org');
  });

  it('holds the reports I filed, what moderators did to my content, and the disclosures I was told about', () => {
    expect(doc.reportsFiled.map((report) => [report.postId, report.reason, report.status])).to.deep.equal([[ids.othersPost, 'looks like spam to me', 'open']]);
    expect(doc.moderationActions.map((action) => [action.action, action.postId, action.reason])).to.deep.equal([['hide', ids.hidden, 'off topic']]);
    expect(doc.disclosures.map((disclosure) => [disclosure.reference, disclosure.recipient])).to.deep.equal([['TOLD-REF', 'District Court']]);
    expect(raw).to.not.contain('WITHHELD-REF');
    expect(raw).to.not.contain('ongoing inquiry');
  });

  it('never contains anything private of the person who replied to and liked my posts, nor their id or words', () => {
    for (const secret of [other.user.email, other.user.name, other.user.dateOfBirth, String(other.user._id), 'other bio', 'Bea replies', 'Bea writes']) {
      expect(raw, secret).to.not.contain(secret);
    }
  });
});

describe('data export of a long history', () => {
  let forum: TestForum;
  before(async () => {
    await resetDatabase();
    forum = await startTestForum();
  });
  after(() => forum.close());

  it('streams every post and like exactly once across batch boundaries', async function () {
    this.timeout(60_000);
    const me = await buildUser();
    const group = await buildGroup({ owner: me });
    const posts = await Post.insertMany(
      Array.from({ length: 450 }, (_, i) => ({ groupId: group._id, authorId: me.user._id, body: `<p>post ${i}</p>`, bodyText: `post ${i}` })),
    );
    await Like.insertMany(posts.slice(0, 250).map((post) => ({ postId: post._id, userId: me.user._id, groupId: group._id })));
    const { doc } = await exportOf(forum, me);
    expect(doc.posts.map((post) => post.id)).to.deep.equal(posts.map((post) => String(post._id)));
    expect(doc.likes.map((like) => like.postId)).to.deep.equal(posts.slice(0, 250).map((post) => String(post._id)));
  });
});
