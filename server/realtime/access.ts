// The questions realtime asks about visibility. Every answer comes from server/policy/ (and the
// presenters); nothing here restates a rule, it only names what the socket layer needs to know.
import { Types } from 'mongoose';
import type { LivePost } from '../../shared/events';
import { Forbidden, NotFound } from '../errors';
import { problem } from '../http/validation';
import type { UrlSigner } from '../media/signed-urls';
import { loadIdentity } from '../services/tokens';
import {
  authorizeGroup,
  can,
  canSubscribe,
  filterViewers,
  loadGroupRef,
  memberGroupIds,
  viewerFromUser,
  type ModeratorReadAuditor,
  type Viewer,
} from '../policy';
import { findFeedPost, findLiveReply, isMembersOnlyPost } from '../services/feeds';
import type { PresentablePost } from '../models/post';
import { presentPostFor } from '../services/post-views';

/** Who may see a post or group in feeds: anyone (even anonymous), or the group's members. */
export type Audience = 'public' | 'members';

export interface LivePostView {
  post: LivePost;
  audience: Audience;
}

export interface LikeView {
  groupId: string;
  likeCount: number;
  audience: Audience;
}

export interface FeedAccess {
  /** The viewer behind a user id now (roles as stored), or null if the account is gone or inactive. */
  viewerOf(userId: string): Promise<Viewer | null>;
  /** A new follow of a group's feed: like mayFollowGroup, and a site moderator's override is audited. */
  /** 'allow', 'not_found', or 'forbidden' (visible, but e.g. a moderator gave no reason). */
  authorizeFollow(viewer: Viewer, groupId: string, reason: string | null): Promise<FollowDecision>;
  /** Whether the viewer may (still) follow this group's feed; false also for a group that does not exist. */
  mayFollowGroup(viewer: Viewer, groupId: string): Promise<boolean>;
  /** Of these viewers, the ids of those who may follow this group's feed (one batch, not one read each). */
  followersAllowed(groupId: string, viewers: Viewer[]): Promise<Set<string>>;
  /** The groups whose posts reach this viewer's home feed beyond those of public groups. */
  homeGroupIds(viewer: Viewer): Promise<string[]>;
  /** Whose feeds show this group's posts, or null when the group is gone. */
  groupAudience(groupId: string): Promise<Audience | null>;
  /** Whose feeds showed this post (which may be gone): null for none, as for a members-only post of a public group. */
  postAudience(postId: string, groupId: string, membersOnly: boolean): Promise<Audience | null>;
  /** The post as every feed shows it, presented once for all receivers; null when no feed shows it. */
  livePost(postId: string): Promise<LivePostView | null>;
  /** A reply as its thread shows it, presented once for all followers of its group; null when none shows it. */
  liveReply(postId: string): Promise<LivePostView | null>;
  /** The like count of a post feeds show; null when none does. */
  likeView(postId: string): Promise<LikeView | null>;
}

export type FollowDecision = 'allow' | 'not_found' | { forbidden: string };

/** FeedAccess answered by server/policy/ and the post presenter. */
export function createFeedAccess(signer: UrlSigner, auditModeratorRead: ModeratorReadAuditor): FeedAccess {
  async function groupAudience(groupId: string): Promise<Audience | null> {
    const group = await loadGroupRef(new Types.ObjectId(groupId));
    if (!group) return null;
    // What an anonymous visitor may read goes to everyone's feeds; anything else only to members'.
    return (await can(null, 'read', group)) ? 'public' : 'members';
  }

  /** One presentation for every receiver: nothing per viewer (likedByMe, can) goes into it. */
  async function present(row: PresentablePost | null): Promise<LivePostView | null> {
    if (!row) return null;
    const audience = await groupAudience(String(row.groupId));
    if (!audience) return null;
    const { likedByMe: _perViewer, can: _alsoPerViewer, ...post } = await presentPostFor(row, null, signer);
    return { post, audience };
  }

  return {
    async viewerOf(userId) {
      const user = await loadIdentity(new Types.ObjectId(userId));
      return user && user.status === 'active' ? viewerFromUser(user) : null;
    },

    async authorizeFollow(viewer, groupId, reason) {
      const group = await loadGroupRef(new Types.ObjectId(groupId));
      if (!group) return 'not_found';
      try {
        // authorizeGroup records a site moderator's override read of a closed group for the audit.
        await authorizeGroup(viewer, 'subscribe', group, { reason, audit: auditModeratorRead });
        return 'allow';
      } catch (error) {
        if (error instanceof NotFound) return 'not_found';
        if (error instanceof Forbidden) return { forbidden: problem(error.problem.key, error.problem.values) };
        throw error;
      }
    },

    mayFollowGroup: (viewer, groupId) => canSubscribe(viewer, `group:${groupId}`),

    async followersAllowed(groupId, viewers) {
      const group = await loadGroupRef(new Types.ObjectId(groupId));
      if (!group) return new Set();
      return new Set((await filterViewers('subscribe', group, viewers)).map((viewer) => viewer.id));
    },

    // Public groups reach every home feed through HOME_PUBLIC_ROOM; these are the viewer's own groups.
    homeGroupIds: async (viewer) => (await memberGroupIds(viewer)).map(String),

    groupAudience,

    async postAudience(postId, groupId, membersOnly) {
      // Written while the group was closed: live feeds never carry it (lists show it to members only).
      if (membersOnly || (await isMembersOnlyPost(postId))) return null;
      return groupAudience(groupId);
    },

    async livePost(postId) {
      return present(await findFeedPost(postId));
    },

    async liveReply(postId) {
      return present(await findLiveReply(postId));
    },

    async likeView(postId) {
      const row = await findFeedPost(postId);
      if (!row) return null;
      const audience = await groupAudience(String(row.groupId));
      return audience ? { groupId: String(row.groupId), likeCount: row.likeCount ?? 0, audience } : null;
    },
  };
}
