// Site moderators reading closed groups they are not in: allowed for now, and every such read passes the hook.
import { expect } from 'chai';
import { setModeratorReadAuditor, type ModeratorRead } from '../../server/policy';
import { addMember, buildGroup, buildPost, idOf } from '../support/content';
import { resetDatabase } from '../support/database';
import { buildUser } from '../support/factories';
import { startTestForum, type TestForum } from '../support/forum';

describe('site moderator reads of closed groups', () => {
  let forum: TestForum;
  const reads: ModeratorRead[] = [];
  let previous: ReturnType<typeof setModeratorReadAuditor>;

  before(async () => {
    await resetDatabase();
    forum = await startTestForum();
    previous = setModeratorReadAuditor(async (read) => {
      reads.push(read);
    });
  });
  after(async () => {
    setModeratorReadAuditor(previous);
    await forum.close();
  });

  it('pass the reason from X-Moderation-Reason or ?reason= to the hook, through every content door', async () => {
    const [owner, member, moderator] = await Promise.all([buildUser(), buildUser(), buildUser({ roles: ['moderator'] })]);
    const group = await buildGroup({ owner, visibility: 'closed' });
    await addMember(group, member);
    const post = await buildPost({ group, author: member });
    reads.length = 0;
    await forum.http.get(`/api/groups/${idOf(group)}/posts`).set(moderator.auth).set('X-Moderation-Reason', 'report 1').expect(200);
    await forum.http.get(`/api/posts/${idOf(post)}?reason=report%202`).set(moderator.auth).expect(200);
    await forum.http.get(`/api/posts/${idOf(post)}/replies`).set(moderator.auth).expect(200);
    await forum.http.get(`/api/groups/${idOf(group)}`).set(moderator.auth).expect(200);
    await forum.http.get(`/api/posts/${idOf(post)}`).set(member.auth).expect(200);
    expect(reads.map((read) => [read.action, read.reason, read.viewer.id])).to.deep.equal([
      ['read', 'report 1', idOf(moderator.user)],
      ['read', 'report 2', idOf(moderator.user)],
      ['read', null, idOf(moderator.user)],
    ]);
  });
});
