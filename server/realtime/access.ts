// The questions realtime asks about visibility. Every answer comes from server/policy/ (and the
// presenters); nothing here restates a rule, it only names what the socket layer needs to know.
import type { LivePost } from '../../shared/events';
import type { Viewer } from '../policy/viewer';

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
  /** Whether the viewer may follow this group's feed; false also for a group that does not exist. */
  mayFollowGroup(viewer: Viewer, groupId: string): Promise<boolean>;
  /** Of these viewers, the ids of those who may follow this group's feed (one batch, not one read each). */
  followersAllowed(groupId: string, viewers: Viewer[]): Promise<Set<string>>;
  /** The groups whose posts reach this viewer's home feed beyond those of public groups. */
  homeGroupIds(viewer: Viewer): Promise<string[]>;
  /** Whose feeds show this group's posts, or null when the group is gone. */
  groupAudience(groupId: string): Promise<Audience | null>;
  /** The post as every feed shows it, presented once for all receivers; null when no feed shows it. */
  livePost(postId: string): Promise<LivePostView | null>;
  /** The like count of a post feeds show; null when none does. */
  likeView(postId: string): Promise<LikeView | null>;
}
