// The REST calls realtime tests make, through a supertest agent or a base URL, failing loudly on errors.
import supertest from 'supertest';
import type { Group, Post } from '../../shared/api';
import { uniqueEmail, type BuiltUser } from './factories';
import { linkParameter } from './outbox';

/** Whoever makes a call: only their Authorization header is needed. */
type Caller = Pick<BuiltUser, 'auth'>;

export interface RegisteredUser extends Caller {
  id: string;
  token: string;
  email: string;
  password: string;
}

type Agent = ReturnType<typeof supertest>;

export class ForumApi {
  /** Owners of closed groups created "open" here, who approve each join() (a closed group cannot be open). */
  private readonly approvers = new Map<string, Caller>();

  constructor(private readonly http: Agent) {}

  static at(baseUrl: string): ForumApi {
    return new ForumApi(supertest(baseUrl));
  }

  /**
   * Signs up an adult the way a person does: POST /api/auth/register (202, no token), then the link
   * from the verification message the forum queued, through POST /api/auth/verify-email.
   */
  async register(overrides: { email?: string; password?: string; name?: string; dateOfBirth?: string } = {}): Promise<RegisteredUser> {
    const email = overrides.email ?? uniqueEmail('live');
    const password = overrides.password ?? 'correct horse battery staple';
    const res = await this.http.post('/api/auth/register').send({
      email,
      password,
      name: overrides.name ?? 'Live Tester',
      dateOfBirth: overrides.dateOfBirth ?? '1990-04-01',
      acceptTerms: true,
    });
    if (res.status !== 202) throw new Error(`register: ${res.status} ${res.text}`);
    return this.verify(await linkParameter(email, '/verify-email', 'token'), { email, password });
  }

  /** Follows a verification link's token with the registration password; the account is then active and signed in. */
  async verify(linkToken: string, credentials: { email: string; password: string }): Promise<RegisteredUser> {
    const res = await this.http.post('/api/auth/verify-email').send({ token: linkToken, password: credentials.password });
    if (res.status !== 200) throw new Error(`verify e-mail: ${res.status} ${res.text}`);
    const token = res.body.token as string;
    return { id: res.body.user.id as string, token, auth: { Authorization: `Bearer ${token}` }, ...credentials };
  }

  async logout(user: Caller): Promise<void> {
    const res = await this.http.post('/api/auth/logout').set(user.auth);
    if (res.status !== 204) throw new Error(`logout: ${res.status} ${res.text}`);
  }

  /** `open` for a closed group: a request group whose owner approves every join() made through this helper. */
  async createGroup(owner: Caller, visibility: 'public' | 'closed', joinPolicy: 'open' | 'request' | 'invite' = 'open'): Promise<Group> {
    const name = `Group ${Math.random().toString(36).slice(2, 10)}`;
    const approved = visibility === 'closed' && joinPolicy === 'open';
    const res = await this.http
      .post('/api/groups')
      .set(owner.auth)
      .send({ name, description: '', visibility, joinPolicy: approved ? 'request' : joinPolicy });
    if (res.status !== 201) throw new Error(`create group: ${res.status} ${res.text}`);
    if (approved) this.approvers.set(res.body.id as string, owner);
    return res.body as Group;
  }

  async join(user: Caller, groupId: string): Promise<void> {
    const res = await this.http.post(`/api/groups/${groupId}/join`).set(user.auth);
    const approver = this.approvers.get(groupId);
    if (res.status === 200 && res.body.myStatus === 'pending' && approver) {
      const me = await this.http.get('/api/me').set(user.auth);
      const approved = await this.http.post(`/api/groups/${groupId}/members/${me.body.id as string}/approve`).set(approver.auth);
      if (approved.status !== 200) throw new Error(`approve: ${approved.status} ${approved.text}`);
      return;
    }
    if (res.status !== 200 || res.body.myStatus !== 'member') throw new Error(`join: ${res.status} ${res.text}`);
  }

  async removeMember(by: Caller, groupId: string, userId: string): Promise<void> {
    const res = await this.http.delete(`/api/groups/${groupId}/members/${userId}`).set(by.auth);
    if (res.status !== 204) throw new Error(`remove member: ${res.status} ${res.text}`);
  }

  async updateGroup(owner: Caller, groupId: string, changes: Record<string, unknown>): Promise<Group> {
    const res = await this.http.patch(`/api/groups/${groupId}`).set(owner.auth).send(changes);
    if (res.status !== 200) throw new Error(`update group: ${res.status} ${res.text}`);
    return res.body as Group;
  }

  async post(author: Caller, groupId: string, body = `<p>post ${Math.random().toString(36).slice(2)}</p>`, parentId?: string): Promise<Post> {
    const res = await this.http.post(`/api/groups/${groupId}/posts`).set(author.auth).send(parentId ? { body, parentId } : { body });
    if (res.status !== 201) throw new Error(`post: ${res.status} ${res.text}`);
    return res.body as Post;
  }

  async getPost(viewer: Caller, postId: string): Promise<Post> {
    const res = await this.http.get(`/api/posts/${postId}`).set(viewer.auth);
    if (res.status !== 200) throw new Error(`get post: ${res.status} ${res.text}`);
    return res.body as Post;
  }

  async edit(author: Caller, postId: string, body: string): Promise<Post> {
    const res = await this.http.patch(`/api/posts/${postId}`).set(author.auth).send({ body });
    if (res.status !== 200) throw new Error(`edit: ${res.status} ${res.text}`);
    return res.body as Post;
  }

  async delete(by: Caller, postId: string): Promise<void> {
    const res = await this.http.delete(`/api/posts/${postId}`).set(by.auth);
    if (res.status !== 204) throw new Error(`delete: ${res.status} ${res.text}`);
  }

  async like(user: Caller, postId: string): Promise<number> {
    const res = await this.http.put(`/api/posts/${postId}/like`).set(user.auth);
    if (res.status !== 200) throw new Error(`like: ${res.status} ${res.text}`);
    return res.body.likeCount as number;
  }
}
