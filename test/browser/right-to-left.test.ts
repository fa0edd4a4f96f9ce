// Arabic in the browser: a visitor whose browser asks for Arabic gets the homepage rendered in Arabic on the
// server (read with JavaScript off) and the client hydrates it in Arabic; the layout mirrors at phone and
// desktop widths without sideways scrolling; members' posts keep their own direction whatever the interface
// speaks; a member who picks Arabic in the profile sees the interface switch, and it stays after a reload.
import { expect } from 'chai';
import type { Locator, Page } from 'playwright-core';
import { translatorFor } from '../../shared/i18n/server-catalogues';
import { buildUser, type BuiltUser } from '../support/factories';
import { ForumApi } from '../support/forum-api';
import { DESKTOP, openPage, PHONE, screenshot, signInWithToken, startBrowserForum, type BrowserForum } from './support';

const ar = translatorFor('ar');

/** Whether the page is wider than the window (a sideways scroll bar). */
function scrollsSideways(page: Page): Promise<boolean> {
  return page.evaluate('document.documentElement.scrollWidth > document.documentElement.clientWidth') as Promise<boolean>;
}

/** The direction the browser lays an element out in (dir="auto" resolved). */
function directionOf(locator: Locator): Promise<string> {
  return locator.evaluate((element) => element.ownerDocument.defaultView!.getComputedStyle(element).direction);
}

/** The computed direction of a post's body, found by a piece of its text. */
function directionOfPost(page: Page, text: string): Promise<string> {
  return directionOf(page.locator('article.post .post-body').filter({ hasText: text }).first());
}

/** `lang` and `dir` of the document. */
function documentLanguage(page: Page): Promise<[string, string]> {
  return page.evaluate('[document.documentElement.lang, document.documentElement.dir]') as Promise<[string, string]>;
}

