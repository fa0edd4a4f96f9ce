// Notification e-mails over real SMTP: off until the person turns them on, instant or a daily digest, never
// to restricted, suppressed or unsubscribed people, never about what the recipient may not see, and each
// with a one-click opt-out for its type.
import { expect } from 'chai';
import { Types } from 'mongoose';
import { Consent } from '../../server/models/consent';
import { Outbox } from '../../server/models/outbox';
import { addressHash, suppressAddressHash } from '../../server/services/suppression';
import { addMember, buildGroup, buildPost, idOf } from '../support/content';
import { resetDatabase } from '../support/database';
import { buildUser, type BuiltUser } from '../support/factories';
import type { TestForum } from '../support/forum';
import { sentTo, type ReceivedMail, type TestSmtpServer } from '../support/smtp';
import { startSmtpForum, type SmtpForum } from '../support/smtp-forum';

describe('notification e-mails', function () {
  this.timeout(60_000);
  let env: SmtpForum;
  let smtp: TestSmtpServer;
  let forum: TestForum;

  before(async () => {
    await resetDatabase();
    // Long enough for the digest test's steps on a loaded machine; the digest waits for all of them.
    env = await startSmtpForum({ notificationDigest: { delayMs: 4_000, pollMs: 100 } });
    ({ smtp, forum } = env);
  });
  after(() => env.close());

  async function setEmail(user: BuiltUser, settings: Record<string, { email: string }>) {
    const res = await forum.http.put('/api/me/notification-settings').set(user.auth).send(settings);
    expect(res.status, res.text).to.equal(200);
  }
  async function reply(replier: BuiltUser, groupId: string, parentId: string, text: string) {
    const res = await forum.http.post(`/api/groups/${groupId}/posts`).set(replier.auth).send({ body: `<p>${text}</p>`, parentId });
    expect(res.status, res.text).to.equal(201);
  }
  /** Messages the forum queued about notifications for this person (sent, cancelled or waiting). */
  const notificationMails = (user: BuiltUser) => Outbox.find({ userId: user.user._id, kind: 'notification' }).lean();
  const mailsTo = (user: BuiltUser) => smtp.accepted.filter(sentTo(user.user.email));

  async function thread() {
    const [author, replier] = await Promise.all([buildUser(), buildUser()]);
    const group = await buildGroup({ owner: author, visibility: 'closed' });
    await addMember(group, replier);
    const post = await buildPost({ group, author });
    return { author, replier, groupId: idOf(group), postId: idOf(post), group };
  }

  it('sends nothing by default, then one instant e-mail per notification once turned on, with a one-click opt-out for that type', async () => {
    const { author, replier, groupId, postId } = await thread();
    await reply(replier, groupId, postId, 'before opting in');
    expect(await notificationMails(author)).to.deep.equal([]);

    await setEmail(author, { reply: { email: 'instant' } });
    await reply(replier, groupId, postId, 'after opting in');
    const mail: ReceivedMail = await smtp.waitFor(sentTo(author.user.email));
    expect(mail.parsed.text).to.contain('replied to your post').and.contain('“after opting in”').and.not.contain('before opting in');
    const oneClick = mail.parsed.headerLines.find((line) => line.key === 'list-unsubscribe')?.line ?? '';
    const target = new URL(/<([^>]+)>/.exec(oneClick)?.[1] ?? 'http://none/');
    expect(target.pathname, oneClick).to.equal('/api/unsubscribe');
    expect(await notificationMails(author)).to.have.length(1);

    const res = await forum.http.post(`${target.pathname}${target.search}`).type('form').send('List-Unsubscribe=One-Click');
    expect(res.status, res.text).to.equal(200);
    expect(res.body).to.deep.include({ channel: 'email', notifications: ['reply'] });
    const settings = await forum.http.get('/api/me/notification-settings').set(author.auth);
    expect(settings.body.reply).to.deep.equal({ inApp: true, email: 'off' });
    const ledger = await Consent.find({ userId: author.user._id }).sort({ at: 1 }).lean();
    expect(ledger.map((e) => [e.channel, e.value, e.source])).to.deep.equal([
      ['notification_email:reply', 'instant', 'notification_settings'],
      ['notification_email:reply', 'off', 'unsubscribe_link'],
    ]);
    await reply(replier, groupId, postId, 'after unsubscribing');
    expect(await notificationMails(author)).to.have.length(1);
  });

  it('sends none to a restricted account or a suppressed address', async () => {
    const restricted = await thread();
    await setEmail(restricted.author, { reply: { email: 'instant' } });
    const put = await forum.http.put('/api/me/restriction').set(restricted.author.auth).send({ restricted: true });
    expect(put.status, put.text).to.equal(200);
    await reply(restricted.replier, restricted.groupId, restricted.postId, 'to a restricted account');

    const suppressed = await thread();
    await setEmail(suppressed.author, { reply: { email: 'instant' } });
    await suppressAddressHash(await addressHash(suppressed.author.user.email), 'erasure');
    await reply(suppressed.replier, suppressed.groupId, suppressed.postId, 'to a suppressed address');

    // Proof of absence: a third person's mail, queued after theirs, arrives; theirs never did.
    const control = await thread();
    await setEmail(control.author, { reply: { email: 'instant' } });
    await reply(control.replier, control.groupId, control.postId, 'control');
    await smtp.waitFor(sentTo(control.author.user.email));
    expect(mailsTo(restricted.author)).to.deep.equal([]);
    expect(mailsTo(suppressed.author)).to.deep.equal([]);
    expect(await notificationMails(suppressed.author)).to.deep.equal([]);
  });

  it('never mails a mention to someone who cannot read the post', async () => {
    const { author, groupId } = await thread();
    const [outsider, member] = await Promise.all([buildUser(), buildUser()]);
    await addMember({ _id: Types.ObjectId.createFromHexString(groupId) }, member);
    for (const user of [outsider, member]) await setEmail(user, { mention: { email: 'instant' } });
    const body = [outsider, member].map((u) => `<a data-mention="${String(u.user._id)}">@x</a>`).join(' ');
    const res = await forum.http.post(`/api/groups/${groupId}/posts`).set(author.auth).send({ body: `<p>${body}</p>` });
    expect(res.status).to.equal(201);
    await smtp.waitFor(sentTo(member.user.email));
    expect(mailsTo(outsider)).to.deep.equal([]);
    expect(await notificationMails(outsider)).to.deep.equal([]);
  });

  it('gathers daily notifications into one digest, leaving out what the recipient can no longer see when it is built', async () => {
    const [owner, reader, replier] = await Promise.all([buildUser(), buildUser(), buildUser()]);
    const open = await buildGroup({ owner, visibility: 'public' });
    const closed = await buildGroup({ owner, visibility: 'closed' });
    await addMember(open, reader);
    await addMember(open, replier);
    await addMember(closed, reader);
    await addMember(closed, replier);
    await setEmail(reader, { reply: { email: 'daily' }, like: { email: 'daily' } });
    const openPost = await buildPost({ group: open, author: reader });
    const closedPost = await buildPost({ group: closed, author: reader });
    await reply(replier, idOf(open), idOf(openPost), 'public answer');
    await reply(replier, idOf(closed), idOf(closedPost), 'closed answer');
    const like = await forum.http.put(`/api/posts/${idOf(openPost)}/like`).set(replier.auth);
    expect(like.status).to.equal(200);
    // Leaves the closed group before the digest is due.
    const left = await forum.http.delete(`/api/groups/${idOf(closed)}/members/${String(reader.user._id)}`).set(reader.auth);
    expect(left.status).to.equal(204);

    const digest = await smtp.waitFor(sentTo(reader.user.email), 20_000);
    expect(digest.parsed.subject).to.equal('Your notifications (2)');
    expect(digest.parsed.text).to.contain('public answer').and.contain('liked your post').and.not.contain('closed answer');
    expect(digest.parsed.text).to.not.contain(closed.name);
    expect(digest.parsed.headerLines.some((line) => line.key === 'list-unsubscribe')).to.equal(true);
    expect(await notificationMails(reader)).to.have.length(1);
  });
});
