// A suspended person in a real browser: sign-in says why it fails and leads to "Your data", where the
// e-mail address and password download the export and erase the account; the page never makes a session.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { User } from '../../server/models/user';
import { waitForErasure } from '../support/erasure';
import { buildUser } from '../support/factories';
import { linkFromMail, openPage, screenshot, startBrowserForum, type BrowserForum, type WatchedPage } from './support';

describe('browser: a suspended account’s data', function () {
  this.timeout(90_000);
  let env: BrowserForum;
  let tab: WatchedPage;

  before(async () => {
    env = await startBrowserForum();
    tab = await openPage(env.browser);
  });
  after(async () => {
    await env?.close();
  });
  afterEach(() => {
    expect(tab.problems, 'CSP violations or script errors').to.deep.equal([]);
  });

  it('downloads the export and erases the account, from the link in the suspension notice', async () => {
    const { page } = tab;
    const admin = await buildUser({ roles: ['admin', 'moderator'] });
    const person = await buildUser({ name: 'Sid Suspended' });
    await env.forum.http.post(`/api/admin/users/${String(person.user._id)}/suspend`).set(admin.auth).send({ reason: 'Spam' }).expect(200);

    // Signing in says why it fails and where the data is.
    await page.goto(`${env.url}/signin`);
    await page.getByLabel('E-mail address').fill(person.user.email);
    await page.getByLabel('Password').fill(person.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText(/This account is suspended/).waitFor();
    expect(await page.getByRole('link', { name: 'Download or erase your data' }).getAttribute('href')).to.equal('/account-data');

    await page.goto(await linkFromMail(env, person.user.email, '/account-data'));
    await page.getByRole('heading', { name: 'Your data' }).waitFor();
    await page.getByLabel('E-mail address').fill(person.user.email);
    await page.getByLabel('Password').fill('not the password at all');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByText(/e-mail address or password is wrong/).waitFor();
    await page.getByLabel('Password').fill(person.password);
    await page.getByRole('button', { name: 'Continue' }).click();

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download my data' }).click();
    const file = await download;
    expect(file.suggestedFilename()).to.match(/^my-forum-data-\d{4}-\d{2}-\d{2}\.json$/);
    expect(readFileSync(await file.path(), 'utf8')).to.contain(person.user.email);
    await page.getByText('Your file has been downloaded.').waitFor();
    await screenshot(page, 'account-data-suspended');
    expect(await page.evaluate("localStorage.getItem('forum.token')"), 'the pass never becomes a session').to.equal(null);

    await page.getByLabel('Your password, to confirm').fill(person.password);
    await page.getByRole('button', { name: 'Erase my account' }).click();
    await page.getByText(/Your account is being erased/).waitFor();
    await waitForErasure(person.user._id);
    expect(await User.exists({ _id: person.user._id })).to.equal(null);
    expect(await tab.context.cookies()).to.deep.equal([]);
  });
});
