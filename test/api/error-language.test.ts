// Error messages in the reader's language: the signed-in account's `language`, else the request's
// Accept-Language, else English. The `code` and field names never change: they are the contract.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { Types } from 'mongoose';
import type { ErrorBody } from '../../shared/api';
import enErrors from '../../shared/i18n/messages/en/errors.json';
import { translatorFor } from '../../shared/i18n/server-catalogues';
import { User } from '../../server/models/user';
import { readCache } from '../../server/services/read-cache';
import { buildGroup, buildPost, idOf } from '../support/content';
import { resetDatabase } from '../support/database';
import { buildUser, type BuiltUser } from '../support/factories';
import { startTestForum, type TestForum } from '../support/forum';
import { connect, subscribe } from '../support/sockets';

const en = translatorFor('en');
const ar = translatorFor('ar');
const ARABIC = /[\u0600-\u06FF]/;

type Refusal = ErrorBody['error'];

describe('error messages in the reader’s language', () => {
  let forum: TestForum;
  let owner: BuiltUser;
  let group: { _id: Types.ObjectId };
  let postId: string;

  before(async () => {
    await resetDatabase();
    forum = await startTestForum();
    owner = await buildUser();
    group = await buildGroup({ owner, visibility: 'public' });
    postId = idOf(await buildPost({ group, author: owner }));
  });
  after(() => forum.close());

  /** A 400, a 404, a 403 and a 409, each met the ordinary way by a signed-in member who is not in the group. */
  async function refusals(reader: BuiltUser, headers: Record<string, string>): Promise<Record<'invalid' | 'notFound' | 'forbidden' | 'conflict', Refusal>> {
    const as = <T extends { set(field: Record<string, string>): T }>(request: T) => request.set(reader.auth).set(headers);
    const invalid = await as(forum.http.patch('/api/me')).send({ displayName: '', bio: 'x'.repeat(501) }).expect(400);
    const notFound = await as(forum.http.get(`/api/posts/${String(new Types.ObjectId())}`)).expect(404);
    const forbidden = await as(forum.http.post(`/api/groups/${String(group._id)}/posts`)).send({ body: '<p>Hello</p>' }).expect(403);
    await as(forum.http.post(`/api/posts/${postId}/reports`)).send({ reason: 'spam' }).expect(201);
    const conflict = await as(forum.http.post(`/api/posts/${postId}/reports`)).send({ reason: 'spam again' }).expect(409);
    return { invalid: invalid.body.error, notFound: notFound.body.error, forbidden: forbidden.body.error, conflict: conflict.body.error };
  }

  /** What each refusal must say in a language, with the codes and fields of the contract. */
  function expected(t: typeof en): Record<'invalid' | 'notFound' | 'forbidden' | 'conflict', Refusal> {
    const sentence = (text: string) => `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
    const empty = t.t('errors.field.notEmpty');
    const long = t.t('errors.field.atMostChars', { max: 500 });
    return {
      invalid: {
        code: 'invalid_input',
        field: 'displayName',
        message: t.t('errors.invalid.field', { field: 'displayName', problem: empty }),
        fields: [
          { field: 'displayName', message: sentence(empty) },
          { field: 'bio', message: sentence(long) },
        ],
      },
      notFound: { code: 'not_found', message: t.t('errors.notFound.post') },
      forbidden: { code: 'forbidden', message: t.t('errors.forbidden.post') },
      conflict: { code: 'conflict', message: t.t('errors.conflict.alreadyReported') },
    };
  }

  it('an account in English gets English, whatever the browser asks for: the account’s choice comes first', async () => {
    const reader = await buildUser({ language: 'en' });
    const answers = await refusals(reader, { 'Accept-Language': 'ar' });
    expect(answers).to.deep.equal(expected(en));
    expect(answers.invalid.fields![1]!.message).to.equal('Must be at most 500 characters.');
    expect(answers.notFound.message).to.equal('No such post.');
  });

  it('an account in Arabic gets Arabic while the browser says English, with the same codes and field names', async () => {
    const reader = await buildUser({ language: 'ar' });
    const answers = await refusals(reader, { 'Accept-Language': 'en-GB,en;q=0.9' });
    expect(answers).to.deep.equal(expected(ar));
    for (const refusal of Object.values(answers)) expect(refusal.message).to.match(ARABIC).and.not.equal(refusal.code);
    // The count is an ICU plural in Arabic's own categories ("500" takes "other"), not an English one.
    expect(answers.invalid.fields![1]!.message).to.not.equal(expected(en).invalid.fields![1]!.message);
  });

  it('an account that never chose a language gets the browser’s: Accept-Language: ar answers in Arabic', async () => {
    const reader = await buildUser();
    await User.updateOne({ _id: reader.user._id }, { $unset: { language: 1 } });
    readCache.apply({ type: 'user.changed', userId: String(reader.user._id), change: { kind: 'profile' } });
    expect(await refusals(reader, { 'Accept-Language': 'fr-CH, ar;q=0.8, en;q=0.5' })).to.deep.equal(expected(ar));
  });

  it('a visitor’s errors follow Accept-Language: a 400 naming each field, a 401, a 404, all in Arabic', async () => {
    const invalid = await forum.http
      .post('/api/auth/register')
      .set('Accept-Language', 'ar')
      .send({ email: 'not-an-address', password: 'short', name: 'نور', dateOfBirth: '1990-04-01', acceptTerms: true })
      .expect(400);
    expect(invalid.body.error).to.include({ code: 'invalid_input', field: 'email', message: ar.t('errors.invalid.field', { field: 'email', problem: ar.t('errors.field.email') }) });
    expect(invalid.body.error.fields).to.deep.equal([
      { field: 'email', message: `${ar.t('errors.field.email')}.` },
      { field: 'password', message: `${ar.t('errors.field.atLeastChars', { min: 10 })}.` },
    ]);
    const unauthorized = await forum.http.get('/api/me').set('Accept-Language', 'ar').expect(401);
    expect(unauthorized.body.error).to.deep.equal({ code: 'unauthorized', message: ar.t('errors.unauthorized.token') });
    const route = await forum.http.get('/api/no-such-thing').set('Accept-Language', 'ar-EG').expect(404);
    expect(route.body.error).to.deep.equal({ code: 'not_found', message: ar.t('errors.notFound.apiRoute', { method: 'GET', path: '/no-such-thing' }) });
    // Without the header, English as before.
    expect((await forum.http.get('/api/me').expect(401)).body.error.message).to.equal('Sign in to do this: a valid bearer token is required.');
  });

  it('Socket.IO refusals speak the reader’s language too: an Arabic account, and a visitor whose browser asks for Arabic', async () => {
    await forum.startListening();
    const closed = await buildGroup({ owner, visibility: 'closed' });
    const reader = await buildUser({ language: 'ar' });
    const member = await connect(forum.url, { token: reader.token, headers: { 'Accept-Language': 'en' } });
    const visitor = await connect(forum.url, { headers: { 'Accept-Language': 'ar' } });
    try {
      expect(await subscribe(member, `group:${String(closed._id)}`)).to.deep.equal({ ok: false, error: { code: 'not_found', message: ar.t('errors.notFound.group') } });
      expect(await subscribe(visitor, 'home')).to.deep.equal({ ok: false, error: { code: 'unauthorized', message: ar.t('errors.realtime.signIn') } });
      const refused = await connect(forum.url, { token: 'x'.repeat(40), headers: { 'Accept-Language': 'ar' } }).then(
        () => null,
        (error: { data?: { code: string; message: string } }) => error.data,
      );
      expect(refused).to.deep.equal({ code: 'unauthorized', message: ar.t('errors.realtime.tokenInvalid') });
    } finally {
      member.close();
      visitor.close();
    }
  });
});

describe('the errors catalogue', () => {
  /** Every TypeScript file of the server but the storage engine, whose errors never reach a person. */
  function serverSource(dir: string): string {
    return readdirSync(dir)
      .map((name) => path.join(dir, name))
      .filter((file) => !file.includes('embedded-mongo'))
      .map((file) => (statSync(file).isDirectory() ? serverSource(file) : file.endsWith('.ts') ? readFileSync(file, 'utf8') : ''))
      .join('\n');
  }
  const source = serverSource(path.join(__dirname, '../../server'));

  /** A key is used when the server names it, or (for "No such …") names the thing a NotFound takes. */
  function used(key: string): boolean {
    if (source.includes(`'${key}'`)) return true;
    const thing = /^errors\.notFound\.(\w+)$/.exec(key)?.[1];
    return thing !== undefined && source.includes(`'${thing}'`);
  }

  it('has no message the server never sends', () => {
    const keys = Object.keys(enErrors);
    expect(keys.length).to.be.greaterThan(150);
    expect(keys.filter((key) => !used(key))).to.deep.equal([]);
    expect(used('errors.field.neverSent'), 'the search can fail').to.equal(false);
  });
});
