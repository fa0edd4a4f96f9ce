// Review item 8: whether a closed group's post exists cannot be probed through a post id. An outsider's
// request for a closed post and for an id that names nothing get the same answer after the same work: the
// same database commands in the same order (counted, not timed: a timing test would fail under load).
import { expect } from 'chai';
import mongoose, { Types } from 'mongoose';
import { readCache } from '../../server/services/read-cache';
import { buildContentCast, buildPost, idOf, type ContentCast } from '../support/content';
import { resetDatabase } from '../support/database';
import { startTestForum, type TestForum } from '../support/forum';

describe('security: a closed post answers like an unknown id', () => {
  let forum: TestForum;
  let cast: ContentCast;
  let closedPostId: string;
  const unknownId = String(new Types.ObjectId());

  before(async () => {
    await resetDatabase();
    forum = await startTestForum();
    cast = await buildContentCast();
    closedPostId = idOf(await buildPost({ group: cast.closed, author: cast.member }));
  });
  after(() => forum.close());

  /** The collection and method of every database command one request makes, in order. */
  async function commandsOf(path: string): Promise<{ status: number; body: unknown; commands: string[] }> {
    const commands: string[] = [];
    mongoose.set('debug', (collection: string, method: string) => void commands.push(`${collection}.${method}`));
    try {
      const res = await forum.http.get(path).set(cast.stranger.auth);
      return { status: res.status, body: res.body, commands };
    } finally {
      mongoose.set('debug', false);
    }
  }

  for (const [door, suffix] of [
    ['post by id', ''],
    ['replies', '/replies'],
  ] as const) {
    it(`${door}: same answer and the same database commands, with warm and with cold caches`, async () => {
      // Warm: whatever either path caches (the group, the viewer's token and memberships) is cached.
      await commandsOf(`/api/posts/${closedPostId}${suffix}`);
      await commandsOf(`/api/posts/${unknownId}${suffix}`);
      for (const temperature of ['warm', 'cold']) {
        const drop = () => readCache.apply({ type: 'membership.changed', groupId: idOf(cast.open), userId: String(cast.stranger.user._id) });
        if (temperature === 'cold') drop();
        const closed = await commandsOf(`/api/posts/${closedPostId}${suffix}`);
        if (temperature === 'cold') drop();
        const unknown = await commandsOf(`/api/posts/${unknownId}${suffix}`);
        expect(closed.status).to.equal(404);
        expect(unknown.status).to.equal(404);
        expect(closed.body).to.deep.equal(unknown.body);
        expect(closed.commands, temperature).to.deep.equal(unknown.commands);
        if (temperature === 'cold') expect(closed.commands.some((command) => command.startsWith('memberships.'))).to.equal(true);
      }
    });
  }
});
