// The visitor's homepage as browsers get it: rendered on the server, so a browser with JavaScript off (and a
// crawler or a link preview) reads the recent public posts and never a closed one; with JavaScript on, the
// client adopts that HTML (no second request, no duplicate posts) and it is live.
import { expect } from 'chai';
import { buildUser, type BuiltUser } from '../support/factories';
import { ForumApi } from '../support/forum-api';
import { DESKTOP, openPage, screenshot, startBrowserForum, type BrowserForum } from './support';

describe('browser: the server-rendered homepage', function () {
  this.timeout(90_000);
  let env: BrowserForum;
  let api: ForumApi;
  let owner: BuiltUser;
  let publicGroup: { id: string; name: string };
  const stamp = Date.now();
  const publicTexts = [`First public ${stamp}`, `Second public ${stamp}`];
  const closedText = `Closed secret ${stamp}`;

  before(async () => {
    env = await startBrowserForum();
    owner = await buildUser({ name: 'Olga Owner' });
    api = new ForumApi(env.forum.http);
    publicGroup = await api.createGroup(owner, 'public');
    const closed = await api.createGroup(owner, 'closed');
    for (const text of publicTexts) await api.post(owner, publicGroup.id, `<p>${text}</p>`);
    await api.post(owner, closed.id, `<p>${closedText}</p>`);
  });

  after(async () => {
    await env?.close();
  });

  it('with JavaScript disabled shows the recent public posts with their group, and no closed one', async () => {
    const context = await env.browser.newContext({ viewport: DESKTOP, javaScriptEnabled: false });
    try {
      const page = await context.newPage();
      await page.goto(env.url);
      for (const text of publicTexts) expect(await page.getByText(text).isVisible(), text).to.equal(true);
      const html = await page.content();
      expect(html).not.to.contain(closedText);
      expect(await page.locator('article.post').first().locator('.post-group').textContent()).to.equal(`${publicGroup.name} · `);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).to.equal('Talk with fellow members, privately where it matters.');
      expect(await page.title()).to.equal('Member forum');
      expect(await page.getByRole('link', { name: 'Sign in to like and reply' }).count()).to.equal(1);
      await screenshot(page, 'home-no-javascript');
    } finally {
      await context.close();
    }
  });

  it('hydrates: the client adopts the HTML without loading the feed again, shows each post once and goes live', async () => {
    const watched = await openPage(env.browser);
    const { page } = watched;
    try {
      const feedRequests: string[] = [];
      page.on('request', (request) => {
        if (new URL(request.url()).pathname === '/api/feed/public') feedRequests.push(request.url());
      });
      await page.goto(env.url);
      const serverPost = page.locator('article.post').filter({ hasText: publicTexts[1]! });
      const before = await serverPost.elementHandle();
      // The live dot turns green once the client runs and its socket follows the public feed.
      await page.locator('.live-dot.live-live').waitFor();
      const ids = await page.locator('article.post').evaluateAll((posts) => posts.map((post) => post.getAttribute('data-post-id')));
      expect(ids.length).to.be.at.least(2);
      expect(new Set(ids).size, 'no duplicate posts').to.equal(ids.length);
      expect(await page.locator('.post-list').count()).to.equal(1);
      expect(feedRequests, 'the embedded feed is used instead of a request').to.deep.equal([]);
      // Hydration keeps the server's elements rather than drawing new ones.
      expect(await before!.evaluate((element) => element.isConnected)).to.equal(true);

      const liveText = `Live public ${Date.now()}`;
      await api.post(owner, publicGroup.id, `<p>${liveText}</p>`);
      await page.getByRole('button', { name: '1 new post' }).click();
      await page.getByText(liveText).waitFor();
      const after = await page.locator('article.post').evaluateAll((posts) => posts.map((post) => post.getAttribute('data-post-id')));
      expect(after.length).to.equal(ids.length + 1);
      expect(new Set(after).size, 'no duplicate posts').to.equal(after.length);
      expect(await page.content()).not.to.contain(closedText);

      // Client navigation works from the hydrated page.
      await page.getByRole('link', { name: 'Sign in to like and reply' }).click();
      await page.waitForURL(`${env.url}/signin`);
      expect(watched.problems, 'CSP violations or script errors').to.deep.equal([]);
    } finally {
      await watched.context.close();
    }
  });

  it('a signed-in tab does not adopt the visitor HTML: it is sent on to its own feed', async () => {
    const watched = await openPage(env.browser);
    const { page } = watched;
    try {
      await page.goto(`${env.url}/signin`);
      await page.evaluate(`localStorage.setItem('forum.token', ${JSON.stringify(owner.token)})`);
      await page.goto(env.url);
      await page.waitForURL(`${env.url}/home`);
      await page.getByRole('button', { name: 'Sign out' }).waitFor();
      expect(await page.locator('.hero').count()).to.equal(0);
      expect(watched.problems, 'CSP violations or script errors').to.deep.equal([]);
    } finally {
      await watched.context.close();
    }
  });
});
