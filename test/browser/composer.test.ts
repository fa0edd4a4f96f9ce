// Writing: the audience is chosen on purpose (never a closed group by default), drafts are kept per group and
// per reply while moving around, and leaving with unsaved text asks first.
import { expect } from 'chai';
import type { Group, Post } from '../../shared/api';
import { buildUser, type BuiltUser } from '../support/factories';
import { ForumApi } from '../support/forum-api';
import { openPage, screenshot, signInWithToken, startBrowserForum, type BrowserForum, type WatchedPage } from './support';

describe('browser: composer', function () {
  this.timeout(180_000);
  let env: BrowserForum;
  let api: ForumApi;
  let member: BuiltUser;
  let closed: Group;
  let open: Group;
  let post: Post;
  let tab: WatchedPage;

  before(async () => {
    env = await startBrowserForum();
    api = new ForumApi(env.forum.http);
    const owner = await buildUser({ name: 'Olga Owner' });
    member = await buildUser({ name: 'Mona Member' });
    // Named so the closed group sorts first: it used to be the default audience.
    closed = await api.updateGroup(owner, (await api.createGroup(owner, 'closed', 'open')).id, { name: 'AAA Confidential Board' });
    open = await api.updateGroup(owner, (await api.createGroup(owner, 'public')).id, { name: 'Town Square' });
    await api.join(member, closed.id);
    await api.join(member, open.id);
    post = await api.post(owner, open.id, '<p>Ideas for the summer fair?</p>');
    tab = await openPage(env.browser);
    await signInWithToken(tab.page, env.url, member.token, '/home');
  });

  after(async () => {
    await env?.close();
  });

  afterEach(() => {
    expect(tab.problems, 'CSP violations or script errors').to.deep.equal([]);
  });

  it('asks where to post on the home feed and names the audience, never defaulting to a closed group', async () => {
    const { page } = tab;
    const select = page.getByLabel('Post in', { exact: true });
    await select.waitFor();
    expect(await select.inputValue()).to.equal('');
    expect(await page.getByRole('textbox', { name: /New post/ }).count(), 'no composer before a group is chosen').to.equal(0);
    await page.getByText('Choose where to post before writing.').waitFor();

    await select.selectOption({ label: 'AAA Confidential Board (closed: members only)' });
    await page.getByText('Only members of AAA Confidential Board will see it.').waitFor();
    const editor = page.getByRole('textbox', { name: 'New post in AAA Confidential Board' });
    expect(await editor.getAttribute('data-placeholder')).to.equal('Write to AAA Confidential Board (members only)…');
    await screenshot(page, 'home-composer-audience');

    await select.selectOption({ label: 'Town Square (public)' });
    await page.getByText(/Everyone signed in can see it/).waitFor();
  });

  it('keeps a draft per group and per reply across navigation, and forgets it once sent', async () => {
    const { page } = tab;
    await page.goto(`${env.url}/groups/${open.id}`);
    await page.getByRole('textbox', { name: 'New post' }).click();
    await page.keyboard.type('Square draft');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Groups' }).click();
    await page.getByRole('link', { name: 'AAA Confidential Board' }).click();
    const closedEditor = page.getByRole('textbox', { name: 'New post' });
    await closedEditor.waitFor();
    expect((await closedEditor.innerText()).trim(), 'drafts are per group').to.equal('');
    await closedEditor.click();
    await page.keyboard.type('Board draft');

    await page.goto(`${env.url}/posts/${post.id}`);
    await page.getByRole('textbox', { name: 'Reply' }).click();
    await page.keyboard.type('Reply draft');
    await page.getByRole('link', { name: 'Town Square' }).first().click();
    await page.getByRole('heading', { name: 'Town Square' }).waitFor();
    // The editor fills in its draft just after it mounts: wait for it rather than read it at once.
    await page.getByRole('textbox', { name: 'New post' }).filter({ hasText: 'Square draft' }).waitFor();

    await page.goBack();
    await page.getByRole('textbox', { name: 'Reply' }).filter({ hasText: 'Reply draft' }).waitFor();
    await page.getByRole('button', { name: 'Reply', exact: true }).click();
    await page.locator('section[aria-label="Replies"]').getByText('Reply draft').waitFor();
    expect((await page.getByRole('textbox', { name: 'Reply' }).innerText()).trim(), 'sent: the draft is gone').to.equal('');

    await page.goto(`${env.url}/groups/${closed.id}`);
    // Kept across a reload too.
    await page.getByRole('textbox', { name: 'New post' }).filter({ hasText: 'Board draft' }).waitFor();
  });

  it('asks before leaving an edit in progress, and before closing a tab with a draft', async () => {
    const { page } = tab;
    const mine = await api.post(member, open.id, '<p>My first version</p>');
    await page.goto(`${env.url}/posts/${mine.id}`);
    await page.getByRole('button', { name: /More actions for post by Mona Member/ }).first().click();
    await page.getByRole('button', { name: 'Edit' }).click();
    const editor = page.getByRole('textbox', { name: 'Edit post' });
    await editor.click();
    await page.keyboard.press('End');
    await page.keyboard.type(' and more');

    const messages: string[] = [];
    page.once('dialog', (dialog) => {
      messages.push(dialog.message());
      void dialog.dismiss();
    });
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Groups' }).click();
    expect(messages).to.deep.equal(['Discard your changes to this post?']);
    expect(new URL(page.url()).pathname, 'stayed on the post').to.equal(`/posts/${mine.id}`);
    expect(await editor.innerText()).to.contain('and more');

    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Groups' }).click();
    await page.getByRole('heading', { name: 'Groups', level: 1 }).waitFor();

    // The closed group's draft from before is still there; closing the tab would lose it, so the browser asks.
    await page.goto(`${env.url}/groups/${closed.id}`);
    await page.getByRole('textbox', { name: 'New post' }).click();
    const asked = new Promise<string>((resolve) => page.once('dialog', (dialog) => (resolve(dialog.type()), void dialog.accept())));
    await page.close({ runBeforeUnload: true });
    expect(await asked).to.equal('beforeunload');
  });
});
