// Replies carry their thread's hidden state even when writes race: a hide and a restore of the same post, or
// a reply written as its thread is hidden, never leave a reply visible under a hidden post.
import { expect } from 'chai';
import { Post } from '../../server/models/post';
import { markRepliesWithThread } from '../../server/services/thread-hiding';
import { idOf } from '../support/content';
import { postIn, useModerationForum } from '../support/moderation';

type Method = (...args: unknown[]) => Promise<unknown>;

/** Runs `before` the next call of a model method only (as a concurrent request would write in between). */
function once(name: 'create' | 'updateMany', before: () => Promise<unknown>): void {
  const model = Post as unknown as Record<string, Method>;
  const original = model[name]!;
  model[name] = async function (this: unknown, ...args: unknown[]) {
    model[name] = original;
    await before();
    return original.apply(this, args);
  };
}

describe('thread hiding under concurrent writes', () => {
  const world = useModerationForum();

  it('a restore whose reply write lands after a new hide’s leaves the replies hidden with the post', async () => {
    const top = await postIn(world.cast.publicGroup, world.cast.author);
    const reply = await postIn(world.cast.publicGroup, world.cast.member, { parent: top });
    // The restore has cleared the post; before its reply write, a moderator hides the post again, replies included.
    await Post.updateOne({ _id: top._id }, { $set: { hiddenAt: null } });
    const again = new Date();
    once('updateMany', async () => {
      await Post.updateOne({ _id: top._id }, { $set: { hiddenAt: again } });
      await Post.updateMany({ parentId: top._id }, { $set: { parentHiddenAt: again } });
    });
    await markRepliesWithThread(top._id);
    expect((await Post.findById(reply._id).lean())!.parentHiddenAt).to.deep.equal(again);
  });

  it('two moderators hiding a thread at once: one wins, and the replies carry the time the post was hidden at', async () => {
    const top = await postIn(world.cast.publicGroup, world.cast.author);
    const replies = [await postIn(world.cast.publicGroup, world.cast.member, { parent: top }), await postIn(world.cast.publicGroup, world.cast.author, { parent: top })];
    const hide = (who: typeof world.cast.owner) => world.forum.http.post(`/api/mod/posts/${idOf(top)}/hide`).set(who.auth).send({ reason: 'spam' });
    const statuses = (await Promise.all([hide(world.cast.siteModerator), hide(world.cast.groupModerator)])).map((res) => res.status);
    expect(statuses.sort()).to.deep.equal([200, 409]);
    const { hiddenAt } = (await Post.findById(top._id).lean())!;
    for (const reply of replies) expect((await Post.findById(reply._id).lean())!.parentHiddenAt).to.deep.equal(hiddenAt);
  });

  it('a reply authorized before its thread was hidden and written after is refused, not left visible', async () => {
    const top = await postIn(world.cast.publicGroup, world.cast.author);
    once('create', () => world.forum.http.post(`/api/mod/posts/${idOf(top)}/hide`).set(world.cast.siteModerator.auth).send({ reason: 'spam' }).expect(200));
    await world.forum.http.post(`/api/groups/${idOf(world.cast.publicGroup)}/posts`).set(world.cast.member.auth).send({ body: 'late', parentId: idOf(top) }).expect(404);
    expect(await Post.countDocuments({ parentId: top._id })).to.equal(0);
    expect((await Post.findById(top._id).lean())!.replyCount).to.equal(0);
  });
});
