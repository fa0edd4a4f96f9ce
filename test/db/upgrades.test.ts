// Start-up upgrades of data written by earlier versions: replies of threads hidden before replies carried
// their thread's state are hidden with them, and the post search index is rebuilt to hold that state.
import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { upgradeStoredData } from '../../server/db/upgrades';
import { createLogger } from '../../server/log';
import { POST_SEARCH_INDEX, Post } from '../../server/models/post';
import { buildGroup, buildPost } from '../support/content';
import { resetDatabase, sharedDatabaseUri } from '../support/database';
import { buildUser } from '../support/factories';

describe('database upgrades at start', () => {
  const log = createLogger('error');
  const searchIndexKey = async () => (await Post.collection.indexes()).find((index) => index.name === POST_SEARCH_INDEX)?.key;

  beforeEach(() => resetDatabase());
  // Whatever a test did, the suites after it find the index the models define.
  afterEach(async () => {
    if (!('parentHiddenAt' in ((await searchIndexKey()) ?? {}))) {
      await Post.collection.dropIndex(POST_SEARCH_INDEX).catch(() => undefined);
      await Post.createIndexes();
    }
  });

  it('hides the replies of a thread hidden before the change, leaves the rest alone and rebuilds the search index', async () => {
    const owner = await buildUser();
    const group = await buildGroup({ owner });
    const hiddenAt = new Date('2026-11-01T10:00:00Z');
    const hiddenTop = await buildPost({ group, author: owner, hiddenAt });
    const openTop = await buildPost({ group, author: owner });
    const [inHidden, hiddenAlone, inOpen] = [
      await buildPost({ group, author: owner, parent: hiddenTop }),
      await buildPost({ group, author: owner, parent: hiddenTop, hiddenAt: new Date('2026-10-01T10:00:00Z') }),
      await buildPost({ group, author: owner, parent: openTop }),
    ];
    // The stored state of an earlier version: no parentHiddenAt anywhere, and the search index without it.
    await Post.collection.updateMany({}, { $unset: { parentHiddenAt: '' } });
    await Post.collection.dropIndex(POST_SEARCH_INDEX);
    await Post.collection.createIndex(
      { bodyText: 'text', groupId: 1, hiddenAt: 1, deletedAt: 1, authorId: 1 },
      { name: POST_SEARCH_INDEX, default_language: 'english', language_override: 'searchLanguage' },
    );

    // Two processes starting at once.
    await Promise.all([upgradeStoredData(sharedDatabaseUri(), {}, log), upgradeStoredData(sharedDatabaseUri(), {}, log)]);
    // What the models do once their connection opens.
    await Post.createIndexes();

    const stateOf = async (id: unknown) => (await Post.findById(id).lean())!;
    expect((await stateOf(inHidden._id)).parentHiddenAt).to.deep.equal(hiddenAt);
    expect((await stateOf(hiddenAlone._id)).parentHiddenAt).to.deep.equal(hiddenAt);
    expect((await stateOf(hiddenAlone._id)).hiddenAt).to.deep.equal(new Date('2026-10-01T10:00:00Z'));
    expect((await stateOf(inOpen._id)).parentHiddenAt ?? null).to.equal(null);
    expect((await stateOf(hiddenTop._id)).parentHiddenAt ?? null).to.equal(null);
    expect(Object.keys((await searchIndexKey())!)).to.include('parentHiddenAt');
  });

  it('does nothing on a database that is up to date, or has never held a post', async () => {
    const owner = await buildUser();
    const group = await buildGroup({ owner });
    const top = await buildPost({ group, author: owner, hiddenAt: new Date() });
    // A reply the upgrade would mark if it ran: on an up-to-date database it must not (the hide marks replies).
    const reply = await buildPost({ group, author: owner, parent: top });
    await upgradeStoredData(sharedDatabaseUri(), {}, log);
    expect((await Post.findById(reply._id).lean())!.parentHiddenAt).to.equal(null);
    expect(Object.keys((await searchIndexKey())!)).to.include('parentHiddenAt');

    const fresh = new URL(sharedDatabaseUri());
    fresh.pathname = `/forum_fresh_${randomBytes(4).toString('hex')}`;
    await upgradeStoredData(fresh.toString(), {}, log);
  });
});
