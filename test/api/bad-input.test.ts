// Bad input through every mutating route: a missing field, a wrong type, an operator object where a
// string belongs, an array for an object, a huge value, a body that is not JSON, and ids that are not
// ids or name nothing. Each answer is a 4xx with an error code, and the database is exactly as before.
// List routes refuse repeated or bracketed query parameters the same way. Unknown extra fields on a
// good request are ignored: they never reach a stored document.
import { expect } from 'chai';
import mongoose, { Types } from 'mongoose';
import type { Response } from 'supertest';
import { Group } from '../../server/models/group';
import { Hold } from '../../server/models/hold';
import { Membership } from '../../server/models/membership';
import { Post } from '../../server/models/post';
import { RegistrationInvitation } from '../../server/models/registration-invitation';
import { Report } from '../../server/models/report';
import { User } from '../../server/models/user';
import { addMember, buildGroup, buildPost, idOf } from '../support/content';
import { resetDatabase } from '../support/database';
import { buildUser, type BuiltUser } from '../support/factories';
import { startTestForum, type TestForum } from '../support/forum';
import { discoverEndpoints, routerStack } from '../support/routes';

interface World {
  admin: BuiltUser;
  owner: BuiltUser;
  member: BuiltUser;
  groupId: string;
  postId: string;
  reportId: string;
  holdId: string;
  invitationId: string;
}

type Method = 'post' | 'put' | 'patch' | 'delete';

interface Route {
  method: Method;
  /** The Express pattern, as the app's router stack names it. */
  pattern: string;
  path: (w: World) => string;
  /** Who sends it: someone allowed to, so validation (not permission) is what refuses it. Null: no token. */
  as: (w: World) => BuiltUser | null;
  /** A body the route would accept; the cases are made from it. Absent for routes without a body. */
  good?: (w: World) => Record<string, unknown>;
  /** Keys of `good` the route can do without (which also take null). */
  optional?: string[];
}

