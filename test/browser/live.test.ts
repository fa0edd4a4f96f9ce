// Two (and three) real browsers at once: what one person does reaches the others live, without reloads.
import { expect } from 'chai';
import type { Group } from '../../shared/api';
import { buildUser, type BuiltUser } from '../support/factories';
import { ForumApi } from '../support/forum-api';
import { linkFromMail, openPage, screenshot, signInWithToken, startBrowserForum, type BrowserForum, type WatchedPage } from './support';

describe('browser: live updates', function () {
  this.timeout(120_000);
  let env: BrowserForum;
  let api: ForumApi;
  let owner: BuiltUser;
  let group: Group;
  let alice: WatchedPage;
  let bob: WatchedPage;
  let bobUser: BuiltUser;
  const postText = `Seedlings are up ${Date.now()}`;

  before(async () => {
    env = await startBrowserForum();
    api = new ForumApi(env.forum.http);
    owner = await buildUser({ name: 'Greta Gardener' });
    group = await api.updateGroup(owner, (await api.createGroup(owner, 'public')).id, { name: 'Garden Club', description: 'Seeds, soil and sharing cuttings.' });
    bobUser = await buildUser({ name: 'Bob Reader' });
    alice = await openPage(env.browser);
    bob = await openPage(env.browser);
  });

  after(async () => {
    await env?.close();
  });

  afterEach(() => {
    expect(alice.problems, 'CSP violations or script errors (Alice)').to.deep.equal([]);
    expect(bob.problems, 'CSP violations or script errors (Bob)').to.deep.equal([]);
  });

  it('signs up, joins a group and posts; a second browser sees the post arrive live', async () => {
    await signInWithToken(bob.page, env.url, bobUser.token, '/home');
    await bob.page.getByRole('heading', { name: 'Your feed', exact: true }).waitFor();
    await bob.page.locator('.live-dot.live-live').waitFor();

    const { page } = alice;
    await page.goto(`${env.url}/signup`);
    await page.getByLabel('Your name').fill('Alice Author');
    const aliceEmail = `alice-${Date.now()}@example.org`;
    await page.getByLabel('E-mail address').fill(aliceEmail);
    await page.getByLabel('Password').fill('a long enough passphrase');
    await page.getByLabel('Date of birth').fill('1985-06-15');
    await page.getByLabel(/I accept the terms/).check();
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('heading', { name: 'Check your e-mail' }).waitFor();
    await page.goto(await linkFromMail(env, aliceEmail, '/verify-email'));
    await page.getByLabel('Your password').fill('a long enough passphrase');
    await page.getByRole('button', { name: 'Confirm and sign in' }).click();
    await page.getByRole('heading', { name: 'Your feed', exact: true }).waitFor();

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Groups' }).click();
    await page.getByRole('link', { name: 'Garden Club' }).click();
    await page.getByRole('button', { name: 'Join group' }).click();
    await page.getByRole('button', { name: 'Leave group' }).waitFor();

    await page.getByRole('textbox', { name: 'New post' }).click();
    await page.keyboard.type(postText);
    const posted = page.waitForResponse((response) => response.url().includes('/posts') && response.request().method() === 'POST');
    await page.getByRole('button', { name: 'Post', exact: true }).click();
    const postResponse = await posted;
    expect(postResponse.status(), await postResponse.text()).to.equal(201);
    await page.locator('.post-list').getByText(postText).waitFor();
    await screenshot(page, 'group');

    const pill = bob.page.getByRole('button', { name: '1 new post' });
    await pill.waitFor();
    expect(await bob.page.locator('.post-list').getByText(postText).count(), 'kept behind the pill').to.equal(0);
    await screenshot(bob.page, 'home-feed-new-posts');
    await pill.click();
    await bob.page.locator('.post-list').getByText(postText).waitFor();
  });

  it('shows a like at once in the liker’s browser and live in the author’s', async () => {
    const bobLike = bob.page.getByRole('button', { name: /^Like post by Alice Author/ });
    await bobLike.click();
    await bob.page.getByRole('button', { name: /^Unlike post by Alice Author \(1 like\)/ }).waitFor();
    await alice.page.locator('article', { hasText: postText }).locator('.like-count', { hasText: '1' }).waitFor();

    await bob.page.getByRole('button', { name: /^Unlike post by Alice Author/ }).click();
    await alice.page.locator('article', { hasText: postText }).locator('.like-count', { hasText: '0' }).waitFor();
  });

  it('removes a post from other browsers when a moderator hides it', async () => {
    const moderator = await buildUser({ name: 'Mia Moderator', roles: ['moderator'] });
    const mod = await openPage(env.browser);
    const postId = await alice.page.locator('article', { hasText: postText }).getAttribute('data-post-id');
    await signInWithToken(mod.page, env.url, moderator.token, `/posts/${postId}`);
    await mod.page.getByText(postText).waitFor();
    await mod.page.getByRole('button', { name: /More actions for post by Alice Author/ }).click();
    await mod.page.getByRole('button', { name: 'Hide (moderator)' }).click();
    await mod.page.getByLabel(/Reason for hiding/).fill('Off-topic advertising');
    await mod.page.getByRole('button', { name: 'Hide post' }).click();

    await bob.page.locator('.post-list').getByText(postText).waitFor({ state: 'detached' });
    expect(mod.problems).to.deep.equal([]);
    expect(await mod.context.cookies()).to.deep.equal([]);
    await mod.context.close();
  });

  it('never stores a cookie in any of the browsers', async () => {
    expect(await alice.context.cookies()).to.deep.equal([]);
    expect(await bob.context.cookies()).to.deep.equal([]);
  });
});
