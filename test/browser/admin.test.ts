// The admin console in a real browser: only admins get it; an admin finds a person, changes their
// organisation membership, suspends and reinstates them, chooses the registration policy, makes an
// invitation link, approves a waiting registrant, and sees the mail queue and erasures.
import { expect } from 'chai';
import { RegistrationInvitation } from '../../server/models/registration-invitation';
import { SiteSetting } from '../../server/models/site-setting';
import { User } from '../../server/models/user';
import { buildUser, uniqueEmail } from '../support/factories';
import { openPage, screenshot, signInWithToken, startBrowserForum, type BrowserForum } from './support';

describe('browser: admin console', function () {
  this.timeout(120_000);
  let env: BrowserForum;

  before(async () => {
    env = await startBrowserForum();
  });
  after(async () => {
    await SiteSetting.deleteMany({});
    await env?.close();
  });

  it('shows a member, a site moderator and a visitor no console, only the not-allowed page', async () => {
    const member = await buildUser();
    const moderator = await buildUser({ roles: ['moderator'] });
    for (const who of [member, moderator]) {
      const { page, problems } = await openPage(env.browser);
      await signInWithToken(page, env.url, who.token, '/admin');
      await page.getByRole('heading', { name: 'Administrators only' }).waitFor();
      expect(await page.getByRole('link', { name: 'Admin' }).count()).to.equal(0);
      expect(await page.getByRole('heading', { name: 'People' }).count()).to.equal(0);
      expect(problems).to.deep.equal([]);
      await page.context().close();
    }
    const visitor = await openPage(env.browser);
    await visitor.page.goto(`${env.url}/admin`);
    await visitor.page.getByRole('heading', { name: 'This page is for members with an account' }).waitFor();
    await visitor.context.close();
  });

  it('lets an admin manage a person, the registration policy and the queue, and see operations', async () => {
    const admin = await buildUser({ roles: ['admin', 'moderator'] });
    const target = await buildUser({ name: 'Ottilie Browserfound', displayName: 'Ottilie' });
    const { page, problems } = await openPage(env.browser);
    await signInWithToken(page, env.url, admin.token, '/home');
    await page.getByRole('link', { name: 'Admin' }).click();
    await page.getByRole('heading', { name: 'Administration' }).waitFor();

    await page.getByLabel('Find by name or e-mail address').fill('browserfound');
    await page.getByRole('button', { name: 'Find', exact: true }).click();
    const card = page.getByRole('listitem').filter({ hasText: target.user.email });
    await card.waitFor();

    await card.getByRole('button', { name: 'Mark as organisation member' }).click();
    await card.getByRole('button', { name: 'Remove organisation membership' }).waitFor();
    expect((await User.findById(target.user._id).lean())!.isMember).to.equal(true);

    // A suspension without a reason is refused beside the field; with one, the account's token stops.
    await card.getByRole('button', { name: 'Suspend account' }).click();
    await card.getByText(/must not be empty/i).waitFor();
    await card.getByLabel('Reason for suspending').fill('posting spam');
    await card.getByRole('button', { name: 'Suspend account' }).click();
    await card.getByRole('button', { name: 'Reinstate account' }).waitFor();
    expect((await env.forum.http.get('/api/me').set(target.auth)).status).to.equal(401);
    await card.getByLabel('Reason for reinstating').fill('appeal upheld');
    await card.getByRole('button', { name: 'Reinstate account' }).click();
    await card.getByRole('button', { name: 'Suspend account' }).waitFor();
    expect((await User.findById(target.user._id).lean())!.suspendedAt).to.equal(null);

    // Registration by invitation: a link is made and shown once.
    await page.getByLabel(/By invitation only/).check();
    await page.getByRole('button', { name: 'Save policy' }).click();
    await page.getByRole('status').filter({ hasText: 'In force: By invitation only' }).waitFor();
    expect((await SiteSetting.findById('registration').lean())!.registrationPolicy).to.equal('invitation');
    await page.getByLabel('Registrations it admits').fill('3');
    await page.getByLabel('Note (for admins)').fill('autumn meeting');
    await page.getByRole('button', { name: 'Create invitation link' }).click();
    const link = await page.locator('code.invitation-link').textContent();
    expect(link).to.match(/\/signup\?invitation=/);
    expect(await RegistrationInvitation.countDocuments({ label: 'autumn meeting', maxUses: 3 })).to.equal(1);
    await page.getByRole('region', { name: 'Invitation links' }).getByText('autumn meeting').waitFor();

    // A visitor without the link is told registration needs one; with it, the account is made.
    const visitor = await openPage(env.browser);
    const signUp = async (url: string, email: string) => {
      await visitor.page.goto(url);
      await visitor.page.getByLabel('Your name').fill('Ivo Invited');
      await visitor.page.getByLabel('E-mail address').fill(email);
      await visitor.page.getByLabel('Password').fill('a long enough passphrase');
      await visitor.page.getByLabel('Date of birth').fill('1985-05-06');
      await visitor.page.getByLabel(/I accept the terms/).check();
      await visitor.page.getByRole('button', { name: 'Create account' }).click();
    };
    const uninvited = uniqueEmail('uninvited');
    await signUp(`${env.url}/signup`, uninvited);
    await visitor.page.getByText('Registration is by invitation only').waitFor();
    expect(await User.countDocuments({ email: uninvited })).to.equal(0);
    const invited = uniqueEmail('invited');
    await signUp(link!.replace('http://127.0.0.1:3000', env.url), invited);
    await visitor.page.getByRole('heading', { name: 'Check your e-mail' }).waitFor();
    expect(await User.countDocuments({ email: invited })).to.equal(1);
    expect(visitor.problems).to.deep.equal([]);
    await visitor.context.close();

    // Approval: a verified registrant waits in the queue until the admin lets them in.
    await env.forum.http.put('/api/admin/registration-policy').set(admin.auth).send({ policy: 'approval' }).expect(200);
    const email = uniqueEmail('queued');
    await env.forum.http
      .post('/api/auth/register')
      .send({ email, password: 'a long enough password', name: 'Quentin Queue', dateOfBirth: '1988-08-08', acceptTerms: true })
      .expect(202);
    await page.reload();
    await page.getByRole('button', { name: 'Approve Quentin Queue' }).click();
    await page.getByText('Nobody is waiting.').waitFor();
    expect((await User.findOne({ email }).lean())!.awaitingApproval).to.equal(false);

    await page.getByRole('heading', { name: 'Mail queue' }).waitFor();
    await page.getByText('No erasure is in progress.').waitFor();
    await screenshot(page, 'admin');
    expect(problems).to.deep.equal([]);
  });
});
