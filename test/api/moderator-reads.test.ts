// Site moderators reading closed groups they are not in: every content door passes the read to the forum's
// auditor, which refuses it without a stated reason and writes it to the audit log with one.
import { expect } from 'chai';
import { AuditEntry } from '../../server/models/audit-entry';
import { addMember, buildGroup, buildPost, idOf } from '../support/content';
import { resetDatabase } from '../support/database';
import { buildUser } from '../support/factories';
import { startTestForum, type TestForum } from '../support/forum';

describe('site moderator reads of closed groups', () => {
  let forum: TestForum;

  before(async () => {
    await resetDatabase();
    forum = await startTestForum();
  });
  after(() => forum.close());

  it('take the reason from X-Moderation-Reason or ?reason=, through every content door, and are audited with it', async () => {
    const [owner, member, moderator] = await Promise.all([buildUser(), buildUser(), buildUser({ roles: ['moderator'] })]);
    const group = await buildGroup({ owner, visibility: 'closed' });
    await addMember(group, member);
    const post = await buildPost({ group, author: member });
    await forum.http.get(`/api/groups/${idOf(group)}/posts`).set(moderator.auth).set('X-Moderation-Reason', 'report 1').expect(200);
    await forum.http.get(`/api/posts/${idOf(post)}?reason=report%202`).set(moderator.auth).expect(200);
    await forum.http.get(`/api/posts/${idOf(post)}/replies`).set(moderator.auth).set('X-Moderation-Reason', 'report 3').expect(200);
    // Without a reason the content stays shut; the group's name and settings are not content.
    await forum.http.get(`/api/posts/${idOf(post)}/replies`).set(moderator.auth).expect(403);
    await forum.http.get(`/api/groups/${idOf(group)}`).set(moderator.auth).expect(200);
    await forum.http.get(`/api/posts/${idOf(post)}`).set(member.auth).expect(200);
    const audited = await AuditEntry.find({ action: 'moderator.read' }).sort({ seq: 1 }).lean();
    expect(audited.map((entry) => [entry.actor, entry.target, entry.reason])).to.deep.equal([
      [idOf(moderator.user), `group:${idOf(group)}`, 'report 1'],
      [idOf(moderator.user), `post:${idOf(post)}`, 'report 2'],
      [idOf(moderator.user), `post:${idOf(post)}`, 'report 3'],
    ]);
  });
});
