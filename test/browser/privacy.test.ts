// The privacy centre in a real browser: the export downloads as a file, and the page spells out deletion.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { User } from '../../server/models/user';
import { sendMarketing } from '../../server/services/marketing';
import { refusesParentalConsentRequests, refuseParentalConsentRequests } from '../../server/services/parental-consent-refusals';
import { buildUser } from '../support/factories';
import { linkParameter } from '../support/outbox';
import { openPage, screenshot, signInWithToken, startBrowserForum, type BrowserForum, type WatchedPage } from './support';

describe('browser: privacy centre', function () {
  this.timeout(90_000);
  let env: BrowserForum;
  let person: WatchedPage;

  before(async () => {
    env = await startBrowserForum();
    person = await openPage(env.browser);
  });

  after(async () => {
    await env?.close();
  });

  afterEach(() => {
    expect(person.problems, 'CSP violations or script errors').to.deep.equal([]);
  });

  it('downloads everything held about me as a JSON file', async () => {
    const member = await buildUser({ name: 'Petra Private' });
    const { page } = person;
    await signInWithToken(page, env.url, member.token, '/privacy');
    await page.getByRole('heading', { name: 'Privacy centre' }).waitFor();
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download my data' }).click();
    const file = await download;
    expect(file.suggestedFilename()).to.match(/^my-forum-data-\d{4}-\d{2}-\d{2}\.json$/);
    const exported = JSON.parse(readFileSync(await file.path(), 'utf8')) as unknown;
    expect(JSON.stringify(exported)).to.contain(member.user.email);
    await page.getByText('Your file has been downloaded.').waitFor();
  });

  it('shows a parent who declined that requests to their address are refused, and allows them again with a click', async () => {
    const parent = await buildUser({ name: 'Paula Parent' });
    await refuseParentalConsentRequests(parent.user.email, 'parent_declined');
    const { page } = person;
    await signInWithToken(page, env.url, parent.token, '/privacy');
    const section = page.getByRole('region', { name: 'Requests to consent for a child' });
    await section.getByText(/Requests to your address are currently refused/).waitFor();
    await section.getByRole('button', { name: 'Allow requests again' }).click();
    await section.getByText(/Requests to your address are currently allowed/).waitFor();
    expect(await refusesParentalConsentRequests(parent.user.email)).to.equal(false);
    await section.getByRole('button', { name: 'Refuse requests' }).waitFor();
  });

  it('spells out what deleting the account does, legal holds included, before asking for the password', async () => {
    const { page } = person;
    const section = page.getByRole('region', { name: 'Delete my account' });
    expect(await section.textContent()).to.match(/Legal holds:.*preserved copy is kept/);
    await page.getByRole('button', { name: 'I want to delete my account' }).click();
    await page.getByLabel('Your password').waitFor();
    expect(await page.getByRole('button', { name: 'Delete my account permanently' }).isDisabled()).to.equal(true);
    await screenshot(page, 'privacy');
  });

  it('unsubscribes from a marketing message with one click, without signing in', async () => {
    const reader = await buildUser({ name: 'Nora Newsletter', preferences: { email: true, sms: false, whatsapp: false, phone: false, post: false } });
    await sendMarketing(env.forum.ctx, [reader.user._id], { subject: 'Spring meeting', text: 'Join us.', channel: 'email' });
    const token = await linkParameter(reader.user.email, '/unsubscribe', 'token');
    const visitor = await openPage(env.browser);
    try {
      await visitor.page.goto(`${env.url}/unsubscribe?token=${encodeURIComponent(token)}`);
      await visitor.page.getByRole('heading', { name: 'Unsubscribe' }).waitFor();
      expect((await User.findById(reader.user._id).lean())!.preferences.email, 'not on page load').to.equal(true);
      await visitor.page.getByRole('button', { name: 'Unsubscribe' }).click();
      await visitor.page.getByText(/we will not contact you by e-mail again/).waitFor();
      expect((await User.findById(reader.user._id).lean())!.preferences.email).to.equal(false);
      expect(visitor.problems).to.deep.equal([]);
      expect(await visitor.context.cookies()).to.deep.equal([]);
    } finally {
      await visitor.context.close();
    }
  });

  it('deletes the account after the password and the confirmation, and signs out', async () => {
    const leaver = await buildUser({ name: 'Lena Leaving' });
    const browser = await openPage(env.browser);
    try {
      const { page } = browser;
      await signInWithToken(page, env.url, leaver.token, '/privacy');
      await page.getByRole('button', { name: 'I want to delete my account' }).click();
      await page.getByLabel('Your password').fill('not my password at all');
      await page.getByLabel('I understand this cannot be undone.').check();
      await page.getByRole('button', { name: 'Delete my account permanently' }).click();
      await page.locator('#delete-password-error, [role=alert]').first().waitFor();
      expect((await env.forum.http.get('/api/me').set(leaver.auth)).status, 'a wrong password erases nothing').to.equal(200);

      await page.getByLabel('Your password').fill(leaver.password);
      await page.getByRole('button', { name: 'Delete my account permanently' }).click();
      await page.getByText('Your account has been deleted.').waitFor();
      expect(await page.evaluate("localStorage.getItem('forum.token')")).to.equal(null);
      expect((await env.forum.http.get('/api/me').set(leaver.auth)).status).to.equal(401);
      expect(browser.problems).to.deep.equal([]);
    } finally {
      await browser.context.close();
    }
  });

  it('changes the e-mail address only after the link sent to the new one is opened', async () => {
    const mover = await buildUser({ name: 'Max Moving' });
    const newEmail = `moved-${Date.now()}@example.org`;
    const browser = await openPage(env.browser);
    try {
      const { page } = browser;
      await signInWithToken(page, env.url, mover.token, '/me');
      await page.getByLabel('New e-mail address').fill(newEmail);
      await page.getByLabel('Your password').fill(mover.password);
      await page.getByRole('button', { name: 'Send confirmation link' }).click();
      await page.getByText(`We sent a link to ${newEmail}.`).waitFor();
      expect((await User.findById(mover.user._id).lean())!.email, 'not before the link').to.equal(mover.user.email);

      const token = await linkParameter(newEmail, '/confirm-email', 'token');
      await page.goto(`${env.url}/confirm-email?token=${encodeURIComponent(token)}`);
      await page.getByRole('button', { name: 'Use this address' }).click();
      await page.getByText(`Your e-mail address is now ${newEmail}.`).waitFor();
      expect((await User.findById(mover.user._id).lean())!.email).to.equal(newEmail);
      expect(browser.problems).to.deep.equal([]);
    } finally {
      await browser.context.close();
    }
  });

  it('never stores a cookie', async () => {
    expect(await person.context.cookies()).to.deep.equal([]);
  });
});
