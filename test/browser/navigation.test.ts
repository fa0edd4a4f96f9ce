// Group pages, profiles and moving around: closed groups say "closed" rather than a false count, the owner's
// member panel leaves the posts in view, replies in a profile say what they answer, going back restores the
// scroll position, and the notice after deleting an account is on screen.
import { expect } from 'chai';
import type { Group, Post } from '../../shared/api';
import { buildUser, type BuiltUser } from '../support/factories';
import { ForumApi } from '../support/forum-api';
import { openPage, screenshot, signInWithToken, startBrowserForum, type BrowserForum, type WatchedPage } from './support';

describe('browser: group pages, profiles and going back', function () {
  this.timeout(180_000);
  let env: BrowserForum;
  let api: ForumApi;
  let owner: BuiltUser;
  let reader: BuiltUser;
  let open: Group;
  let closed: Group;
  let parent: Post;
  let tab: WatchedPage;

  before(async () => {
    env = await startBrowserForum();
    api = new ForumApi(env.forum.http);
    owner = await buildUser({ name: 'Olga Owner' });
    reader = await buildUser({ name: 'Rudi Reader' });
    open = await api.updateGroup(owner, (await api.createGroup(owner, 'public')).id, { name: 'Allotments', description: 'Plots, seeds and the shared shed.' });
    closed = await api.updateGroup(owner, (await api.createGroup(owner, 'closed', 'request')).id, { name: 'Committee' });
    await api.join(reader, open.id);
    parent = await api.post(owner, open.id, '<p>Who has the key to the shed?</p>');
    await api.post(reader, open.id, '<p>I do, until Friday.</p>', parent.id);
    // Enough posts that the feed scrolls well past one screen.
    for (let index = 0; index < 18; index++) await api.post(owner, open.id, `<p>Plot update number ${index}</p>`);
    tab = await openPage(env.browser);
  });

  after(async () => {
    await env?.close();
  });

  afterEach(() => {
    expect(tab.problems, 'CSP violations or script errors').to.deep.equal([]);
  });

  it('says a closed group is closed instead of showing a member count, and shows a group’s description', async () => {
    const { page } = tab;
    await signInWithToken(page, env.url, reader.token, '/groups');
    const card = page.locator('.group-card', { hasText: 'Committee' });
    await card.getByText('Closed group: members are private').waitFor();
    expect(await card.getByText(/\d+ members?/).count()).to.equal(0);
    await page.locator('.group-card', { hasText: 'Allotments' }).getByText('2 members').waitFor();
    await page.getByRole('link', { name: 'Committee' }).click();
    await page.getByRole('heading', { name: 'Committee', level: 1 }).waitFor();
    await page.getByText('Closed group: members are private').waitFor();
    await page.goto(`${env.url}/groups/${open.id}`);
    await page.getByText('Plots, seeds and the shared shed.').waitFor();
  });

  it('keeps the owner’s posts and "new posts" pill in view with the member panel folded', async () => {
    const owned = await openPage(env.browser);
    await signInWithToken(owned.page, env.url, owner.token, `/groups/${open.id}`);
    await owned.page.getByRole('region', { name: 'Manage members' }).waitFor();
    await owned.page.locator('.live-dot.live-live').waitFor();
    const firstPost = owned.page.locator('.post-list article').first();
    await firstPost.waitFor();
    expect(await firstPost.isVisible()).to.equal(true);
    expect((await firstPost.boundingBox())!.y, 'the first post starts on the first screen').to.be.lessThan(860);

    await api.post(reader, open.id, '<p>Fresh from the plot</p>');
    const pill = owned.page.getByRole('button', { name: '1 new post' });
    await pill.waitFor();
    expect((await pill.boundingBox())!.y).to.be.lessThan(860);
    await screenshot(owned.page, 'group-owner-folded');
    expect(owned.problems).to.deep.equal([]);
    await owned.context.close();
  });

  it('shows which post a reply in a profile answers', async () => {
    const { page } = tab;
    await page.goto(`${env.url}/users/${reader.user._id.toString()}`);
    const context = page.locator('.reply-context');
    await context.getByRole('link', { name: 'Olga Owner: “Who has the key to the shed?”' }).waitFor();
    await context.getByRole('link').click();
    await page.getByRole('heading', { level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).to.equal(`/posts/${parent.id}`);
  });

  it('returns to the same place in a feed after opening a post and going back', async () => {
    const { page } = tab;
    await page.goto(`${env.url}/groups/${open.id}`);
    const target = page.locator('.post-list article', { hasText: 'Plot update number 3' });
    await target.waitFor();
    await target.scrollIntoViewIfNeeded();
    await page.evaluate('window.scrollBy(0, 40)');
    const before = (await page.evaluate('window.scrollY')) as number;
    expect(before).to.be.greaterThan(400);
    await page.waitForTimeout(300);
    await target.getByRole('link', { name: /open the conversation/ }).click();
    await page.getByRole('heading', { level: 1 }).waitFor();
    expect((await page.evaluate('window.scrollY')) as number, 'a new page starts at the top').to.equal(0);

    await page.goBack();
    await page.locator('.post-list article', { hasText: 'Plot update number 3' }).waitFor();
    // Polled from here: the page's CSP forbids the string evaluation waitForFunction would poll with.
    const deadline = Date.now() + 10_000;
    while (Math.abs(((await page.evaluate('window.scrollY')) as number) - before) >= 5) {
      expect(Date.now(), 'scroll position restored').to.be.lessThan(deadline);
      await page.waitForTimeout(50);
    }
  });

  it('shows the notice after deleting an account at the top of the screen', async () => {
    const leaver = await buildUser({ name: 'Lea Leaver' });
    const { page } = tab;
    await signInWithToken(page, env.url, leaver.token, '/privacy');
    await page.getByRole('button', { name: 'I want to delete my account' }).click();
    await page.getByLabel('Your password').fill(leaver.password);
    await page.getByLabel('I understand this cannot be undone.').check();
    await page.getByRole('button', { name: 'Delete my account permanently' }).click();
    const notice = page.getByText('Your account has been deleted.');
    await notice.waitFor();
    const box = (await notice.boundingBox())!;
    expect(box.y, 'the notice is on screen').to.be.within(0, (page.viewportSize()?.height ?? 860) - box.height);
  });
});
