// What a visitor without an account can do in a real browser: read recent public posts (never closed ones),
// be told plainly that everything else needs an account, and register, including the minors' path.
import { expect } from 'chai';
import { buildUser } from '../support/factories';
import { ForumApi } from '../support/forum-api';
import { linkFromMail, openPage, screenshot, startBrowserForum, type BrowserForum, type WatchedPage } from './support';

describe('browser: visitor', function () {
  this.timeout(90_000);
  let env: BrowserForum;
  let visitor: WatchedPage;
  const publicText = `Public hello ${Date.now()}`;
  const closedText = `Closed secret ${Date.now()}`;

  before(async () => {
    env = await startBrowserForum();
    const owner = await buildUser({ name: 'Olga Owner' });
    const api = new ForumApi(env.forum.http);
    const open = await api.createGroup(owner, 'public');
    const closed = await api.createGroup(owner, 'closed');
    await api.post(owner, open.id, `<p>${publicText}</p>`);
    await api.post(owner, closed.id, `<p>${closedText}</p>`);
    visitor = await openPage(env.browser);
  });

  after(async () => {
    await env?.close();
  });

  afterEach(() => {
    expect(visitor.problems, 'CSP violations or script errors').to.deep.equal([]);
  });

  it('shows the recent public posts on the homepage and never a closed group post', async () => {
    const { page } = visitor;
    await page.goto(env.url);
    await page.getByText(publicText).waitFor();
    expect(await page.content()).not.to.contain(closedText);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).to.match(/Talk with fellow members/);
    await screenshot(page, 'home-visitor');
  });

  it('tells a visitor plainly that other pages need an account', async () => {
    const { page } = visitor;
    for (const path of ['/groups', '/home', '/privacy', '/mod/reports']) {
      await page.goto(`${env.url}${path}`);
      await page.getByRole('heading', { name: 'This page is for members with an account' }).waitFor();
    }
    const signIn = page.getByRole('link', { name: 'Sign in', exact: true }).last();
    expect(await signIn.getAttribute('href')).to.equal('/signin?next=%2Fmod%2Freports');
    await screenshot(page, 'gate');
  });

  it('asks for a parent when the person signing up is under 18, and says what happens next', async () => {
    const { page } = visitor;
    await page.goto(`${env.url}/signup`);
    await page.getByLabel('Your name').fill('Tom Teen');
    const teenEmail = `teen-${Date.now()}@example.org`;
    await page.getByLabel('E-mail address').fill(teenEmail);
    await page.getByLabel('Password').fill('a long enough passphrase');
    const fifteenYearsAgo = new Date(Date.now() - 15 * 365.25 * 24 * 3600 * 1000).toISOString().slice(0, 10);
    await page.getByLabel('Date of birth').fill(fifteenYearsAgo);
    const parentEmail = `parent-${Date.now()}@example.org`;
    await page.getByLabel("Parent or guardian's e-mail address").fill(parentEmail);
    await page.getByLabel(/I accept the terms/).check();
    await screenshot(page, 'signup-minor');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('heading', { name: 'Check your e-mail' }).waitFor();
    await page.getByText(parentEmail).waitFor();
    await page.getByText(/Your account opens once both links are used/).waitFor();
    await screenshot(page, 'signup-minor-check-email');
    expect(await page.evaluate("localStorage.getItem('forum.token')")).to.equal(null);

    // Step one: the teen follows their own link, received over SMTP; the account still waits for the parent.
    await page.goto(await linkFromMail(env, teenEmail, '/verify-email'));
    await page.getByLabel('Your password').fill('a long enough passphrase');
    await page.getByRole('button', { name: 'Confirm and sign in' }).click();
    await page.getByText(/Your account opens as soon as your parent or guardian agrees/).waitFor();
    expect(await page.evaluate("localStorage.getItem('forum.token')")).to.equal(null);

    // Step two: the parent follows their link in a browser of their own, and must click to consent.
    const parentLink = await linkFromMail(env, parentEmail, '/parental-consent');
    const parent = await openPage(env.browser);
    try {
      await parent.page.goto(parentLink);
      await parent.page.getByRole('heading', { name: 'Parental consent' }).waitFor();
      const before = await env.forum.http.post('/api/auth/login').send({ email: teenEmail, password: 'a long enough passphrase' });
      expect(before.status, 'not on page load').to.equal(403);
      await parent.page.getByRole('button', { name: 'I agree: open the account' }).click();
      await parent.page.getByText(/Your child can sign in/).waitFor();
      expect(parent.problems).to.deep.equal([]);
      expect(await parent.context.cookies()).to.deep.equal([]);
    } finally {
      await parent.context.close();
    }
    await env.forum.http.post('/api/auth/login').send({ email: teenEmail, password: 'a long enough passphrase' }).expect(200);
  });

  it('shows the server’s message next to the field at fault', async () => {
    const { page } = visitor;
    await page.goto(`${env.url}/signup`);
    await page.getByLabel('Your name').fill('Shorty');
    await page.getByLabel('E-mail address').fill(`short-${Date.now()}@example.org`);
    await page.getByLabel('Password').fill('short');
    await page.getByLabel('Date of birth').fill('1990-04-01');
    await page.getByLabel(/I accept the terms/).check();
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.locator('#signup-password-error').waitFor();
    expect(await page.locator('#signup-password-error').textContent()).to.match(/at least 10 characters/);
    expect(await page.getByLabel('Password').getAttribute('aria-invalid')).to.equal('true');
  });

  it('signs in with e-mail and password and lands on the home feed', async () => {
    const { page } = visitor;
    const member = await buildUser({ name: 'Sam Signin' });
    await page.goto(`${env.url}/signin`);
    await screenshot(page, 'signin');
    await page.getByLabel('E-mail address').fill(member.user.email);
    await page.getByLabel('Password').fill(member.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Your feed', exact: true }).waitFor();
    expect(new URL(page.url()).pathname).to.equal('/home');
    await page.getByText(publicText).waitFor();
  });

  it('never stores a cookie', async () => {
    expect(await visitor.context.cookies()).to.deep.equal([]);
  });
});
