// Deleting a thread nobody else replied to takes its author's replies without events of their own: the
// live bell of whoever was told about one of them drops at once, not at the next reload.
import { expect } from 'chai';
import { resetDatabase } from '../support/database';
import { buildUser, type BuiltUser } from '../support/factories';
import { addMember, buildGroup, idOf } from '../support/content';
import { ForumApi } from '../support/forum-api';
import { startTestForum, type TestForum } from '../support/forum';
import { SocketPool } from '../support/sockets';

describe('notifications: the live count follows the thread', function () {
  this.timeout(60_000);
  let forum: TestForum;
  let api: ForumApi;
  const pool = new SocketPool();

  before(async () => {
    await resetDatabase();
    forum = await startTestForum();
    await forum.startListening();
    api = new ForumApi(forum.http);
  });
  after(async () => {
    pool.closeAll();
    await forum.close();
  });

  const mention = (user: BuiltUser) => `<p>over to <a data-mention="${String(user.user._id)}">@you</a></p>`;
  async function restCount(user: BuiltUser): Promise<number> {
    return (await forum.http.get('/api/notifications/unread-count').set(user.auth)).body.count as number;
  }

  it('drops a mention in the author’s own reply from the bell when the author deletes the thread it went with', async () => {
    const [author, mentioned] = [await buildUser(), await buildUser()];
    const group = await buildGroup({ owner: author, visibility: 'public' });
    await addMember(group, mentioned);
    const { recorder } = await pool.open(forum.url, { token: mentioned.token });
    const post = await api.post(author, idOf(group), '<p>my thread</p>');
    await api.post(author, idOf(group), mention(mentioned), post.id);
    await recorder.next('notification:count', (p) => p.count === 1);

    // Nobody else replied, so the deletion takes the reply with it, without an event of its own.
    await api.delete(author, post.id);
    await recorder.next('notification:count', (p) => p.count === 0);
    expect(await restCount(mentioned)).to.equal(0);
  });
});
