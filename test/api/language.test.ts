// Me.language: one of the languages the forum speaks, set in the profile, chosen at registration.
import { expect } from 'chai';
import { User } from '../../server/models/user';
import { resetDatabase } from '../support/database';
import { buildUser } from '../support/factories';
import { startTestForum, type TestForum } from '../support/forum';

describe('the account’s language (Me.language)', () => {
  let forum: TestForum;
  before(async () => {
    await resetDatabase();
    forum = await startTestForum();
  });
  after(() => forum.close());

  it('PATCH /api/me takes a supported language, in any case, and leaves other people’s alone', async () => {
    const { user, auth } = await buildUser();
    const other = await buildUser({ language: 'en' });
    const res = await forum.http.patch('/api/me').set(auth).send({ language: 'AR' }).expect(200);
    expect(res.body.language).to.equal('ar');
    expect((await forum.http.get('/api/me').set(auth).expect(200)).body.language).to.equal('ar');
    expect((await User.findById(user._id).lean())!.language).to.equal('ar');
    expect((await User.findById(other.user._id).lean())!.language).to.equal('en');
  });

  for (const bad of ['fr', 'en-GB', 'klingon', '', 'x'.repeat(100), 42, null, ['ar']]) {
    it(`PATCH /api/me refuses ${JSON.stringify(bad)}: 400 naming language and listing the supported ones, nothing written`, async () => {
      const { user, auth } = await buildUser({ language: 'en', bio: 'before' });
      const res = await forum.http.patch('/api/me').set(auth).send({ bio: 'after', language: bad }).expect(400);
      expect(res.body.error.field).to.equal('language');
      expect(res.body.error.message).to.include('en, ar');
      const stored = await User.findById(user._id).lean();
      expect(stored).to.include({ language: 'en', bio: 'before' });
    });
  }

  it('registration refuses an unsupported language with 400 naming it, and makes no account', async () => {
    const res = await forum.http
      .post('/api/auth/register')
      .send({ email: 'lang.bad@example.org', password: 'a long enough password', name: 'Bad', dateOfBirth: '1990-04-01', acceptTerms: true, language: 'de' })
      .expect(400);
    expect(res.body.error.field).to.equal('language');
    expect(await User.countDocuments({ email: 'lang.bad@example.org' })).to.equal(0);
  });

  it('registration without a language or a usable Accept-Language speaks English', async () => {
    await forum.http
      .post('/api/auth/register')
      .set('Accept-Language', 'de-DE, fr;q=0.9, ar;q=0')
      .send({ email: 'lang.none@example.org', password: 'a long enough password', name: 'None', dateOfBirth: '1990-04-01', acceptTerms: true })
      .expect(202);
    expect((await User.findOne({ email: 'lang.none@example.org' }).lean())!.language).to.equal('en');
  });
});