const ROUTES: Route[] = [
  { method: 'post', pattern: '/api/auth/register', path: () => '/api/auth/register', as: () => null,
    good: () => ({ email: 'new@example.org', password: 'a long enough password', name: 'New', dateOfBirth: '1990-01-01', acceptTerms: true, invitation: 'abc' }),
    optional: ['invitation'] },
  { method: 'post', pattern: '/api/auth/login', path: () => '/api/auth/login', as: () => null,
    good: (w) => ({ email: w.member.user.email, password: w.member.password }) },
  { method: 'post', pattern: '/api/auth/logout', path: () => '/api/auth/logout', as: () => null },
  { method: 'post', pattern: '/api/auth/parental-consent', path: () => '/api/auth/parental-consent', as: () => null, good: () => ({ token: 'abc' }) },
  { method: 'post', pattern: '/api/auth/privacy-access', path: () => '/api/auth/privacy-access', as: () => null,
    good: (w) => ({ email: w.member.user.email, password: w.member.password }) },
  { method: 'post', pattern: '/api/auth/parental-consent/lookup', path: () => '/api/auth/parental-consent/lookup', as: () => null, good: () => ({ token: 'abc' }) },
  { method: 'post', pattern: '/api/auth/parental-consent/decline', path: () => '/api/auth/parental-consent/decline', as: () => null, good: () => ({ token: 'abc' }) },
  { method: 'post', pattern: '/api/auth/verify-email', path: () => '/api/auth/verify-email', as: () => null, good: () => ({ token: 'abc' }) },
  { method: 'post', pattern: '/api/auth/verify-email/resend', path: () => '/api/auth/verify-email/resend', as: () => null,
    good: () => ({ email: 'someone@example.org' }) },
  { method: 'post', pattern: '/api/auth/password-reset', path: () => '/api/auth/password-reset', as: () => null,
    good: () => ({ email: 'someone@example.org' }) },
  { method: 'post', pattern: '/api/auth/password-reset/confirm', path: () => '/api/auth/password-reset/confirm', as: () => null,
    good: () => ({ token: 'abc', newPassword: 'a long enough password' }) },
  { method: 'patch', pattern: '/api/me', path: () => '/api/me', as: (w) => w.member,
    good: () => ({ displayName: 'Renamed', bio: 'About me', language: 'ar' }), optional: ['displayName', 'bio', 'language'] },
  { method: 'put', pattern: '/api/me/password', path: () => '/api/me/password', as: (w) => w.member,
    good: (w) => ({ currentPassword: w.member.password, newPassword: 'another long password' }) },
  { method: 'put', pattern: '/api/me/avatar', path: () => '/api/me/avatar', as: (w) => w.member },
  { method: 'delete', pattern: '/api/me', path: () => '/api/me', as: (w) => w.member, good: (w) => ({ password: w.member.password }) },
  { method: 'put', pattern: '/api/me/preferences', path: () => '/api/me/preferences', as: (w) => w.member,
    good: () => ({ email: true, sms: false, whatsapp: false, phone: false, post: false }) },
  { method: 'post', pattern: '/api/notifications/read', path: () => '/api/notifications/read', as: (w) => w.member, good: () => ({ all: true }) },
  { method: 'put', pattern: '/api/me/notification-settings', path: () => '/api/me/notification-settings', as: (w) => w.member,
    good: () => ({ reply: { email: 'daily' } }), optional: ['reply'] },
  { method: 'put', pattern: '/api/me/restriction', path: () => '/api/me/restriction', as: (w) => w.member, good: () => ({ restricted: true }) },
  { method: 'put', pattern: '/api/me/parental-consent-requests', path: () => '/api/me/parental-consent-requests', as: (w) => w.member, good: () => ({ refused: true }) },
  { method: 'put', pattern: '/api/me/email', path: () => '/api/me/email', as: (w) => w.member,
    good: (w) => ({ email: 'elsewhere@example.org', password: w.member.password }) },
  { method: 'post', pattern: '/api/me/email/confirm', path: () => '/api/me/email/confirm', as: (w) => w.member, good: () => ({ token: 'abc' }) },
  { method: 'post', pattern: '/api/unsubscribe', path: () => '/api/unsubscribe', as: () => null, good: () => ({ token: 'abc' }) },
  { method: 'put', pattern: '/api/admin/users/:id/roles', path: (w) => `/api/admin/users/${idOf(w.member.user)}/roles`, as: (w) => w.admin,
    good: () => ({ roles: ['moderator'] }) },
  { method: 'put', pattern: '/api/admin/users/:id/membership', path: (w) => `/api/admin/users/${idOf(w.member.user)}/membership`, as: (w) => w.admin,
    good: () => ({ isMember: true }) },
  { method: 'post', pattern: '/api/admin/users/:id/suspend', path: (w) => `/api/admin/users/${idOf(w.member.user)}/suspend`, as: (w) => w.admin,
    good: () => ({ reason: 'Spam' }) },
  { method: 'post', pattern: '/api/admin/users/:id/reinstate', path: (w) => `/api/admin/users/${idOf(w.member.user)}/reinstate`, as: (w) => w.admin,
    good: () => ({ reason: 'Appeal upheld' }) },
  { method: 'put', pattern: '/api/admin/registration-policy', path: () => '/api/admin/registration-policy', as: (w) => w.admin,
    good: () => ({ policy: 'approval' }) },
  { method: 'post', pattern: '/api/admin/registrations/:id/approve', path: (w) => `/api/admin/registrations/${idOf(w.member.user)}/approve`, as: (w) => w.admin },
  { method: 'post', pattern: '/api/admin/registrations/:id/decline', path: (w) => `/api/admin/registrations/${idOf(w.member.user)}/decline`, as: (w) => w.admin },
  { method: 'post', pattern: '/api/admin/invitations', path: () => '/api/admin/invitations', as: (w) => w.admin,
    good: () => ({ maxUses: 2, expiresInDays: 7, label: 'Meeting' }), optional: ['maxUses', 'expiresInDays', 'label'] },
  { method: 'delete', pattern: '/api/admin/invitations/:id', path: (w) => `/api/admin/invitations/${w.invitationId}`, as: (w) => w.admin },
  { method: 'post', pattern: '/api/groups', path: () => '/api/groups', as: (w) => w.member,
    good: () => ({ name: 'Fresh', description: 'A group', rules: 'Be kind.', visibility: 'public', joinPolicy: 'open' }), optional: ['description', 'rules', 'joinPolicy'] },
  { method: 'patch', pattern: '/api/groups/:id', path: (w) => `/api/groups/${w.groupId}`, as: (w) => w.owner,
    good: () => ({ name: 'Renamed', description: 'Changed', rules: 'Be kind.', visibility: 'closed', joinPolicy: 'invite' }),
    optional: ['name', 'description', 'rules', 'visibility', 'joinPolicy'] },
  { method: 'post', pattern: '/api/groups/:id/join', path: (w) => `/api/groups/${w.groupId}/join`, as: (w) => w.admin },
  { method: 'post', pattern: '/api/groups/:id/members/:userId/approve',
    path: (w) => `/api/groups/${w.groupId}/members/${idOf(w.admin.user)}/approve`, as: (w) => w.owner },
  { method: 'put', pattern: '/api/groups/:id/members/:userId/role', path: (w) => `/api/groups/${w.groupId}/members/${idOf(w.member.user)}/role`,
    as: (w) => w.owner, good: () => ({ role: 'moderator' }) },
  { method: 'delete', pattern: '/api/groups/:id/members/:userId', path: (w) => `/api/groups/${w.groupId}/members/${idOf(w.member.user)}`,
    as: (w) => w.owner },
  { method: 'post', pattern: '/api/groups/:id/invites', path: (w) => `/api/groups/${w.groupId}/invites`, as: (w) => w.owner,
    good: (w) => ({ userId: idOf(w.admin.user) }) },
  { method: 'post', pattern: '/api/groups/:id/posts', path: (w) => `/api/groups/${w.groupId}/posts`, as: (w) => w.member,
    good: (w) => ({ body: '<p>Hello</p>', parentId: w.postId }), optional: ['parentId'] },
  { method: 'patch', pattern: '/api/posts/:id', path: (w) => `/api/posts/${w.postId}`, as: (w) => w.member, good: () => ({ body: '<p>Edited</p>' }) },
  { method: 'delete', pattern: '/api/posts/:id', path: (w) => `/api/posts/${w.postId}`, as: (w) => w.member },
  { method: 'put', pattern: '/api/posts/:id/like', path: (w) => `/api/posts/${w.postId}/like`, as: (w) => w.owner },
  { method: 'delete', pattern: '/api/posts/:id/like', path: (w) => `/api/posts/${w.postId}/like`, as: (w) => w.owner },
  { method: 'post', pattern: '/api/posts/:id/reports', path: (w) => `/api/posts/${w.postId}/reports`, as: (w) => w.owner, good: () => ({ reason: 'Spam' }) },
  { method: 'post', pattern: '/api/mod/reports/:id/dismiss', path: (w) => `/api/mod/reports/${w.reportId}/dismiss`, as: (w) => w.admin,
    good: () => ({ reason: 'Fine' }) },
  { method: 'post', pattern: '/api/mod/posts/:id/hide', path: (w) => `/api/mod/posts/${w.postId}/hide`, as: (w) => w.admin, good: () => ({ reason: 'Spam' }) },
  { method: 'post', pattern: '/api/mod/posts/:id/restore', path: (w) => `/api/mod/posts/${w.postId}/restore`, as: (w) => w.admin,
    good: () => ({ reason: 'Fine' }), optional: ['reason'] },
  { method: 'post', pattern: '/api/mod/posts/:id/delete', path: (w) => `/api/mod/posts/${w.postId}/delete`, as: (w) => w.admin, good: () => ({ reason: 'Spam' }) },
  { method: 'post', pattern: '/api/mod/groups/:id/members/:userId/suspend',
    path: (w) => `/api/mod/groups/${w.groupId}/members/${idOf(w.member.user)}/suspend`, as: (w) => w.admin, good: () => ({ reason: 'Abuse' }) },
  { method: 'delete', pattern: '/api/mod/groups/:id/members/:userId/suspend',
    path: (w) => `/api/mod/groups/${w.groupId}/members/${idOf(w.member.user)}/suspend`, as: (w) => w.admin,
    good: () => ({ reason: 'Served' }), optional: ['reason'] },
  { method: 'post', pattern: '/api/mod/holds', path: () => '/api/mod/holds', as: (w) => w.admin,
    good: (w) => ({ scope: { type: 'post', id: w.postId }, reason: 'Court order', reference: 'Case 1' }) },
  { method: 'delete', pattern: '/api/mod/holds/:id', path: (w) => `/api/mod/holds/${w.holdId}`, as: (w) => w.admin, good: () => ({ reason: 'Closed' }) },
  { method: 'post', pattern: '/api/mod/disclosures', path: () => '/api/mod/disclosures', as: (w) => w.admin,
    good: (w) => ({ holdId: w.holdId, legalBasis: 'Art. 6', reference: 'Case 1', recipient: 'Police', notifyUser: false, withholdReason: 'Ongoing' }),
    optional: ['notifyUser'] },
];

