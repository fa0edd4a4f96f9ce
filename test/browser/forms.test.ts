// Forms show every field's problem at once, beside the field, in words (not "email: must be…").
import { expect } from 'chai';
import { openPage, screenshot, startBrowserForum, type BrowserForum, type WatchedPage } from './support';

describe('browser: form errors', function () {
  this.timeout(120_000);
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

  it('marks every invalid sign-up field together, each with its own message beside it', async () => {
    const { page } = tab;
    await page.goto(`${env.url}/signup`);
    await page.getByLabel('E-mail address').fill('not-an-address');
    await page.getByLabel('Password').fill('short');
    await page.getByLabel('Date of birth').fill('1850-01-01');
    await page.getByRole('button', { name: 'Create account' }).click();

    const expected: [string, RegExp][] = [
      ['Your name', /^Must not be empty\.$/],
      ['E-mail address', /^Must be an e-mail address like name@example\.org\.$/],
      ['Password', /^Must be at least \d+ characters\.$/],
      ['Date of birth', /^Must be within the last \d+ years\.$/],
    ];
    for (const [label, message] of expected) {
      const input = page.getByLabel(label, { exact: true });
      await page.locator('.field-invalid', { has: input }).waitFor();
      expect(await input.getAttribute('aria-invalid'), label).to.equal('true');
      const describedBy = (await input.getAttribute('aria-describedby'))!.split(' ');
      const errorId = describedBy.find((id) => id.endsWith('-error'))!;
      expect(await page.locator(`#${errorId}`).innerText(), label).to.match(message);
    }
    await page.locator('.field-check.field-invalid').getByText(/the terms have to be accepted/).waitFor();
    expect(await page.locator('.field-error').count(), 'all five at once').to.equal(5);
    expect(await page.locator('.form-error').count(), 'no second copy above the form').to.equal(0);
    await screenshot(page, 'signup-errors');

    await page.getByLabel('Your name', { exact: true }).fill('Fixed Name');
    await page.getByLabel('E-mail address').fill('fixed@example.org');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.locator('.field-invalid', { has: page.getByLabel('Password') }).waitFor();
    expect(await page.locator('.field-error').count(), 'only what is still wrong').to.equal(3);
  });
});
