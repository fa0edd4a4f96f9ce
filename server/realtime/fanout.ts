// The one dispatcher from domain events to sockets. Posts are presented once per event and emitted once
// to the union of the rooms whose audience may see them (./broadcast.ts delivers at most once per socket);
// access changes re-ask policy and move sockets out of rooms before any later event is emitted.
import type { Role } from '../../shared/api';
import type { DomainEvent, DomainEvents, EventOf } from '../services/events';
import type { Audience, FeedAccess } from './access';
import type { Broadcaster } from './broadcast';
import type { Effect, OrderedEffects } from './ordered';
import { LikeCoalescer } from './like-coalescer';
import type { RoomOps } from './room-ops';
import { viewerFromIdentity } from './session';
import { groupRoom, HOME_PUBLIC_ROOM, homeGroupRoom, homeOfRoom, PUBLIC_ROOM, tokenRoom, userRoom } from './rooms';
import type { ForumServer } from './types';

/** A viral post updates its like count at most this often per room. */
export const LIKE_WINDOW_MS = 100;

/** The rooms of every feed that shows a group's top-level posts to this audience. */
function audienceRooms(audience: Audience, groupId: string): string[] {
  return audience === 'public'
    ? [PUBLIC_ROOM, HOME_PUBLIC_ROOM, groupRoom(groupId)]
    : [groupRoom(groupId), homeGroupRoom(groupId)];
}

type PostEvent = EventOf<'post.created' | 'post.updated' | 'post.deleted' | 'post.hidden' | 'post.restored'>;

export interface Fanout {
  close(): void;
}

