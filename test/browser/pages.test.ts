// The signed-in pages in a real browser: images with upload progress, group management, profiles, avatar
// cropping, keyboard use, and the moderator's pages; each page is screenshotted at 360 px and desktop.
import { expect } from 'chai';
import sharp from 'sharp';
import type { Group } from '../../shared/api';
import { buildUser, type BuiltUser } from '../support/factories';
import { ForumApi } from '../support/forum-api';
import { openPage, screenshot, signInWithToken, startBrowserForum, type BrowserForum, type WatchedPage } from './support';

async function pngOf(width: number, height: number, colour: { r: number; g: number; b: number }): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: colour } }).png().toBuffer();
}

describe('browser: signed-in pages', function () {
  this.timeout(120_000);
  let env: BrowserForum;
  let api: ForumApi;
  let owner: BuiltUser;
  let asker: BuiltUser;
  let group: Group;
  let tab: WatchedPage;

  before(async () => {
    env = await startBrowserForum();
    api = new ForumApi(env.forum.http);
    owner = await buildUser({ name: 'Olu Organiser', bio: 'Runs the choir on Thursdays.' });
    asker = await buildUser({ name: 'Ana Asker' });
    group = await api.updateGroup(owner, (await api.createGroup(owner, 'closed', 'request')).id, { name: 'Choir Committee', description: 'Planning rehearsals and concerts.' });
    const res = await env.forum.http.post(`/api/groups/${group.id}/join`).set(asker.auth);
    expect(res.body.myStatus).to.equal('pending');
    tab = await openPage(env.browser);
  });

  after(async () => {
    await env?.close();
  });

  afterEach(() => {
    expect(tab.problems, 'CSP violations or script errors').to.deep.equal([]);
  });

  it('posts formatted text with two attached images, and lazy-loads them', async () => {
    const { page } = tab;
    await signInWithToken(page, env.url, owner.token, `/groups/${group.id}`);
    await page.getByRole('heading', { name: 'Choir Committee' }).waitFor();
    const editor = page.getByRole('textbox', { name: 'New post' });
    await editor.click();
    await page.getByRole('button', { name: 'Bold' }).click();
    await page.keyboard.type('Rehearsal moved');
    await page.getByRole('button', { name: 'Bold' }).click();
    await page.keyboard.type(' to the small hall.');
    await page.locator('input[type=file][id^=composer-images]').setInputFiles([
      { name: 'hall.png', mimeType: 'image/png', buffer: await pngOf(900, 600, { r: 40, g: 120, b: 90 }) },
      { name: 'stage.png', mimeType: 'image/png', buffer: await pngOf(600, 900, { r: 200, g: 140, b: 60 }) },
    ]);
    await page.getByRole('list', { name: 'Attached images' }).getByRole('img').nth(1).waitFor();
    await page.getByRole('button', { name: 'Post', exact: true }).click();
    const posted = page.locator('article', { hasText: 'Rehearsal moved to the small hall.' });
    await posted.waitFor();
    expect(await posted.locator('.post-body strong').textContent()).to.equal('Rehearsal moved');
    const images = posted.locator('.post-images img');
    expect(await images.count()).to.equal(2);
    expect(await images.first().getAttribute('loading')).to.equal('lazy');
    // Thumbnails offer the large version to screens that need more pixels than 320.
    expect(await images.first().getAttribute('srcset')).to.match(/ 320w, .+ 1280w$/);
    expect(await images.first().getAttribute('sizes')).to.be.a('string');
    await images.first().evaluate((img: { decode(): Promise<void> }) => img.decode());
    expect(await images.first().evaluate((img: { naturalWidth: number }) => img.naturalWidth)).to.be.greaterThan(0);
  });

  it('lets the owner approve a request to join and shows the member list', async () => {
    const { page } = tab;
    const manager = page.getByRole('region', { name: 'Manage members' });
    await manager.getByText('Manage members').click();
    await manager.getByRole('tab', { name: 'Requests' }).click();
    await manager.getByText('Ana Asker').waitFor();
    await screenshot(page, 'group-owner');
    await manager.getByRole('button', { name: 'Approve' }).click();
    await manager.getByText('No one is waiting for approval.').waitFor();
    await manager.getByRole('tab', { name: 'Members' }).click();
    await manager.getByText('Ana Asker').waitFor();
  });

  it('lets the owner write the group’s rules, which an outsider of the closed group reads beside its description', async () => {
    const { page } = tab;
    await signInWithToken(page, env.url, owner.token, `/groups/${group.id}`);
    await page.getByText('Group settings').click();
    await page.getByLabel('Rules').fill('1. Bring your own score.\n2. Phones off during rehearsal.');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Settings saved.').waitFor();

    const outsider = await openPage(env.browser);
    try {
      const stranger = await buildUser({ name: 'Otto Outsider' });
      await signInWithToken(outsider.page, env.url, stranger.token, `/groups/${group.id}`);
      await outsider.page.getByText('Planning rehearsals and concerts.').waitFor();
      await outsider.page.getByText('Group rules').click();
      await outsider.page.getByText('2. Phones off during rehearsal.').waitFor();
      expect(await outsider.page.getByLabel('Rules').count(), 'no settings for an outsider').to.equal(0);
      await screenshot(outsider.page, 'group-rules-outsider');
      expect(outsider.problems).to.deep.equal([]);
    } finally {
      await outsider.context.close();
    }
  });

  it('shows profiles with written and liked posts', async () => {
    const { page } = tab;
    await page.goto(`${env.url}/users/${owner.user._id}`);
    await page.getByRole('heading', { name: 'Olu Organiser' }).waitFor();
    await page.getByText('Runs the choir on Thursdays.').waitFor();
    await page.getByText('Rehearsal moved').waitFor();
    await page.getByRole('tab', { name: 'Liked' }).click();
    await page.getByText('No liked posts to show').waitFor();
    await screenshot(page, 'profile');
  });

  it('crops an avatar with a live preview and uploads it', async () => {
    const { page } = tab;
    await page.getByRole('link', { name: 'Edit profile' }).click();
    await page.locator('#avatar-file').setInputFiles({ name: 'me.png', mimeType: 'image/png', buffer: await pngOf(800, 500, { r: 30, g: 60, b: 160 }) });
    await page.getByRole('img', { name: 'Large preview' }).waitFor();
    await page.getByRole('slider', { name: 'Zoom' }).fill('2');
    await screenshot(page, 'edit-profile');
    await page.getByRole('button', { name: 'Use this picture' }).click();
    await page.locator('.avatar-current img.avatar').waitFor();
    expect(await page.locator('.avatar-current img.avatar').getAttribute('src')).to.match(/^\/media\/avatars\/[0-9a-f]{32}-512\.webp$/);
  });

  it('can be used from the keyboard: the skip link leads to the content', async () => {
    const { page } = tab;
    await page.goto(`${env.url}/groups`);
    await page.getByRole('heading', { name: 'Groups' }).waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement.textContent')).to.equal('Skip to content');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    expect(await page.evaluate("document.activeElement.closest('main') !== null")).to.equal(true);
    await screenshot(page, 'groups');
  });

  it('shows moderators the report queue, holds and the audit log with its verification', async () => {
    const moderator = await buildUser({ name: 'Mo Moderator', roles: ['moderator'] });
    const { page } = tab;
    await signInWithToken(page, env.url, moderator.token, '/mod/reports');
    await page.getByRole('navigation', { name: 'Moderation' }).waitFor();
    // Other suites may have left reports: either the list or its empty state.
    await page.locator('.report-list, .state-empty').first().waitFor();
    await screenshot(page, 'mod-reports');
    await page.getByRole('link', { name: 'Legal holds' }).click();
    await page.getByRole('heading', { name: 'Place a hold' }).waitFor();
    await screenshot(page, 'mod-holds');
    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.getByText(/Chain intact|Chain broken/).waitFor();
    await screenshot(page, 'mod-audit');
  });

  it('never stores a cookie', async () => {
    expect(await tab.context.cookies()).to.deep.equal([]);
  });
});
