// The bell in two real browsers: a reply written in one reaches the other's bell and tab title live, leads to
// the reply; removal from a closed group takes its notifications out of the bell without a reload.
import { expect } from 'chai';
import { addMember, buildGroup, buildPost, idOf } from '../support/content';
import { buildUser, type BuiltUser } from '../support/factories';
import { ForumApi } from '../support/forum-api';
import { openPage, screenshot, signInWithToken, startBrowserForum, type BrowserForum, type WatchedPage } from './support';

describe('browser: notifications', function () {
  this.timeout(120_000);
  let env: BrowserForum;
  let api: ForumApi;
  let alice: WatchedPage;
  let bob: WatchedPage;
  let aliceUser: BuiltUser;
  let bobUser: BuiltUser;

  before(async () => {
    env = await startBrowserForum();
    api = new ForumApi(env.forum.http);
    [aliceUser, bobUser] = await Promise.all([buildUser({ name: 'Alice Owner' }), buildUser({ name: 'Bob Member' })]);
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

  const bell = (watched: WatchedPage) => watched.page.getByRole('link', { name: /^Notifications,/ });

  it('shows a reply made in one browser in the other’s bell and tab title live, and opens the reply', async () => {
    const group = await buildGroup({ owner: aliceUser, visibility: 'closed', name: 'Night Shift' });
    await addMember(group, bobUser);
    const post = await buildPost({ group, author: aliceUser, body: '<p>Who covers Friday?</p>' });

    await signInWithToken(alice.page, env.url, aliceUser.token, '/home');
    await bell(alice).and(alice.page.getByRole('link', { name: 'Notifications, none unread' })).waitFor();
    await alice.page.locator('.live-dot.live-live').waitFor();

    await signInWithToken(bob.page, env.url, bobUser.token, `/posts/${idOf(post)}`);
    await bob.page.getByRole('textbox', { name: 'Reply' }).click();
    await bob.page.keyboard.type('I can take Friday');
    await bob.page.getByRole('button', { name: 'Reply', exact: true }).click();

    await alice.page.getByRole('link', { name: 'Notifications, 1 unread' }).waitFor();
    expect(await alice.page.title()).to.match(/^\(1\) /);
    await screenshot(alice.page, 'notification-bell');

    await bell(alice).click();
    await alice.page.getByRole('heading', { name: 'Notifications' }).waitFor();
    const item = alice.page.getByRole('link', { name: /Bob Member replied to your post in Night Shift/ });
    await item.waitFor();
    await screenshot(alice.page, 'notifications');
    await item.click();
    await alice.page.locator('.post').getByText('I can take Friday').waitFor();
    expect(new URL(alice.page.url()).pathname).to.equal(`/posts/${idOf(post)}`);
    await alice.page.getByRole('link', { name: 'Notifications, none unread' }).waitFor();
    expect(await alice.page.title()).to.not.match(/^\(\d+\) /);
  });

  it('completes @names from the group’s members with the keyboard, and the mention reaches only them', async () => {
    const group = await buildGroup({ owner: aliceUser, visibility: 'closed', name: 'Rota' });
    await addMember(group, bobUser);
    const outsider = await buildUser({ name: 'Bobby Outsider' });
    await bob.page.goto(`${env.url}/home`);
    await bob.page.getByRole('link', { name: 'Notifications, none unread' }).waitFor();

    await alice.page.goto(`${env.url}/groups/${idOf(group)}`);
    const editor = alice.page.getByRole('textbox', { name: 'New post' });
    await editor.click();
    await alice.page.keyboard.type('Thanks @Bo');
    const options = alice.page.getByRole('listbox', { name: 'People to mention' }).getByRole('option');
    await options.first().waitFor();
    expect((await options.allTextContents()).map((text) => text.trim())).to.deep.equal(['BM Bob Member']);
    await alice.page.keyboard.press('Enter');
    await alice.page.keyboard.type('for Friday');
    const posted = alice.page.waitForResponse((response) => response.url().includes('/posts') && response.request().method() === 'POST');
    await alice.page.getByRole('button', { name: 'Post', exact: true }).click();
    expect((await posted).status()).to.equal(201);
    const mention = alice.page.locator('.post-list').getByRole('link', { name: '@Bob Member' });
    await mention.waitFor();
    expect(await mention.getAttribute('href')).to.equal(`/users/${String(bobUser.user._id)}`);

    await bob.page.getByRole('link', { name: 'Notifications, 1 unread' }).waitFor();
    const outsiderList = await env.forum.http.get('/api/notifications/unread-count').set(outsider.auth);
    expect(outsiderList.body).to.deep.equal({ count: 0 });
    await env.forum.http.post('/api/notifications/read').set(bobUser.auth).send({ all: true });
  });

  it('drops the bell count without a reload when the person is removed from the closed group', async () => {
    const group = await buildGroup({ owner: aliceUser, visibility: 'closed', name: 'Board' });
    await addMember(group, bobUser);
    const post = await buildPost({ group, author: bobUser, body: '<p>Minutes attached</p>' });
    await bob.page.goto(`${env.url}/home`);
    await bob.page.locator('.live-dot.live-live').waitFor();
    await bob.page.getByRole('link', { name: 'Notifications, none unread' }).waitFor();

    await api.post(aliceUser, idOf(group), '<p>Thanks, approved</p>', idOf(post));
    await bob.page.getByRole('link', { name: 'Notifications, 1 unread' }).waitFor();

    await api.removeMember(aliceUser, idOf(group), String(bobUser.user._id));
    await bob.page.getByRole('link', { name: 'Notifications, none unread' }).waitFor();
    expect(await bob.page.title()).to.not.match(/^\(\d+\) /);
  });
});