export function startFanout(
  io: ForumServer,
  broadcast: Broadcaster,
  rooms: RoomOps,
  access: FeedAccess,
  events: DomainEvents,
  effects: OrderedEffects,
): Fanout {
  /** Feeds list top-level posts only; a reply shows there as its parent's new reply count. */
  async function showPost(postId: string, as: 'post:new' | 'post:update'): Promise<Effect> {
    const view = await access.livePost(postId);
    if (!view) return null;
    return () => broadcast.emit(audienceRooms(view.audience, view.post.groupId), as, view.post);
  }

  async function removePost(event: PostEvent): Promise<Effect> {
    const audience = await access.postAudience(event.postId, event.groupId, 'membersOnly' in event && event.membersOnly === true);
    if (!audience) return null;
    const payload = { id: event.postId, groupId: event.groupId };
    return () => broadcast.emit(audienceRooms(audience, event.groupId), 'post:delete', payload);
  }

  /**
   * A reply reaches only its group's feed (where an open thread listens; lists there show top-level posts
   * only), never the home or public feeds, which show it as its parent's new reply count.
   */
  async function showReply(postId: string, as: 'post:new' | 'post:update'): Promise<Effect> {
    const view = await access.liveReply(postId);
    if (!view) return null;
    return () => broadcast.emit([groupRoom(view.post.groupId)], as, view.post);
  }

  async function removeReply(event: PostEvent): Promise<Effect> {
    const audience = await access.postAudience(event.postId, event.groupId, 'membersOnly' in event && event.membersOnly === true);
    if (!audience) return null;
    const payload = { id: event.postId, groupId: event.groupId };
    return () => broadcast.emit([groupRoom(event.groupId)], 'post:delete', payload);
  }

  async function onReply(event: PostEvent, parentId: string): Promise<Effect> {
    if (event.type === 'post.updated') return showReply(event.postId, 'post:update');
    const [reply, parent] = await Promise.all([
      event.type === 'post.created' || event.type === 'post.restored' ? showReply(event.postId, 'post:new') : removeReply(event),
      showPost(parentId, 'post:update'),
    ]);
    return async () => {
      await reply?.();
      await parent?.();
    };
  }

  function onPost(event: PostEvent): Promise<Effect> {
    if (event.parentId !== null) return onReply(event, event.parentId);
    switch (event.type) {
      case 'post.created':
      case 'post.restored':
        return showPost(event.postId, 'post:new');
      case 'post.updated':
        return showPost(event.postId, 'post:update');
      case 'post.deleted':
      case 'post.hidden':
        return removePost(event);
    }
  }

  const likes = new LikeCoalescer(LIKE_WINDOW_MS, (postId, done) => {
    void effects
      .submit(`like:update ${postId}`, async () => {
        const view = await access.likeView(postId);
        if (!view) return null;
        const payload = { postId, likeCount: view.likeCount };
        return () => broadcast.emit(audienceRooms(view.audience, view.groupId), 'like:update', payload);
      })
      .finally(done);
  });

  async function onMembership({ groupId, userId }: EventOf<'membership.changed'>): Promise<Effect> {
    const sockets = [userRoom(userId)];
    const viewer = await access.viewerOf(userId);
    if (!viewer) return () => rooms.leave(sockets, [groupRoom(groupId), homeGroupRoom(groupId)]);
    const [mayFollow, homeGroups] = await Promise.all([
      access.mayFollowGroup(viewer, groupId),
      access.homeGroupIds(viewer),
    ]);
    return () => {
      if (!mayFollow) rooms.leave(sockets, [groupRoom(groupId)]);
      if (homeGroups.includes(groupId)) rooms.join([homeOfRoom(userId)], [homeGroupRoom(groupId)]);
      else rooms.leave(sockets, [homeGroupRoom(groupId)]);
    };
  }

  async function onGroup({ groupId }: EventOf<'group.changed'>): Promise<Effect> {
    const room = groupRoom(groupId);
    if (!(await access.groupAudience(groupId))) {
      return () => rooms.leave([room, homeGroupRoom(groupId)], [room, homeGroupRoom(groupId)]);
    }
    // A group that turned closed keeps only the followers policy still allows; decided once per user.
    const followers = new Map<string, Role[]>();
    for (const socket of await io.in(room).fetchSockets()) {
      if (socket.data.userId !== null) followers.set(socket.data.userId, socket.data.roles);
    }
    const viewers = [...followers].map(([id, roles]) => viewerFromIdentity(id, roles));
    const allowed = await access.followersAllowed(groupId, viewers);
    const refused = viewers.filter((viewer) => !allowed.has(viewer.id)).map((viewer) => userRoom(viewer.id));
    return () => rooms.leave(refused, [room]);
  }

  function prepare(event: DomainEvent): Promise<Effect> {
    switch (event.type) {
      case 'post.created':
      case 'post.updated':
      case 'post.deleted':
      case 'post.hidden':
      case 'post.restored':
        return onPost(event);
      case 'membership.changed':
        return onMembership(event);
      case 'group.changed':
        return onGroup(event);
      case 'session.revoked': {
        const target = event.tokenHash ? tokenRoom(event.tokenHash) : userRoom(event.userId);
        return Promise.resolve(() => rooms.disconnect([target]));
      }
      case 'user.erased':
        return Promise.resolve(() => rooms.disconnect([userRoom(event.userId)]));
      case 'user.changed':
        // A socket keeps the roles it connected with (other processes cannot rewrite its data), so a
        // change of roles ends its sessions' sockets; they reconnect with what the user may do now.
        // Profile edits do not rewrite posts already delivered.
        if (event.change?.kind !== 'roles') return Promise.resolve(null);
        return Promise.resolve(() => rooms.disconnect([userRoom(event.userId)]));
      case 'like.changed':
        // Likes go through the coalescer.
        return Promise.resolve(null);
      case 'notification.changed':
        // The recipient's own sockets, from server/notifications/live.ts.
        return Promise.resolve(null);
    }
  }

  const stop = events.onAny((event) => {
    if (event.type === 'like.changed') likes.changed(event.postId);
    else void effects.submit(event.type, () => prepare(event));
  });

  return {
    close() {
      stop();
      likes.close();
    },
  };
}
