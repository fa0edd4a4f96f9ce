// Socket.IO room names. A post is emitted once to the union of the rooms whose audience may see it;
// revocation finds a user's or a token's sockets through their identity rooms, on every process.

/** Anonymous homepage feed: top-level posts of public groups. */
export const PUBLIC_ROOM = 'public';
/** The public-group part of every subscribed home feed. */
export const HOME_PUBLIC_ROOM = 'home:public';

/** Sockets following one group's feed. */
export function groupRoom(groupId: string): string {
  return `group:${groupId}`;
}

/** Home-feed sockets of the group's members: a closed group's post reaches exactly them. */
export function homeGroupRoom(groupId: string): string {
  return `home:group:${groupId}`;
}

/** Marks a user's sockets that follow their home feed, so a new membership can add the group's home room. */
export function homeOfRoom(userId: string): string {
  return `home-of:${userId}`;
}

/** Every socket signed in as this user. */
export function userRoom(userId: string): string {
  return `user:${userId}`;
}

/** Every socket authenticated with this token (by its SHA-256, never the token). */
export function tokenRoom(tokenHash: string): string {
  return `token:${tokenHash}`;
}

export function tokenHashOfRoom(room: string): string {
  return room.slice('token:'.length);
}

/** The rooms that make up a socket's home subscription, found among the rooms it is in. */
export function isHomeRoom(room: string): boolean {
  return room === HOME_PUBLIC_ROOM || room.startsWith('home:group:') || room.startsWith('home-of:');
}
