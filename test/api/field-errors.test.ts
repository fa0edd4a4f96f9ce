// A 400 names every invalid field at once, each with its problem in words, so a form can mark them all together.
import { expect } from 'chai';
import type { ErrorBody } from '../../shared/api';
import { resetDatabase } from '../support/database';
import { buildUser } from '../support/factories';
import { startTestForum, type TestForum } from '../support/forum';

describe('400 answers list every invalid field', () => {
  let forum: TestForum;

  before(async () => {
    await resetDatabase();
    forum = await startTestForum();
  });
  after(() => forum.close());

  it('registration with four bad fields names all four, in words, and still names the first in `field` and `message`', async () => {
    const res = await forum.http
      .post('/api/auth/register')
      .send({ email: 'not-an-address', password: 'short', name: '', dateOfBirth: '1990-02-30', acceptTerms: true })
      .expect(400);
    const { error } = res.body as ErrorBody;
    expect(error.code).to.equal('invalid_input');
    const fields = Object.fromEntries((error.fields ?? []).map((problem) => [problem.field, problem.message]));
    expect(Object.keys(fields).sort()).to.deep.equal(['dateOfBirth', 'email', 'name', 'password']);
    expect(fields.email).to.equal('Must be an e-mail address like name@example.org.');
    expect(fields.password).to.match(/^Must be at least \d+ characters\.$/);
    for (const message of Object.values(fields)) expect(message, 'no key prefix').to.not.match(/^[a-z]+[A-Z]?\w*:/);
    expect(error.field).to.equal(error.fields![0]!.field);
    expect(error.message.startsWith(`${error.field}: `)).to.equal(true);
  });

  it('one bad field is listed alone', async () => {
    const user = await buildUser();
    const res = await forum.http.patch('/api/me').set(user.auth).send({ bio: 'x'.repeat(5000) }).expect(400);
    expect((res.body as ErrorBody).error.fields).to.deep.equal([{ field: 'bio', message: (res.body as ErrorBody).error.fields![0]!.message }]);
    expect((res.body as ErrorBody).error.fields![0]!.message).to.match(/^Must be at most \d+ characters\.$/);
  });
});
