// A moderator's whole day in the browser: decide reports (dismiss, hide and restore, delete, suspend), look back
// at handled ones, read a closed group with a stated reason, and place a hold on a person chosen by name.
import { expect } from 'chai';
import type { Group, Post } from '../../shared/api';
import { AuditEntry } from '../../server/models/audit-entry';
import { buildUser, type BuiltUser } from '../support/factories';
import { ForumApi } from '../support/forum-api';
import { openPage, screenshot, signInWithToken, startBrowserForum, type BrowserForum, type WatchedPage } from './support';

describe('browser: moderation', function () {
  this.timeout(180_000);
  let env: BrowserForum;
  let api: ForumApi;
  let owner: BuiltUser;
  let author: BuiltUser;
  let reporter: BuiltUser;
  let moderator: BuiltUser;
  let group: Group;
  let closed: Group;
  let tab: WatchedPage;

  before(async () => {
    env = await startBrowserForum();
    api = new ForumApi(env.forum.http);
    owner = await buildUser({ name: 'Olga Owner' });
    author = await buildUser({ name: 'Arno Author' });
    reporter = await buildUser({ name: 'Rita Reporter' });
    moderator = await buildUser({ name: 'Mia Moderator', roles: ['moderator'] });
    group = await api.updateGroup(owner, (await api.createGroup(owner, 'public')).id, { name: 'Town Square' });
    closed = await api.updateGroup(owner, (await api.createGroup(owner, 'closed', 'request')).id, { name: 'Board Room' });
    await api.join(author, group.id);
    tab = await openPage(env.browser);
    await signInWithToken(tab.page, env.url, moderator.token, '/mod/reports');
  });

  after(async () => {
    await env?.close();
  });

  afterEach(() => {
    expect(tab.problems, 'CSP violations or script errors').to.deep.equal([]);
  });

  async function reported(body: string): Promise<Post> {
    const post = await api.post(author, group.id, `<p>${body}</p>`);
    await env.forum.http.post(`/api/posts/${post.id}/reports`).set(reporter.auth).send({ reason: `About: ${body}` }).expect(201);
    return post;
  }

  const reportItem = (body: string) => tab.page.locator('li.report', { hasText: body });

  async function openQueue(): Promise<void> {
    await tab.page.goto(`${env.url}/mod/reports`);
    await tab.page.getByRole('tab', { name: 'Open' }).waitFor();
    await tab.page.locator('.report-list, .state-empty').first().waitFor();
  }

  it('dismisses a report with a reason, and "All" still shows it with who decided', async () => {
    await reported('Harmless joke');
    await openQueue();
    const item = reportItem('Harmless joke');
    expect(await item.getByRole('button', { name: 'Restore post' }).count(), 'restore is offered only for hidden posts').to.equal(0);
    await item.getByLabel(/Reason for your decision/).fill('Within the rules');
    await item.getByRole('button', { name: 'Dismiss report' }).click();
    await item.getByRole('status').filter({ hasText: 'Report dismissed.' }).waitFor();

    await openQueue();
    expect(await reportItem('Harmless joke').count(), 'gone from the open queue').to.equal(0);
    await tab.page.getByRole('tab', { name: 'Open' }).focus();
    await tab.page.keyboard.press('ArrowRight');
    expect(await tab.page.getByRole('tab', { name: 'All' }).getAttribute('aria-selected')).to.equal('true');
    const handled = reportItem('Harmless joke');
    await handled.getByText(/Dismissed by/).waitFor();
    await handled.locator('.report-resolution').getByRole('link', { name: 'Mia Moderator' }).waitFor();
    await handled.getByText('“Within the rules”').waitFor();
    await screenshot(tab.page, 'mod-reports-all');
  });

  it('hides a post, marks it hidden, offers restore instead of hide, and restores it', async () => {
    const post = await reported('Buy cheap watches');
    await openQueue();
    const item = reportItem('Buy cheap watches');
    await item.getByLabel(/Reason for your decision/).fill('Advertising (rule 4)');
    await item.getByRole('button', { name: 'Hide post' }).click();
    await item.getByText('Hidden: only moderators see this post.').waitFor();
    await env.forum.http.get(`/api/posts/${post.id}`).set(reporter.auth).expect(404);

    // Opened by its address, the hidden post is marked for the moderator, with the way back.
    await tab.page.goto(`${env.url}/posts/${post.id}`);
    await tab.page.getByRole('note').filter({ hasText: 'Hidden: only moderators see this post.' }).waitFor();
    await screenshot(tab.page, 'post-hidden-for-moderator');
    await tab.page.getByRole('button', { name: 'Restore post' }).click();
    await tab.page.getByText('Post restored.').waitFor();
    expect(await tab.page.getByRole('note').filter({ hasText: 'Hidden' }).count()).to.equal(0);
    await env.forum.http.get(`/api/posts/${post.id}`).set(reporter.auth).expect(200);
  });

  it('suspends the author from the group and deletes a post, from the queue', async () => {
    const post = await reported('Personal attack');
    await openQueue();
    const item = reportItem('Personal attack');
    await item.getByLabel(/Reason for your decision/).fill('Rule 2, repeated');
    await item.getByRole('button', { name: 'Suspend author from group' }).click();
    await item.getByText('The author is suspended from this group.').waitFor();
    await env.forum.http.post(`/api/groups/${group.id}/posts`).set(author.auth).send({ body: '<p>again</p>' }).expect(403);

    await item.getByLabel(/Reason for your decision/).fill('Rule 2');
    await item.getByRole('button', { name: 'Delete post' }).click();
    await item.getByText('Post deleted.').waitFor();
    await env.forum.http.get(`/api/posts/${post.id}`).set(owner.auth).expect(404);

    await env.forum.http.delete(`/api/mod/groups/${group.id}/members/${author.user._id.toString()}/suspend`).set(moderator.auth).send({}).expect(200);
  });

  it('reads a closed group it is not in only after stating a reason, which the audit log records', async () => {
    await api.post(owner, closed.id, '<p>Budget for next year</p>');
    await tab.page.goto(`${env.url}/groups/${closed.id}`);
    await tab.page.getByRole('heading', { name: 'This group is closed' }).waitFor();
    expect(await tab.page.getByText('Budget for next year').count()).to.equal(0);
    await tab.page.getByLabel('Your reason for reading this group').fill('Report #7 about this group');
    await tab.page.getByRole('button', { name: 'Read as moderator' }).click();
    await tab.page.getByText('Budget for next year').waitFor();
    await tab.page.getByRole('note').filter({ hasText: 'Report #7 about this group' }).waitFor();
    await screenshot(tab.page, 'group-moderator-read');
    const reads = await AuditEntry.find({ actor: moderator.user._id.toString(), action: { $regex: /read/ } }).lean();
    expect(reads.map((entry) => entry.reason)).to.include('Report #7 about this group');
  });

  it('places a hold on a person picked by name, and shows names (ids one click away) in holds and the audit log', async () => {
    await tab.page.goto(`${env.url}/mod/holds`);
    await tab.page.getByRole('radio', { name: /A person/ }).check();
    await tab.page.getByRole('combobox', { name: 'Which person' }).fill('Arno');
    await tab.page.getByRole('option', { name: 'Arno Author' }).click();
    await tab.page.getByLabel('Reason').fill('Police request');
    await tab.page.getByLabel('Reference', { exact: true }).fill('CASE-42');
    await tab.page.getByRole('button', { name: 'Place hold' }).click();
    await tab.page.getByRole('heading', { name: 'Hold CASE-42' }).waitFor();
    const summary = tab.page.locator('.hold-summary');
    await summary.getByRole('link', { name: 'Arno Author' }).waitFor();
    await summary.getByRole('link', { name: 'Mia Moderator' }).waitFor();
    const authorId = author.user._id.toString();
    expect(await summary.getByText(authorId).isVisible()).to.equal(false);
    await summary.getByLabel(`Show id ${authorId}`).click();
    await summary.getByText(authorId).waitFor();

    await tab.page.getByRole('link', { name: 'Audit log' }).click();
    const row = tab.page.locator('tr', { hasText: 'hold.create' }).first();
    await row.getByRole('link', { name: 'Mia Moderator' }).waitFor();
    await row.getByRole('link', { name: 'a legal hold' }).waitFor();
    await screenshot(tab.page, 'mod-audit-names');
  });

  it('shows a held post’s earlier versions to the moderators who hold it, and only "edited" to readers', async () => {
    const post = await api.post(owner, group.id, '<p>Meet at 6</p>');
    await api.edit(owner, post.id, '<p>Meet at 7</p>');
    const hold = (await env.forum.http.post('/api/mod/holds').set(moderator.auth).send({ scope: { type: 'post', id: post.id }, reason: 'Dispute', reference: 'CASE-43' }).expect(201)).body as { id: string };
    await tab.page.goto(`${env.url}/mod/holds/${hold.id}`);
    await tab.page.locator('.preserved summary').first().click();
    const versions = tab.page.getByRole('region', { name: /Earlier versions \(1\)/ });
    await versions.getByText('Meet at 6').waitFor();
    await versions.getByRole('link', { name: 'Olga Owner' }).waitFor();

    const reader = await openPage(env.browser);
    await signInWithToken(reader.page, env.url, reporter.token, `/posts/${post.id}`);
    await reader.page.getByText('Meet at 7').waitFor();
    await reader.page.getByText('· edited').waitFor();
    expect(await reader.page.getByText('Meet at 6').count()).to.equal(0);
    await reader.context.close();
  });

  it('lets a group owner invite someone chosen by name', async () => {
    const owned = await openPage(env.browser);
    await signInWithToken(owned.page, env.url, owner.token, `/groups/${closed.id}`);
    await owned.page.getByText('Manage members').click();
    await owned.page.getByRole('combobox', { name: 'Invite someone' }).fill('Rita');
    await owned.page.getByRole('option', { name: 'Rita Reporter' }).click();
    await owned.page.getByRole('button', { name: 'Send invitation' }).click();
    await owned.page.getByText('Invitation sent to Rita Reporter.').waitFor();
    await owned.page.getByRole('tab', { name: 'Invited' }).click();
    await owned.page.locator('.member-list').getByRole('link', { name: 'Rita Reporter' }).waitFor();
    expect(owned.problems).to.deep.equal([]);
    await owned.context.close();
  });
});
