// Like bursts are coalesced: a viral post sends at most one like:update per 100 ms, and the last one
// carries the final count.
import { expect } from 'chai';
import { LIKE_WINDOW_MS } from '../../server/realtime/fanout';
import { LikeCoalescer } from '../../server/realtime/like-coalescer';
import { resetDatabase } from '../support/database';
import { buildUser } from '../support/factories';
import { ForumApi } from '../support/forum-api';
import { startTestForum, type TestForum } from '../support/forum';
import { follow, SocketPool } from '../support/sockets';

describe('realtime like bursts', () => {
  let forum: TestForum;
  const pool = new SocketPool();

  before(async () => {
    await resetDatabase();
    forum = await startTestForum();
    await forum.startListening();
  });
  after(async () => {
    pool.closeAll();
    await forum.close();
  });

  it('coalesce many likes into few updates, at least 100 ms apart, ending with the true count', async () => {
    const api = new ForumApi(forum.http);
    const owner = await buildUser();
    const group = await api.createGroup(owner, 'public');
    const post = await api.post(owner, group.id);
    const likers = await Promise.all(Array.from({ length: 20 }, () => buildUser()));
    const { socket, recorder } = await pool.open(forum.url);
    await follow(socket, 'public');
    // When the server sends (receipt times in this busy process would add the client's own delays).
    const sentAt: number[] = [];
    const broadcaster = forum.realtime.broadcast;
    const emit = broadcaster.emit.bind(broadcaster);
    broadcaster.emit = (rooms, event, ...args) => {
      if (event === 'like:update') sentAt.push(Date.now());
      emit(rooms, event, ...args);
    };

    await Promise.all(likers.map((liker) => api.like(liker, post.id)));
    const last = await recorder.next('like:update', (p) => p.postId === post.id && p.likeCount === likers.length);

    const updates = recorder.find('like:update', (p) => p.postId === post.id);
    // Under load the trailing update may repeat the final count; what matters is that the last one has it.
    expect(updates[updates.length - 1]!.payload).to.deep.equal(last.payload);
    expect(updates.length).to.be.lessThan(likers.length / 2);
    expect(sentAt).to.have.length(updates.length);
    for (let i = 1; i < sentAt.length; i++) expect(sentAt[i]! - sentAt[i - 1]!).to.be.at.least(LIKE_WINDOW_MS);
  });

  describe('LikeCoalescer', () => {
    function harness(windowMs: number) {
      const flushed: Array<{ postId: string; at: number }> = [];
      let lastDone: Promise<void> = Promise.resolve();
      const coalescer = new LikeCoalescer(windowMs, (postId, done) => {
        flushed.push({ postId, at: Date.now() });
        lastDone = new Promise((resolve) =>
          setTimeout(() => {
            done();
            resolve();
          }, 5),
        );
      });
      // The window starts when the flush is done; a timer set after that and as long expires after it,
      // however late a loaded machine runs either.
      const windowOver = async () => {
        await lastDone;
        await wait(windowMs);
      };
      return { flushed, coalescer, windowOver };
    }
    const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

    it('sends the first change of a quiet post at once', () => {
      const { flushed, coalescer } = harness(50);
      coalescer.changed('a');
      expect(flushed.map((f) => f.postId)).to.deep.equal(['a']);
      coalescer.close();
    });

    it('folds changes within the window into one trailing send, per post', async () => {
      const { flushed, coalescer, windowOver } = harness(50);
      for (let i = 0; i < 10; i++) coalescer.changed('a');
      coalescer.changed('b');
      coalescer.changed('b');
      await windowOver();
      expect(flushed.filter((f) => f.postId === 'a')).to.have.length(2);
      expect(flushed.filter((f) => f.postId === 'b')).to.have.length(2);
      const [first, second] = flushed.filter((f) => f.postId === 'a');
      expect(second!.at - first!.at).to.be.at.least(50);
      coalescer.close();
    });

    it('sends nothing more once a post is quiet, and starts afresh later', async () => {
      const { flushed, coalescer, windowOver } = harness(30);
      coalescer.changed('a');
      await windowOver();
      expect(flushed).to.have.length(1);
      coalescer.changed('a');
      expect(flushed).to.have.length(2);
      coalescer.close();
    });
  });
});
