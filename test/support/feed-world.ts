// The cast the live-feed suites share: a listening forum on a fresh database, an owner of a public group
// and of a closed one, a member of the closed group, and an outsider of both.
import type { Group } from '../../shared/api';
import { resetDatabase } from './database';
import { buildUser, type BuiltUser } from './factories';
import { ForumApi } from './forum-api';
import { startTestForum, type TestForum } from './forum';

export interface FeedWorld {
  forum: TestForum;
  api: ForumApi;
  owner: BuiltUser;
  member: BuiltUser;
  outsider: BuiltUser;
  publicGroup: Group;
  /** Joined on request; the member was admitted. */
  closedGroup: Group;
}

export async function startFeedWorld(): Promise<FeedWorld> {
  await resetDatabase();
  const forum = await startTestForum();
  await forum.startListening();
  const api = new ForumApi(forum.http);
  const [owner, member, outsider] = await Promise.all([buildUser(), buildUser(), buildUser()]);
  const publicGroup = await api.createGroup(owner, 'public');
  const closedGroup = await api.createGroup(owner, 'closed', 'open');
  await api.join(member, closedGroup.id);
  return { forum, api, owner, member, outsider, publicGroup, closedGroup };
}