const LIST_ROUTES: Array<{ path: (w: World) => string; as: (w: World) => BuiltUser }> = [
  { path: () => '/api/feed', as: (w) => w.member },
  { path: () => '/api/groups', as: (w) => w.member },
  { path: (w) => `/api/groups/${w.groupId}/posts`, as: (w) => w.member },
  { path: (w) => `/api/groups/${w.groupId}/members`, as: (w) => w.owner },
  { path: (w) => `/api/posts/${w.postId}/replies`, as: (w) => w.member },
  { path: (w) => `/api/users/${idOf(w.member.user)}/posts`, as: (w) => w.owner },
  { path: (w) => `/api/users/${idOf(w.member.user)}/likes`, as: (w) => w.owner },
  { path: () => '/api/mod/reports', as: (w) => w.admin },
  { path: () => '/api/mod/holds', as: (w) => w.admin },
  { path: () => '/api/mod/audit', as: (w) => w.admin },
  { path: () => '/api/admin/registrations', as: (w) => w.admin },
  { path: () => '/api/admin/invitations', as: (w) => w.admin },
];

const HUGE = 'x'.repeat(100_000);

interface BadBody {
  name: string;
  body?: unknown;
  raw?: { contentType: string; text: string };
}

/** Every way a body can be wrong, derived from one good body. */
function badBodies(good: Record<string, unknown>, optional: string[]): BadBody[] {
  const cases: BadBody[] = [
    { name: 'an array body', body: [] },
    { name: 'an array of the good body', body: [good] },
    { name: 'JSON null', raw: { contentType: 'application/json', text: 'null' } },
    { name: 'a JSON string', raw: { contentType: 'application/json', text: '"hello"' } },
    { name: 'malformed JSON', raw: { contentType: 'application/json', text: '{"a": ' } },
    { name: 'a body over the JSON limit', body: { ...good, padding: 'x'.repeat(300 * 1024) } },
  ];
  const required = Object.keys(good).filter((key) => !optional.includes(key));
  if (required.length) {
    cases.push({ name: 'an empty object', body: {} });
    cases.push({ name: 'a text/plain body', raw: { contentType: 'text/plain', text: JSON.stringify(good) } });
  }
  for (const key of Object.keys(good)) {
    const value = good[key];
    if (!optional.includes(key)) {
      const { [key]: _dropped, ...rest } = good;
      cases.push({ name: `${key} missing`, body: rest });
    }
    const wrong: Array<[string, unknown]> = [
      ['an operator object', { $gt: '' }],
      ['a nested operator', { $ne: null, $where: 'sleep(1000)' }],
      ['an array of it', [value]],
      ['a number', 12345],
    ];
    if (!optional.includes(key)) wrong.push(['null', null]);
    if (typeof value === 'string') wrong.push(['100 000 characters', HUGE]);
    else wrong.push(['a string', 'yes']);
    for (const [what, bad] of wrong) cases.push({ name: `${key} as ${what}`, body: { ...good, [key]: bad } });
  }
  return cases;
}

