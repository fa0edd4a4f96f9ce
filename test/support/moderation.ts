// A cast for moderation tests: a public and a closed group with owners, moderators, members and outsiders.
import type { Types } from 'mongoose';
import type { GroupFields } from '../../server/models/group';
import { Outbox, type OutboxFields } from '../../server/models/outbox';
import type { PostFields } from '../../server/models/post';
import { addMember, buildGroup, buildPost } from './content';
import { resetDatabase } from './database';
import { buildUser, type BuiltUser } from './factories';
import { startTestForum, type TestForum } from './forum';

export interface ModerationCast {
  admin: BuiltUser;
  siteModerator: BuiltUser;
  /** Owns both groups. */
  owner: BuiltUser;
  /** Group moderator of both groups. */
  groupModerator: BuiltUser;
  /** Member of both groups; the author of the test posts. */
  author: BuiltUser;
  /** Member of both groups. */
  member: BuiltUser;
  /** Signed in, in neither group. */
  stranger: BuiltUser;
  /** Owns a third, unrelated group: a group moderator with no say over the cast's groups. */
  otherOwner: BuiltUser;
  publicGroup: GroupFields;
  closedGroup: GroupFields;
  otherGroup: GroupFields;
}

export async function buildModerationCast(): Promise<ModerationCast> {
  const [admin, siteModerator, owner, groupModerator, author, member, stranger, otherOwner] = await Promise.all([
    buildUser({ roles: ['admin', 'moderator'] }),
    buildUser({ roles: ['moderator'] }),
    buildUser(),
    buildUser(),
    buildUser(),
    buildUser(),
    buildUser(),
    buildUser(),
  ]);
  const publicGroup = await buildGroup({ owner, visibility: 'public' });
  const closedGroup = await buildGroup({ owner, visibility: 'closed' });
  const otherGroup = await buildGroup({ owner: otherOwner, visibility: 'public' });
  for (const group of [publicGroup, closedGroup]) {
    await addMember(group, groupModerator, 'member', 'moderator');
    await addMember(group, author);
    await addMember(group, member);
  }
  return { admin, siteModerator, owner, groupModerator, author, member, stranger, otherOwner, publicGroup, closedGroup, otherGroup };
}

export interface ModerationWorld {
  forum: TestForum;
  cast: ModerationCast;
}

/** Registers the hooks a moderation suite opens with: one forum for the file, an empty database and a fresh cast for each test. */
export function useModerationForum(): ModerationWorld {
  const world = {} as ModerationWorld;
  before(async () => {
    world.forum = await startTestForum();
  });
  after(() => world.forum.close());
  beforeEach(async () => {
    await resetDatabase();
    world.cast = await buildModerationCast();
  });
  return world;
}

export async function postIn(group: Pick<GroupFields, '_id'>, author: BuiltUser, extra: Partial<Parameters<typeof buildPost>[0]> = {}): Promise<PostFields> {
  return buildPost({ group, author, ...extra });
}

/** Messages the outbox recorded for one user, oldest first. */
export async function messagesTo(userId: Types.ObjectId): Promise<OutboxFields[]> {
  return Outbox.find({ userId }).sort({ createdAt: 1, _id: 1 }).lean<OutboxFields[]>();
}

/** The header a site moderator sends to read a closed group they are not in. */
export const REASON_HEADER = { 'X-Moderation-Reason': 'reviewing a report' };

/** Hides a post through the route, as a site moderator. */
export async function hideViaRoute(forum: TestForum, moderator: BuiltUser, postId: string, reason = 'spam'): Promise<void> {
  await forum.http.post(`/api/mod/posts/${postId}/hide`).set(moderator.auth).send({ reason }).expect(200);
}
