// Sign-up, confirmation, "forgot password" and reset in a real browser, following the links in the
// messages a real SMTP server received from the forum.
import { expect } from 'chai';
import { buildUser, uniqueEmail } from '../support/factories';
import { linkFromMail, openPage, screenshot, startBrowserForum, type BrowserForum, type WatchedPage } from './support';

describe('browser: e-mail verification and password reset', function () {
  this.timeout(90_000);
  let env: BrowserForum;
  let visitor: WatchedPage;

  before(async () => {
    env = await startBrowserForum();
  });
  beforeEach(async () => {
    visitor = await openPage(env.browser);
  });
  afterEach(async () => {
    expect(visitor.problems, 'CSP violations or script errors').to.deep.equal([]);
    expect(await visitor.context.cookies()).to.deep.equal([]);
    await visitor.context.close();
  });
  after(async () => {
    await env?.close();
  });

  it('sign-up ends on “check your e-mail” with a resend; the newest link signs in with one click', async () => {
    const { page } = visitor;
    const email = uniqueEmail('browser');
    await page.goto(`${env.url}/signup`);
    await page.getByLabel('Your name').fill('Vera Verify');
    await page.getByLabel('E-mail address').fill(email);
    await page.getByLabel('Password').fill('a long enough passphrase');
    await page.getByLabel('Date of birth').fill('1988-03-04');
    await page.getByLabel(/I accept the terms/).check();
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('heading', { name: 'Check your e-mail' }).waitFor();
    await page.getByText(email).waitFor();
    await screenshot(page, 'signup-check-email');
    const first = await linkFromMail(env, email, '/verify-email');

    await page.getByRole('button', { name: 'Send the e-mail again' }).click();
    await page.getByText(/We have sent a new message/).waitFor();
    const newest = await linkFromMail(env, email, '/verify-email', first);

    // The older link no longer works; the page says so and signs nobody in.
    await page.goto(first);
    await page.getByLabel('Your password').fill('a long enough passphrase');
    await page.getByRole('button', { name: 'Confirm and sign in' }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.evaluate("localStorage.getItem('forum.token')")).to.equal(null);

    await page.goto(newest);
    await page.getByRole('heading', { name: 'Confirm your e-mail address' }).waitFor();
    expect(await page.evaluate("localStorage.getItem('forum.token')"), 'nothing happens on page load').to.equal(null);
    await screenshot(page, 'verify-email');
    await page.getByLabel('Your password').fill('a long enough passphrase');
    await page.getByRole('button', { name: 'Confirm and sign in' }).click();
    await page.getByRole('heading', { name: 'Your feed', exact: true }).waitFor();
    expect(await page.evaluate("localStorage.getItem('forum.token')")).to.be.a('string');
  });

  it('confirming without the registration password signs in and e-mails a link to choose one', async () => {
    const { page } = visitor;
    const email = uniqueEmail('forgetful');
    await env.forum.http
      .post('/api/auth/register')
      .send({ email, password: 'a long enough passphrase', name: 'Fran Forgetful', dateOfBirth: '1990-01-01', acceptTerms: true })
      .expect(202);
    await page.goto(await linkFromMail(env, email, '/verify-email'));
    await page.getByLabel('Your password').fill('not what I chose');
    await page.getByRole('button', { name: 'Confirm and sign in' }).click();
    await page.getByText(/is not your current password/i).waitFor();
    await page.getByRole('button', { name: /I forgot it/ }).click();
    await page.getByRole('heading', { name: 'Your feed', exact: true }).waitFor();
    await linkFromMail(env, email, '/reset-password');
  });

  it('signing in before confirming explains it and can send the link again', async () => {
    const { page } = visitor;
    const email = uniqueEmail('early');
    await env.forum.http
      .post('/api/auth/register')
      .send({ email, password: 'a long enough passphrase', name: 'Early Bird', dateOfBirth: '1990-01-01', acceptTerms: true })
      .expect(202);
    await linkFromMail(env, email, '/verify-email');
    const before = env.mail.accepted.length;
    await page.goto(`${env.url}/signin`);
    await page.getByLabel('E-mail address').fill(email);
    await page.getByLabel('Password').fill('a long enough passphrase');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByText(/Confirm your e-mail address first/).waitFor();
    await page.getByRole('button', { name: 'Send the confirmation link again' }).click();
    await page.getByText(/We have sent a new confirmation link/).waitFor();
    await env.mail.waitFor((mail) => env.mail.accepted.indexOf(mail) >= before);
  });

  it('“Forgot password?” sends a link; the reset page sets a new password and signs in', async () => {
    const { page } = visitor;
    const member = await buildUser({ name: 'Forgetful Fay' });
    await page.goto(`${env.url}/signin`);
    await page.getByRole('link', { name: 'Forgot password?' }).click();
    await page.getByRole('heading', { name: 'Forgot your password?' }).waitFor();
    await page.getByLabel('E-mail address').fill(member.user.email);
    await page.getByRole('button', { name: 'Send me a link' }).click();
    await page.getByRole('heading', { name: 'Check your e-mail' }).waitFor();
    await screenshot(page, 'forgot-password-sent');

    await page.goto(await linkFromMail(env, member.user.email, '/reset-password'));
    await page.getByRole('heading', { name: 'Set a new password' }).waitFor();
    await page.getByLabel('New password').fill('short');
    await page.getByRole('button', { name: 'Save and sign in' }).click();
    await page.locator('#reset-password-error').waitFor();
    await page.getByLabel('New password').fill('my new long passphrase');
    await page.getByRole('button', { name: 'Save and sign in' }).click();
    await page.getByRole('heading', { name: 'Your feed', exact: true }).waitFor();
    // The old token is gone everywhere; the new password works.
    await env.forum.http.get('/api/me').set(member.auth).expect(401);
    await env.forum.http.post('/api/auth/login').send({ email: member.user.email, password: 'my new long passphrase' }).expect(200);
  });
});