/** Every document of every collection, as text, to prove that a refused request changed nothing. */
async function snapshot(): Promise<string> {
  const db = mongoose.connection.db!;
  const names = (await db.listCollections({}, { nameOnly: true }).toArray()).map((row) => row.name).sort();
  const parts: string[] = [];
  for (const name of names) {
    const rows = await db.collection(name).find({}).sort({ _id: 1 }).toArray();
    parts.push(`${name}: ${JSON.stringify(rows)}`);
  }
  return parts.join('\n');
}

function expectRefused(res: Response, what: string): void {
  expect(res.status, `${what} answered ${res.status} ${JSON.stringify(res.body)}`).to.be.within(400, 499);
  expect(res.body?.error?.code, `${what} has no error code`).to.be.a('string');
  expect(res.body.error.message, `${what} has no message`).to.be.a('string');
  expect(res.headers['set-cookie']).to.equal(undefined);
}

describe('bad input through every mutating route', () => {
  let forum: TestForum;
  let w: World;

  before(async () => {
    forum = await startTestForum({ loginLimits: { freePerPair: 100_000, freePerAccount: 100_000, perAddress: 100_000 } });
  });
  after(() => forum.close());

  beforeEach(async () => {
    await resetDatabase();
    const [admin, owner, member] = await Promise.all([buildUser({ roles: ['admin', 'moderator'] }), buildUser(), buildUser()]);
    const group = await buildGroup({ owner, visibility: 'public' });
    await addMember(group, member);
    const post = await buildPost({ group, author: member });
    const report = await Report.create({ postId: post._id, groupId: group._id, authorId: member.user._id, reporterId: owner.user._id, reason: 'Spam' });
    const hold = await Hold.create({ scope: { type: 'post', id: post._id }, reason: 'Court order', reference: 'Case 0', createdBy: admin.user._id });
    const invitation = await RegistrationInvitation.create({ tokenHash: 'f'.repeat(64), maxUses: 1, createdBy: admin.user._id, createdAt: new Date(), expiresAt: new Date(Date.now() + 86_400_000) });
    w = { admin, owner, member, groupId: idOf(group), postId: idOf(post), reportId: idOf(report), holdId: idOf(hold), invitationId: idOf(invitation) };
  });

  it('covers every mutating route the app has', () => {
    const mutating = discoverEndpoints(routerStack(forum.app))
      .filter((endpoint) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(endpoint.method))
      .map((endpoint) => `${endpoint.method} ${endpoint.path}`);
    const covered = ROUTES.map((route) => `${route.method.toUpperCase()} ${route.pattern}`);
    expect(covered).to.have.members(mutating);
  });

  it('refuses every malformed body with a 4xx and an error code, and changes nothing', async function () {
    this.timeout(300_000);
    const before = await snapshot();
    for (const route of ROUTES.filter((candidate) => candidate.good)) {
      const actor = route.as(w);
      for (const bad of badBodies(route.good!(w), route.optional ?? [])) {
        let req = forum.http[route.method](route.path(w));
        if (actor) req = req.set(actor.auth);
        req = bad.raw ? req.set('Content-Type', bad.raw.contentType).send(bad.raw.text) : req.send(bad.body as object);
        expectRefused(await req, `${route.method.toUpperCase()} ${route.pattern} with ${bad.name}`);
      }
    }
    expect(await snapshot()).to.equal(before);
  });

  it('answers 404 for path ids that are not ids or name nothing, and changes nothing', async function () {
    this.timeout(120_000);
    const before = await snapshot();
    const strangers = ['not-an-id', '%7B%22%24gt%22%3A%22%22%7D', `${w.groupId}x`, new Types.ObjectId().toHexString()];
    for (const route of ROUTES.filter((candidate) => candidate.pattern.includes(':'))) {
      const actor = route.as(w);
      const params = route.pattern.match(/:\w+/g)!;
      for (const param of params) {
        for (const stranger of strangers) {
          // Only the one parameter is wrong; the others are the good ones.
          const goodPath = route.path(w).split('/');
          const index = route.pattern.split('/').indexOf(param);
          goodPath[index] = stranger;
          let req = forum.http[route.method](goodPath.join('/'));
          if (actor) req = req.set(actor.auth);
          if (route.good) req = req.send(route.good(w));
          const res = await req;
          expect(res.status, `${route.method.toUpperCase()} ${goodPath.join('/')}: ${JSON.stringify(res.body)}`).to.equal(404);
          expectRefused(res, `${route.method.toUpperCase()} ${goodPath.join('/')}`);
        }
      }
    }
    expect(await snapshot()).to.equal(before);
  });

  it('refuses ids in bodies that are not ids or name nothing, with a 4xx and no change', async () => {
    const before = await snapshot();
    const unknown = new Types.ObjectId().toHexString();
    const cases: Array<[Method, string, BuiltUser, Record<string, unknown>, number]> = [
      ['post', `/api/groups/${w.groupId}/invites`, w.owner, { userId: unknown }, 404],
      ['post', `/api/groups/${w.groupId}/invites`, w.owner, { userId: 'nope' }, 400],
      ['post', `/api/groups/${w.groupId}/posts`, w.member, { body: 'hi', parentId: unknown }, 404],
      ['post', `/api/groups/${w.groupId}/posts`, w.member, { body: 'hi', parentId: 'nope' }, 400],
      ['post', '/api/mod/holds', w.admin, { scope: { type: 'group', id: unknown }, reason: 'r', reference: 'x' }, 400],
      ['post', '/api/mod/holds', w.admin, { scope: { type: 'planet', id: w.postId }, reason: 'r', reference: 'x' }, 400],
      ['post', '/api/mod/disclosures', w.admin, { holdId: unknown, legalBasis: 'b', reference: 'r', recipient: 'p', notifyUser: true }, 400],
    ];
    for (const [method, path, actor, body, status] of cases) {
      const res = await forum.http[method](path).set(actor.auth).send(body);
      expect(res.status, `${method} ${path} ${JSON.stringify(body)}: ${JSON.stringify(res.body)}`).to.equal(status);
      expectRefused(res, `${method} ${path}`);
    }
    expect(await snapshot()).to.equal(before);
  });

  it('refuses repeated, bracketed and malformed query parameters on every list with 400', async () => {
    const queries = ['limit=1&limit=2', 'limit=0', 'limit=51', 'limit=abc', 'limit[$gt]=1', 'cursor=a&cursor=b', 'cursor[$gt]=', 'cursor=not-a-cursor'];
    for (const list of LIST_ROUTES) {
      for (const query of queries) {
        const res = await forum.http.get(`${list.path(w)}?${query}`).set(list.as(w).auth);
        // A bracketed key is not the parameter itself: the simple query parser keeps it as a stray name.
        if (query.includes('[')) expect(res.status, `${list.path(w)}?${query}`).to.equal(200);
        else {
          expect(res.status, `${list.path(w)}?${query}: ${JSON.stringify(res.body)}`).to.equal(400);
          expectRefused(res, `${list.path(w)}?${query}`);
        }
      }
    }
    for (const [path, query] of [['/api/mod/reports', 'status=open&status=dismissed'], ['/api/mod/holds', 'status=gone'], [`/api/groups/${w.groupId}/members`, 'status=owner'], ['/api/admin/users', 'q=ab&q=cd'], ['/api/admin/users', 'q[$gt]=']] as const) {
      const res = await forum.http.get(`${path}?${query}`).set(path.includes('groups') ? w.owner.auth : w.admin.auth);
      expect(res.status, `${path}?${query}`).to.equal(400);
      expectRefused(res, `${path}?${query}`);
    }
  });

  describe('unknown extra fields never reach a stored document', () => {
    it('a profile edit cannot set roles, membership, e-mail or status', async () => {
      const res = await forum.http
        .patch('/api/me')
        .set(w.member.auth)
        .send({ displayName: 'Still me', roles: ['admin'], isMember: true, email: 'taken@example.org', status: 'erased', passwordHash: 'x' });
      expect(res.status).to.equal(200);
      const stored = await User.findById(w.member.user._id).lean();
      expect(stored!.displayName).to.equal('Still me');
      expect(stored!.roles ?? []).to.deep.equal([]);
      expect(stored!.isMember).to.not.equal(true);
      expect(stored!.email).to.equal(w.member.user.email);
      expect(stored!.status).to.equal('active');
      expect(stored!.passwordHash).to.equal(w.member.user.passwordHash);
    });

    it('creating and editing a group cannot set its owner, slug or member count', async () => {
      const created = await forum.http
        .post('/api/groups')
        .set(w.member.auth)
        .send({ name: 'Mine', visibility: 'public', ownerId: idOf(w.admin.user), memberCount: 1000, slug: 'taken' })
        .expect(201);
      const group = await Group.findById(created.body.id).lean();
      expect(String(group!.ownerId)).to.equal(idOf(w.member.user));
      expect(group!.memberCount).to.equal(1);
      expect(group!.slug).to.equal('mine');
      await forum.http.patch(`/api/groups/${w.groupId}`).set(w.owner.auth).send({ name: 'Kept', ownerId: idOf(w.member.user), memberCount: 0 }).expect(200);
      const patched = await Group.findById(w.groupId).lean();
      expect(String(patched!.ownerId)).to.equal(idOf(w.owner.user));
      expect(patched!.memberCount).to.equal(2);
    });

    it('a new post or edit cannot choose its author, counts, or moderation state', async () => {
      const res = await forum.http
        .post(`/api/groups/${w.groupId}/posts`)
        .set(w.member.auth)
        .send({ body: 'mine', authorId: idOf(w.owner.user), likeCount: 99, replyCount: 9, hiddenAt: null, deletedAt: new Date(), groupId: new Types.ObjectId() })
        .expect(201);
      const post = await Post.findById(res.body.id).lean();
      expect(String(post!.authorId)).to.equal(idOf(w.member.user));
      expect(String(post!.groupId)).to.equal(w.groupId);
      expect([post!.likeCount, post!.replyCount, post!.deletedAt]).to.deep.equal([0, 0, null]);
      await forum.http.patch(`/api/posts/${w.postId}`).set(w.member.auth).send({ body: 'edited', authorId: idOf(w.owner.user), likeCount: 5 }).expect(200);
      const edited = await Post.findById(w.postId).lean();
      expect(String(edited!.authorId)).to.equal(idOf(w.member.user));
      expect(edited!.likeCount).to.equal(0);
    });

    it('a report cannot file itself as resolved or in someone else’s name', async () => {
      await Report.deleteMany({});
      await forum.http
        .post(`/api/posts/${w.postId}/reports`)
        .set(w.owner.auth)
        .send({ reason: 'Spam', status: 'dismissed', reporterId: idOf(w.admin.user), groupId: new Types.ObjectId() })
        .expect(201);
      const report = await Report.findOne({ postId: w.postId }).lean();
      expect(report!.status).to.equal('open');
      expect(String(report!.reporterId)).to.equal(idOf(w.owner.user));
      expect(String(report!.groupId)).to.equal(w.groupId);
    });

    it('a role change or invitation touches only the membership it names', async () => {
      await forum.http
        .put(`/api/groups/${w.groupId}/members/${idOf(w.member.user)}/role`)
        .set(w.owner.auth)
        .send({ role: 'moderator', status: 'removed', groupId: new Types.ObjectId() })
        .expect(200);
      const membership = await Membership.findOne({ groupId: w.groupId, userId: w.member.user._id }).lean();
      expect([membership!.status, membership!.role]).to.deep.equal(['member', 'moderator']);
    });
  });
});