describe('browser: Arabic, right to left', function () {
  this.timeout(120_000);
  let env: BrowserForum;
  let api: ForumApi;
  let owner: BuiltUser;
  let group: { id: string; name: string };
  const stamp = Date.now();
  const englishPost = `An English post about the clinic ${stamp}`;
  const arabicPost = `منشور بالعربية عن العيادة ${stamp}`;

  before(async () => {
    env = await startBrowserForum();
    owner = await buildUser({ name: 'Layla Haddad' });
    api = new ForumApi(env.forum.http);
    group = await api.createGroup(owner, 'public');
    await api.post(owner, group.id, `<p>${englishPost}</p>`);
    await api.post(owner, group.id, `<p>${arabicPost}</p>`);
  });

  after(async () => {
    await env?.close();
  });

  it('a browser asking for Arabic gets the homepage in Arabic from the server, readable with JavaScript off', async () => {
    const context = await env.browser.newContext({ viewport: DESKTOP, javaScriptEnabled: false, locale: 'ar' });
    try {
      const page = await context.newPage();
      await page.goto(env.url);
      expect(await documentLanguage(page)).to.deep.equal(['ar', 'rtl']);
      expect(await page.locator('.section-title').textContent()).to.equal(ar.t('visitor.home.recent'));
      expect(await page.getByRole('link', { name: ar.t('common.action.signIn') }).first().isVisible()).to.equal(true);
      expect(await directionOfPost(page, englishPost)).to.equal('ltr');
      expect(await directionOfPost(page, arabicPost)).to.equal('rtl');
      await screenshot(page, 'rtl-home-no-javascript');
    } finally {
      await context.close();
    }
  });

  it('hydrates the Arabic page in Arabic: same elements, no feed request, no error, and live', async () => {
    const context = await env.browser.newContext({ viewport: DESKTOP, locale: 'ar', reducedMotion: 'reduce' });
    try {
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('pageerror', (error) => problems.push(error.message));
      page.on('console', (message) => message.type() === 'error' && problems.push(message.text()));
      const feedRequests: string[] = [];
      page.on('request', (request) => new URL(request.url()).pathname === '/api/feed/public' && feedRequests.push(request.url()));
      await page.goto(env.url);
      const serverHeading = await page.locator('.section-title').elementHandle();
      const serverPost = await page.locator('article.post').filter({ hasText: englishPost }).elementHandle();
      await page.locator('.live-dot.live-live').waitFor();
      expect(await serverHeading!.evaluate((element) => element.isConnected), 'the server’s heading is adopted').to.equal(true);
      expect(await serverPost!.evaluate((element) => element.isConnected), 'the server’s post is adopted').to.equal(true);
      expect(feedRequests).to.deep.equal([]);
      expect(await page.locator('.section-title').textContent()).to.equal(ar.t('visitor.home.recent'));
      expect(await page.locator('.site-footer p').textContent()).to.equal(ar.t('common.footer.promise'));
      expect((await documentLanguage(page))[1]).to.equal('rtl');
      expect(problems).to.deep.equal([]);
    } finally {
      await context.close();
    }
  });

  for (const [width, viewport] of [
    ['390', PHONE],
    ['1280', DESKTOP],
  ] as const) {
    it(`at ${width} px the visitor's page mirrors (the brand at the right edge) without sideways scrolling`, async () => {
      const context = await env.browser.newContext({ viewport, locale: 'ar', reducedMotion: 'reduce' });
      try {
        const page = await context.newPage();
        await page.goto(env.url);
        await page.locator('.live-dot.live-live').waitFor();
        expect(await scrollsSideways(page)).to.equal(false);
        const brand = (await page.locator('.site-header .brand').boundingBox())!;
        expect(brand.x, 'the header’s first item sits on the right').to.be.above(viewport.width / 2);
        // The navigation reads right to left too: "Sign in" first, on the right, then "Sign up" to its left.
        const signIn = (await page.locator('.site-nav a[href="/signin"]').boundingBox())!;
        const signUp = (await page.locator('.site-nav a[href="/signup"]').boundingBox())!;
        expect(signUp.x + signUp.width).to.be.at.most(signIn.x);
        if (viewport === DESKTOP) await screenshot(page, 'rtl-home');
        expect(await directionOfPost(page, englishPost)).to.equal('ltr');
        expect(await directionOfPost(page, arabicPost)).to.equal('rtl');
      } finally {
        await context.close();
      }
    });
  }

  it('a visitor can pick the language in the footer; English pages still give an Arabic post its own direction', async () => {
    const watched = await openPage(env.browser);
    const { page } = watched;
    try {
      await page.goto(env.url);
      await page.locator('.live-dot.live-live').waitFor();
      expect((await documentLanguage(page))[1]).to.equal('ltr');
      expect(await directionOfPost(page, arabicPost)).to.equal('rtl');
      expect(await directionOfPost(page, englishPost)).to.equal('ltr');
      await page.locator('.language-picker select').selectOption('ar');
      await page.locator('.section-title', { hasText: ar.t('visitor.home.recent') }).waitFor();
      expect(await documentLanguage(page)).to.deep.equal(['ar', 'rtl']);
      // Kept in this browser only: the next visit starts in Arabic.
      await page.reload();
      await page.locator('.section-title', { hasText: ar.t('visitor.home.recent') }).waitFor();
      expect(watched.problems).to.deep.equal([]);
    } finally {
      await watched.context.close();
    }
  });

  it('a form in Arabic shows the server’s field errors in Arabic, each beside its field', async () => {
    const context = await env.browser.newContext({ viewport: PHONE, locale: 'ar', reducedMotion: 'reduce' });
    try {
      const page = await context.newPage();
      await page.goto(`${env.url}/signup`);
      await page.getByLabel(ar.t('visitor.field.email')).fill('not-an-address');
      await page.getByLabel(ar.t('visitor.field.password')).fill('short');
      await page.getByRole('button', { name: ar.t('visitor.signUp.submit') }).click();
      // Written by the server for this browser's Accept-Language; the words are the errors catalogue's.
      const expected: [string, string][] = [
        [ar.t('visitor.field.email'), `${ar.t('errors.field.email')}.`],
        [ar.t('visitor.field.password'), `${ar.t('errors.field.atLeastChars', { min: 10 })}.`],
      ];
      for (const [label, message] of expected) {
        const input = page.getByLabel(label, { exact: true });
        await page.locator('.field-invalid', { has: input }).waitFor();
        const errorId = (await input.getAttribute('aria-describedby'))!.split(' ').find((id) => id.endsWith('-error'))!;
        expect(await page.locator(`#${errorId}`).innerText(), label).to.equal(message);
      }
      expect(await scrollsSideways(page)).to.equal(false);
      await screenshot(page, 'rtl-signup-errors');
    } finally {
      await context.close();
    }
  });

  it('a member who picks Arabic in the profile sees the interface switch, mirrored, and it stays after a reload', async () => {
    const member = await buildUser({ name: 'Omar Khalil' });
    await api.join(member, group.id);
    const watched = await openPage(env.browser, PHONE);
    const { page } = watched;
    try {
      await signInWithToken(page, env.url, member.token, '/me');
      await page.getByRole('heading', { name: 'Edit profile' }).waitFor();
      await page.getByLabel('Language of the forum and of its e-mails to you').selectOption('ar');
      await page.getByRole('heading', { name: ar.t('member.profile.edit') }).waitFor();
      expect(await documentLanguage(page)).to.deep.equal(['ar', 'rtl']);
      await page.reload();
      await page.getByRole('heading', { name: ar.t('member.profile.edit') }).waitFor();
      expect((await documentLanguage(page))[1]).to.equal('rtl');

      for (const viewport of [PHONE, DESKTOP]) {
        await page.setViewportSize(viewport);
        await page.goto(`${env.url}/home`);
        await page.getByRole('heading', { name: ar.t('member.feed.title') }).waitFor();
        await page.locator('article.post').filter({ hasText: englishPost }).waitFor();
        expect(await scrollsSideways(page), `${viewport.width} px`).to.equal(false);
        expect(await directionOfPost(page, englishPost)).to.equal('ltr');
        expect(await directionOfPost(page, arabicPost)).to.equal('rtl');
        const brand = (await page.locator('.site-header .brand').boundingBox())!;
        expect(brand.x, `${viewport.width} px: the brand on the right`).to.be.above(viewport.width / 2);
        if (viewport === DESKTOP) {
          // The navigation reads right to left: Feed first, on the right, then Groups to its left.
          const feed = (await page.locator('.site-nav a[href="/home"]').boundingBox())!;
          const groups = (await page.locator('.site-nav a[href="/groups"]').boundingBox())!;
          expect(groups.x + groups.width).to.be.at.most(feed.x);
        }
      }

      // The editor takes the direction of what is written in it, and the mention list opens under the caret.
      await page.locator('#composer-group').selectOption(group.id);
      const editor = page.locator('.composer .editor-area');
      await editor.click();
      await page.keyboard.type('Hello @Lay');
      await page.locator('.mention-list').waitFor();
      expect(await directionOf(editor)).to.equal('ltr');
      expect(await scrollsSideways(page)).to.equal(false);
      await screenshot(page, 'rtl-member-feed');
      await page.keyboard.press('Escape');
      await editor.press('Control+A');
      await page.keyboard.type('مرحبا بالجميع');
      expect(await directionOf(editor)).to.equal('rtl');
      expect(watched.problems).to.deep.equal([]);
    } finally {
      await watched.context.close();
    }
  });
});
