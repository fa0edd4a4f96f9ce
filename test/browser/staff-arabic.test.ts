// The staff and privacy pages for an Arabic-speaking administrator: words in Arabic, the document right-to-left,
// the audit log's table mirrored (its first column on the right) and scrolling inside its own box, never the page,
// at phone and desktop widths.
import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { buildUser, type BuiltUser } from '../support/factories';
import { DESKTOP, openPage, PHONE, screenshot, signInWithToken, startBrowserForum, type BrowserForum, type WatchedPage } from './support';

async function expectRightToLeftWithoutPageScroll(page: Page): Promise<void> {
  expect(await page.evaluate('document.documentElement.dir')).to.equal('rtl');
  expect(await page.evaluate('document.documentElement.lang')).to.equal('ar');
  const overflow = (await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth')) as number;
  expect(overflow, 'horizontal page scroll').to.be.at.most(0);
}

describe('browser: staff and privacy pages in Arabic', function () {
  this.timeout(180_000);
  let env: BrowserForum;
  let admin: BuiltUser;
  let tab: WatchedPage;
  // Browser test files share one database: a reference of its own finds this file's hold alone.
  const reference = `AR-${randomBytes(3).toString('hex')}`;

  before(async () => {
    env = await startBrowserForum();
    admin = await buildUser({ name: 'ليلى المسؤولة', displayName: 'ليلى', roles: ['admin', 'moderator'], language: 'ar' });
    const subject = await buildUser({ name: 'Arno Author' });
    await env.forum.http
      .post('/api/mod/holds')
      .set(admin.auth)
      .send({ scope: { type: 'user', id: String(subject.user._id) }, reason: 'طلب من الشرطة', reference })
      .expect(201);
  });

  after(async () => {
    await env?.close();
  });

  afterEach(() => {
    expect(tab.problems, 'CSP violations or script errors').to.deep.equal([]);
  });

  for (const viewport of [PHONE, DESKTOP]) {
    it(`audit log at ${viewport.width} px: Arabic, mirrored, dates in Arabic, the table scrolls in its own box`, async () => {
      tab = await openPage(env.browser, viewport);
      await signInWithToken(tab.page, env.url, admin.token, '/mod/audit');
      await tab.page.getByRole('heading', { name: 'الإشراف', level: 1 }).waitFor();
      await tab.page.getByRole('link', { name: 'سجل التدقيق' }).waitFor();
      const table = tab.page.getByRole('region', { name: 'قيود التدقيق' });
      const row = table.locator('tr', { hasText: 'hold.create' }).first();
      await row.getByRole('link', { name: 'ليلى' }).waitFor();
      await row.getByRole('link', { name: 'أمر حفظ قانوني' }).waitFor();
      await tab.page.getByText('السلسلة سليمة.').waitFor();
      // Dates are written by Intl in Arabic: the month's name is in Arabic letters.
      expect(await row.locator('time').first().innerText()).to.match(/[\u0600-\u06FF]/);
      // Mirrored: the first column (#) sits to the right of the second (when).
      const first = (await table.getByRole('columnheader', { name: '#' }).boundingBox())!;
      const second = (await table.getByRole('columnheader', { name: 'متى' }).boundingBox())!;
      expect(first.x).to.be.greaterThan(second.x);
      // Hashes and actions stay left-to-right inside the right-to-left table.
      expect(await row.locator('code.hash').getAttribute('dir')).to.equal('ltr');
      await expectRightToLeftWithoutPageScroll(tab.page);
      if (viewport === DESKTOP) await screenshot(tab.page, 'ar-mod-audit');
      await tab.context.close();
    });
  }

  it('holds, the administration console and the privacy centre speak Arabic right-to-left', async () => {
    tab = await openPage(env.browser, PHONE);
    await signInWithToken(tab.page, env.url, admin.token, '/mod/holds');
    await tab.page.getByRole('heading', { name: 'إصدار أمر حفظ' }).waitFor();
    await tab.page.getByRole('link', { name: reference }).click();
    await tab.page.getByRole('heading', { name: `أمر الحفظ ${reference}` }).waitFor();
    await tab.page.getByText('طلب من الشرطة').waitFor();
    await expectRightToLeftWithoutPageScroll(tab.page);
    await screenshot(tab.page, 'ar-mod-hold');

    await tab.page.goto(`${env.url}/admin`);
    await tab.page.getByRole('heading', { name: 'الإدارة', level: 1 }).waitFor();
    await tab.page.getByRole('group', { name: 'سياسة التسجيل' }).waitFor();
    await expectRightToLeftWithoutPageScroll(tab.page);
    await screenshot(tab.page, 'ar-admin');

    await tab.page.goto(`${env.url}/privacy`);
    await tab.page.getByRole('heading', { name: 'مركز الخصوصية', level: 1 }).waitFor();
    await tab.page.getByRole('button', { name: 'تنزيل بياناتي' }).waitFor();
    await tab.page.getByRole('combobox', { name: 'الردود على منشوراتي بالبريد الإلكتروني' }).waitFor();
    await expectRightToLeftWithoutPageScroll(tab.page);
    await screenshot(tab.page, 'ar-privacy');
  });
});
