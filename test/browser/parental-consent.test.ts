// The parent's page in a real browser, opened from the link received over SMTP: it names the child (display
// name only) and the organisation; agreeing and declining take a click; a used or declined link offers nothing.
import { expect } from 'chai';
import { User } from '../../server/models/user';
import { waitForErasure } from '../support/erasure';
import { uniqueEmail } from '../support/factories';
import { linkFromMail, openPage, screenshot, startBrowserForum, type BrowserForum, type WatchedPage } from './support';

describe('browser: parental consent', function () {
  this.timeout(90_000);
  let env: BrowserForum;
  let parent: WatchedPage;

  before(async () => {
    env = await startBrowserForum();
    parent = await openPage(env.browser);
  });
  after(async () => {
    await env?.close();
  });
  afterEach(() => {
    expect(parent.problems, 'CSP violations or script errors').to.deep.equal([]);
  });

  /** Registers a 14-year-old named `name`; returns the link the parent received and the account's address. */
  async function registerMinor(name: string): Promise<{ link: string; email: string }> {
    const email = uniqueEmail('kid');
    const parentEmail = uniqueEmail('parent');
    const born = new Date(Date.now() - 14 * 365.25 * 24 * 3600 * 1000).toISOString().slice(0, 10);
    await env.forum.http
      .post('/api/auth/register')
      .send({ email, password: 'a long enough passphrase', name, dateOfBirth: born, acceptTerms: true, parentEmail })
      .expect(202);
    return { link: await linkFromMail(env, parentEmail, '/parental-consent'), email };
  }

  const agreeButton = () => parent.page.getByRole('button', { name: 'I agree: open the account' });

  it('names the child and the organisation; agreeing takes a click, and the used link offers nothing more', async () => {
    const { page } = parent;
    const { link, email } = await registerMinor('Tilly Teen');
    await page.goto(link);
    await page.getByText(/asked to join the forum of/).waitFor();
    const text = await page.locator('main').textContent();
    expect(text).to.include('Tilly Teen').and.include(env.forum.ctx.config.brand.name);
    expect(text).not.to.include(email);
    expect((await User.findOne({ email }).lean())!.status, 'not on page load').to.equal('pending_parental_consent');
    await screenshot(page, 'parental-consent');

    await agreeButton().click();
    await page.getByText(/Your child can sign in/).waitFor();
    expect((await User.findOne({ email }).lean())!.status).to.equal('pending_verification');

    await page.goto(link);
    await page.getByText(/You have already agreed that/).waitFor();
    expect(await page.locator('main').textContent()).to.include('Tilly Teen');
    expect(await agreeButton().count()).to.equal(0);
    expect(await page.getByRole('button', { name: 'Decline' }).count()).to.equal(0);
    await screenshot(page, 'parental-consent-used');
  });

  it('declining asks once more, erases the account, and the link then offers nothing', async () => {
    const { page } = parent;
    const { link, email } = await registerMinor('Danny Declined');
    await page.goto(link);
    await page.getByRole('button', { name: 'Decline' }).click();
    await page.getByText(/This cannot be undone/).waitFor();
    // Cancelling changes nothing.
    await page.getByRole('button', { name: 'Cancel' }).click();
    await agreeButton().waitFor();
    await page.getByRole('button', { name: 'Decline' }).click();
    await page.getByRole('button', { name: 'Yes, decline and erase' }).click();
    await page.getByText(/You declined. The account is being erased/).waitFor();
    // The parent is told they will not be asked again, and how to change that.
    expect(await page.getByText(/You declined/).textContent()).to.match(/no further requests of this kind to this address.*allow requests again in your privacy centre/);
    const erased = await User.findOne({ email }).lean();
    if (erased) await waitForErasure(erased._id);
    expect(await User.exists({ email })).to.equal(null);

    await page.goto(link);
    await page.getByText(/This link can no longer be used/).waitFor();
    expect(await page.locator('main').textContent()).not.to.include('Danny Declined');
    expect(await agreeButton().count()).to.equal(0);
    expect(await page.getByRole('button').filter({ hasText: /Decline/ }).count()).to.equal(0);
    await screenshot(page, 'parental-consent-unusable');
  });

  it('a wrong link says it cannot be used and offers nothing', async () => {
    const { page } = parent;
    await page.goto(`${env.url}/parental-consent?token=${'x'.repeat(43)}`);
    await page.getByText(/This link can no longer be used/).waitFor();
    expect(await agreeButton().count()).to.equal(0);
  });
});
