// Registration approved by an admin, read from real SMTP traffic: the registrant confirms the address, waits,
// and is told by e-mail whether they were let in.
import { expect } from 'chai';
import { SiteSetting } from '../../server/models/site-setting';
import { User } from '../../server/models/user';
import { resetDatabase } from '../support/database';
import { buildUser, uniqueEmail, type BuiltUser } from '../support/factories';
import type { TestForum } from '../support/forum';
import { sentTo, tokenIn, type TestSmtpServer } from '../support/smtp';
import { startSmtpForum, type SmtpForum } from '../support/smtp-forum';

describe('mail: registration approved or declined by an admin', () => {
  let env: SmtpForum;
  let smtp: TestSmtpServer;
  let forum: TestForum;
  let admin: BuiltUser;

  before(async () => {
    await resetDatabase();
    env = await startSmtpForum();
    ({ smtp, forum } = env);
    admin = await buildUser({ roles: ['admin', 'moderator'] });
    await forum.http.put('/api/admin/registration-policy').set(admin.auth).send({ policy: 'approval' }).expect(200);
  });
  after(async () => {
    await SiteSetting.deleteMany({});
    await env.close();
  });

  async function registerAndVerify(email: string): Promise<string> {
    await forum.http
      .post('/api/auth/register')
      .send({ email, password: 'a long enough password', name: 'Waiting Registrant', dateOfBirth: '1991-02-03', acceptTerms: true })
      .expect(202);
    const verification = await smtp.waitFor((mail) => sentTo(email)(mail) && mail.links.some((link) => link.includes('/verify-email')));
    const answer = await forum.http.post('/api/auth/verify-email').send({ token: tokenIn(verification, '/verify-email'), password: 'a long enough password' }).expect(403);
    expect(answer.body.error.code).to.equal('approval_pending');
    return String((await User.findOne({ email }).lean())!._id);
  }

  it('tells an approved registrant they can sign in, and a declined one that their account is gone', async () => {
    const [welcome, refused] = [uniqueEmail('approved'), uniqueEmail('declined')];
    const welcomeId = await registerAndVerify(welcome);
    const refusedId = await registerAndVerify(refused);

    await forum.http.post(`/api/admin/registrations/${welcomeId}/approve`).set(admin.auth).expect(200);
    const approved = await smtp.waitFor((mail) => sentTo(welcome)(mail) && mail.parsed.subject === 'Your forum registration was approved');
    expect(approved.links).to.deep.equal(['http://127.0.0.1:3000/signin']);
    await forum.http.post('/api/auth/login').send({ email: welcome, password: 'a long enough password' }).expect(200);

    await forum.http.post(`/api/admin/registrations/${refusedId}/decline`).set(admin.auth).expect(204);
    const declined = await smtp.waitFor((mail) => sentTo(refused)(mail) && mail.parsed.subject === 'Your forum registration was declined');
    expect(declined.parsed.text).to.include('Waiting Registrant');
    expect(smtp.accepted.filter(sentTo(refused)).map((mail) => mail.parsed.subject)).not.to.include('Your forum registration was approved');
    await forum.http.post('/api/auth/login').send({ email: refused, password: 'a long enough password' }).expect(401);
  });
});
