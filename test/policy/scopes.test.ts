// The policy's query scopes and single-object checks against the database, and the moderator-read hook.
import { expect } from 'chai';
import { Forbidden } from '../../server/errors';
import { Types } from 'mongoose';
import { readCache } from '../../server/services/read-cache';
import { Group } from '../../server/models/group';
import { Membership } from '../../server/models/membership';
import { Post } from '../../server/models/post';
import {
  authorizeGroup,
  authorizePost,
  can,
  canSubscribe,
  memberGroupIds,
  moderatedGroupIds,
  readableGroupIds,
  visiblePostsFilter,
  type ModeratorRead,
} from '../../server/policy';
import { addMember, buildGroup, buildPost, idOf } from '../support/content';
import { resetDatabase } from '../support/database';
import { buildUser, type BuiltUser } from '../support/factories';

const ids = (values: readonly Types.ObjectId[]) => values.map(String).sort();

describe('policy scopes', () => {
  let owner: BuiltUser, member: BuiltUser, pending: BuiltUser, stranger: BuiltUser, siteModerator: BuiltUser;
  let open: Awaited<ReturnType<typeof buildGroup>>, closed: Awaited<ReturnType<typeof buildGroup>>, otherClosed: Awaited<ReturnType<typeof buildGroup>>;

  before(async () => {
    await resetDatabase();
    [owner, member, pending, stranger, siteModerator] = await Promise.all([buildUser(), buildUser(), buildUser(), buildUser(), buildUser({ roles: ['moderator'] })]);
    open = await buildGroup({ owner, visibility: 'public' });
    closed = await buildGroup({ owner, visibility: 'closed' });
    otherClosed = await buildGroup({ owner: stranger, visibility: 'closed' });
    await addMember(closed, member);
    await addMember(closed, pending, 'pending');
  });

  it('gives anonymous visitors the public groups only', async () => {
    expect(ids(await readableGroupIds(null))).to.deep.equal(ids([open._id]));
  });

  it('gives a member the public groups plus their own', async () => {
    expect(ids(await readableGroupIds(member.viewer))).to.deep.equal(ids([open._id, closed._id]));
    expect(ids(await memberGroupIds(member.viewer))).to.deep.equal(ids([closed._id]));
  });

  it('works the list out once per membership and public-group facts, and anew as soon as either changes', async () => {
    const first = await readableGroupIds(member.viewer);
    expect(await readableGroupIds(member.viewer)).to.equal(first);
    expect(Object.isFrozen(first)).to.equal(true);
    const founder = await buildUser();
    const joined = await buildGroup({ owner: founder, visibility: 'closed' });
    const opened = await buildGroup({ owner: founder, visibility: 'closed' });
    try {
      await addMember(joined, member);
      expect(ids(await readableGroupIds(member.viewer))).to.deep.equal(ids([open._id, closed._id, joined._id]));
      await Group.updateOne({ _id: opened._id }, { $set: { visibility: 'public' } });
      readCache.apply({ type: 'group.changed', groupId: idOf(opened) });
      expect(ids(await readableGroupIds(member.viewer))).to.deep.equal(ids([open._id, closed._id, joined._id, opened._id]));
      expect(ids(await readableGroupIds(null))).to.deep.equal(ids([open._id, opened._id]));
    } finally {
      await Promise.all([Membership.deleteMany({ groupId: { $in: [joined._id, opened._id] } }), Group.deleteMany({ _id: { $in: [joined._id, opened._id] } })]);
      readCache.clear();
    }
  });

  it('gives a pending member nothing beyond the public groups', async () => {
    expect(ids(await readableGroupIds(pending.viewer))).to.deep.equal(ids([open._id]));
  });

  it('gives site moderators no closed groups in lists (their reads go through single-group doors)', async () => {
    expect(ids(await readableGroupIds(siteModerator.viewer))).to.deep.equal(ids([open._id]));
  });

  it('names the groups a user owns or moderates', async () => {
    expect(ids(await moderatedGroupIds(owner.viewer))).to.deep.equal(ids([open._id, closed._id]));
    expect(await moderatedGroupIds(member.viewer)).to.deep.equal([]);
    expect(await moderatedGroupIds(null)).to.deep.equal([]);
  });

  it('filters posts in the query: other groups, hidden posts and placeholders never match', async () => {
    const visible = await buildPost({ group: closed, author: member });
    await buildPost({ group: otherClosed, author: stranger });
    await buildPost({ group: closed, author: member, hiddenAt: new Date() });
    const placeholder = await buildPost({ group: open, author: owner });
    await Post.updateOne({ _id: placeholder._id }, { $set: { deletedAt: new Date(), authorId: null } });
    const rows = await Post.find(await visiblePostsFilter(member.viewer)).lean();
    expect(rows.map((row) => String(row._id))).to.deep.equal([idOf(visible)]);
  });

  it('answers can() for groups and posts from the database', async () => {
    const post = await buildPost({ group: closed, author: member });
    expect(await can(member.viewer, 'read', closed)).to.equal(true);
    expect(await can(pending.viewer, 'read', closed)).to.equal(false);
    expect(await can(null, 'read', post)).to.equal(false);
    expect(await can(member.viewer, 'read', post)).to.equal(true);
    expect(await can(member.viewer, 'edit', post)).to.equal(true);
    expect(await can(stranger.viewer, 'read', post)).to.equal(false);
    expect(await can(member.viewer, 'read', { ...post, groupId: new Types.ObjectId() })).to.equal(false);
  });

  it('lets sockets follow the public feed, signed-in users their home feed, and readers a group', async () => {
    expect(await canSubscribe(null, 'public')).to.equal(true);
    expect(await canSubscribe(null, 'home')).to.equal(false);
    expect(await canSubscribe(member.viewer, 'home')).to.equal(true);
    expect(await canSubscribe(member.viewer, `group:${idOf(closed)}`)).to.equal(true);
    expect(await canSubscribe(pending.viewer, `group:${idOf(closed)}`)).to.equal(false);
    expect(await canSubscribe(null, `group:${idOf(open)}`)).to.equal(true);
    expect(await canSubscribe(member.viewer, 'group:not-an-id')).to.equal(false);
    expect(await canSubscribe(member.viewer, `group:${new Types.ObjectId()}`)).to.equal(false);
    expect(await canSubscribe(member.viewer, 'elsewhere')).to.equal(false);
  });

  describe('the moderator-read hook', () => {
    const reads: ModeratorRead[] = [];
    const audit = async (read: ModeratorRead) => {
      reads.push(read);
    };

    it('is called when a site moderator reads a closed group they are not in, with the reason', async () => {
      const post = await buildPost({ group: closed, author: member });
      reads.length = 0;
      await authorizePost(siteModerator.viewer, 'read', post, { reason: 'report #12', audit });
      expect(reads).to.have.length(1);
      expect(reads[0]).to.deep.include({ action: 'read', reason: 'report #12' });
      expect(String(reads[0]!.groupId)).to.equal(idOf(closed));
      expect(String(reads[0]!.postId)).to.equal(idOf(post));
    });

    it('is called for a closed group feed read, not for looking at the group’s name and settings', async () => {
      reads.length = 0;
      await authorizeGroup(siteModerator.viewer, 'view', closed, { audit });
      expect(reads).to.deep.equal([]);
      await authorizeGroup(siteModerator.viewer, 'read', closed, { reason: 'report #13', audit });
      expect(reads.map((read) => [read.action, read.reason, read.postId])).to.deep.equal([['read', 'report #13', null]]);
    });

    it('is not called for members or for public groups', async () => {
      const closedPost = await buildPost({ group: closed, author: member });
      const publicPost = await buildPost({ group: open, author: owner });
      reads.length = 0;
      await authorizePost(member.viewer, 'read', closedPost, { audit });
      await authorizePost(siteModerator.viewer, 'read', publicPost, { audit });
      expect(reads).to.deep.equal([]);
    });

    it('can refuse the read by throwing', async () => {
      const post = await buildPost({ group: closed, author: member });
      const refuse = async () => {
        throw new Error('a reason is required');
      };
      await authorizePost(siteModerator.viewer, 'read', post, { audit: refuse }).then(
        () => expect.fail('should refuse'),
        (error: Error) => expect(error.message).to.equal('a reason is required'),
      );
    });

    it('refuses the read outright where a door passes no auditor, so no override read goes unaudited', async () => {
      const post = await buildPost({ group: closed, author: member });
      await authorizePost(siteModerator.viewer, 'read', post, { reason: 'report #14' }).then(
        () => expect.fail('should refuse'),
        (error: Error) => expect(error).to.be.instanceOf(Forbidden),
      );
      await authorizeGroup(siteModerator.viewer, 'read', closed, { reason: 'report #14' }).then(
        () => expect.fail('should refuse'),
        (error: Error) => expect(error).to.be.instanceOf(Forbidden),
      );
      // Members need no auditor: nothing is overridden.
      await authorizePost(member.viewer, 'read', post);
    });
  });
});
