// A conversation open in two browsers: replies written in one appear live in the other, in order, once each.
import { expect } from 'chai';
import type { Group, Post } from '../../shared/api';
import { buildUser, type BuiltUser } from '../support/factories';
import { ForumApi } from '../support/forum-api';
import { openPage, screenshot, signInWithToken, startBrowserForum, type BrowserForum, type WatchedPage } from './support';

describe('browser: replies live', function () {
  this.timeout(120_000);
  let env: BrowserForum;
  let api: ForumApi;
  let alice: BuiltUser;
  let bob: BuiltUser;
  let group: Group;
  let parent: Post;
  let alicePage: WatchedPage;
  let bobPage: WatchedPage;

  before(async () => {
    env = await startBrowserForum();
    api = new ForumApi(env.forum.http);
    alice = await buildUser({ name: 'Alice Author' });
    bob = await buildUser({ name: 'Bob Reader' });
    group = await api.updateGroup(alice, (await api.createGroup(alice, 'public')).id, { name: 'Garden Club' });
    await api.join(bob, group.id);
    parent = await api.post(alice, group.id, '<p>Which tomatoes grow best on a balcony?</p>');
    alicePage = await openPage(env.browser);
    bobPage = await openPage(env.browser);
  });

  after(async () => {
    await env?.close();
  });

  afterEach(() => {
    expect(alicePage.problems, 'CSP violations or script errors (Alice)').to.deep.equal([]);
    expect(bobPage.problems, 'CSP violations or script errors (Bob)').to.deep.equal([]);
  });

  const replyTexts = (page: WatchedPage) => page.page.locator('section[aria-label="Replies"] article .post-body').allInnerTexts();

  it('shows a reply written in one browser in the other at once, where the list said "No replies yet"', async () => {
    await signInWithToken(bobPage.page, env.url, bob.token, `/posts/${parent.id}`);
    await signInWithToken(alicePage.page, env.url, alice.token, `/posts/${parent.id}`);
    for (const { page } of [alicePage, bobPage]) {
      await page.getByText('No replies yet').waitFor();
      await page.locator('.live-dot.live-live').waitFor();
    }

    await bobPage.page.getByRole('textbox', { name: 'Reply' }).click();
    await bobPage.page.keyboard.type('Cherry tomatoes, in a deep pot.');
    await bobPage.page.getByRole('button', { name: 'Reply', exact: true }).click();

    await alicePage.page.locator('section[aria-label="Replies"]').getByText('Cherry tomatoes, in a deep pot.').waitFor();
    await alicePage.page.getByLabel('1 reply', { exact: true }).waitFor();
    expect(await alicePage.page.getByText('No replies yet').count()).to.equal(0);
    expect(await replyTexts(bobPage)).to.deep.equal(['Cherry tomatoes, in a deep pot.']);
    await bobPage.page.getByLabel('1 reply', { exact: true }).waitFor();
  });

  it('keeps replies in the order written, each once, in both browsers', async () => {
    // Written quickly by both, through the page and the API at once, so live copies and answers interleave.
    await alicePage.page.getByRole('textbox', { name: 'Reply' }).click();
    await alicePage.page.keyboard.type('Thanks! Which variety?');
    await alicePage.page.getByRole('button', { name: 'Reply', exact: true }).click();
    await alicePage.page.locator('section[aria-label="Replies"]').getByText('Thanks! Which variety?').waitFor();
    await api.post(bob, group.id, '<p>Sungold.</p>', parent.id);
    await api.post(alice, group.id, '<p>Ordered some.</p>', parent.id);

    const expected = ['Cherry tomatoes, in a deep pot.', 'Thanks! Which variety?', 'Sungold.', 'Ordered some.'];
    for (const page of [alicePage, bobPage]) {
      await page.page.locator('section[aria-label="Replies"]').getByText('Ordered some.').waitFor();
      expect(await replyTexts(page)).to.deep.equal(expected);
      await page.page.getByLabel('4 replies', { exact: true }).waitFor();
    }
    await screenshot(bobPage.page, 'post-replies');
  });

  it('removes a reply its author deleted from the other browser', async () => {
    const reply = bobPage.page.locator('section[aria-label="Replies"] article', { hasText: 'Sungold.' });
    await reply.getByRole('button', { name: /More actions for post by Bob Reader/ }).click();
    bobPage.page.once('dialog', (dialog) => void dialog.accept());
    await reply.getByRole('button', { name: 'Delete' }).click();
    await alicePage.page.locator('section[aria-label="Replies"]').getByText('Sungold.').waitFor({ state: 'detached' });
    expect(await replyTexts(alicePage)).to.deep.equal(['Cherry tomatoes, in a deep pot.', 'Thanks! Which variety?', 'Ordered some.']);
  });
});
