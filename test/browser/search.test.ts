// Searching in a real browser: the header box, tabs, highlighted excerpts, keyboard navigation to the exact
// post, and the help shown when nothing is found (a closed group's post stays unfound for an outsider).
import { expect } from 'chai';
import { buildGroup, buildPost, idOf } from '../support/content';
import { buildUser } from '../support/factories';
import { openPage, screenshot, signInWithToken, startBrowserForum, type BrowserForum, type WatchedPage } from './support';

describe('browser: search', function () {
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

  it('finds a post from the header box, highlights it, and opens the exact post with the keyboard', async () => {
    const owner = await buildUser({ name: 'Carla Clinician', displayName: 'Carla Clinician' });
    const reader = await buildUser({ name: 'Rafael Reader' });
    const open = await buildGroup({ owner, visibility: 'public', name: 'Ethics round', description: 'Cases and ethics' });
    const closed = await buildGroup({ owner, visibility: 'closed', name: 'Hidden board' });
    await buildPost({ group: open, author: owner, body: '<p>An older note about rotas</p>' });
    const wanted = await buildPost({ group: open, author: owner, body: '<p>The case discussion from last spring, with <em>ethics</em> notes</p>' });
    await buildPost({ group: closed, author: owner, body: '<p>Confidential case discussion about salaries</p>' });

    const { page } = tab;
    await signInWithToken(page, env.url, reader.token, '/home');
    await page.getByRole('heading', { name: 'Your feed', exact: true }).waitFor();
    await page.keyboard.press('/');
    await page.keyboard.type('case discussion');
    expect(await page.getByLabel('Search posts, groups and people').inputValue()).to.equal('case discussion');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Results for “case discussion”' }).waitFor();
    const hits = page.locator('a.search-hit');
    await hits.first().waitFor();
    expect(await hits.count()).to.equal(1);
    expect(await hits.first().locator('mark').allTextContents()).to.deep.equal(['case', 'discussion']);
    await screenshot(page, 'search-results');

    await page.getByLabel('Search posts, groups and people').focus();
    await page.keyboard.press('ArrowDown');
    expect(await page.evaluate("document.activeElement.getAttribute('data-result-id')")).to.equal(idOf(wanted));
    await page.keyboard.press('Enter');
    await page.waitForURL(`${env.url}/posts/${idOf(wanted)}`);
    await page.locator(`[data-post-id="${idOf(wanted)}"]`).waitFor();

    await page.goto(`${env.url}/search?q=ethics&type=posts`);
    await page.getByRole('tab', { name: 'Posts' }).focus();
    await page.keyboard.press('ArrowRight');
    await page.getByRole('tab', { name: 'Groups', selected: true }).waitFor();
    await page.getByRole('link', { name: /Ethics round/ }).waitFor();
    await page.keyboard.press('ArrowRight');
    await page.getByRole('tab', { name: 'People', selected: true }).waitFor();
    await page.getByRole('heading', { name: 'Nothing found for “ethics”' }).waitFor();

    await page.goto(`${env.url}/search?q=salaries&type=posts`);
    await page.getByRole('heading', { name: 'Nothing found for “salaries”' }).waitFor();
    expect(await page.getByText('Put an exact phrase in quotes').isVisible()).to.equal(true);
  });
});
