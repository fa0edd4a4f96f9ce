// What the server sends outside /api: the homepage rendered on the server (public posts only, branded,
// escaped, compressed, dropped by the same events as the public feed), robots.txt, 404 pages, the app
// shell for the client's pages, and the bundle pre-compressed.
import { expect } from 'chai';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CLIENT_ROUTES } from '../../shared/client-routes';
import { ensureClientBuilt } from '../browser/support';
import { buildUser, type BuiltUser } from '../support/factories';
import { startTestForum, type TestForum } from '../support/forum';
import { ForumApi } from '../support/forum-api';
import { hideViaRoute } from '../support/moderation';
import { get } from '../support/raw-http';

/** The JSON data block with this id, parsed (it must survive hostile text intact). */
function dataBlock(html: string, id: string): unknown {
  const match = new RegExp(`<script type="application/json" id="${id}">([^<]*)</script>`).exec(html);
  expect(match, `data block ${id}`).to.not.equal(null);
  return JSON.parse(match![1]!);
}

const HOSTILE_NAME = 'Ops <img src=x onerror=alert(1)> "&" Co';
const HOSTILE_TAGLINE = '</title><script>alert(2)</script>';

describe('visitor pages: the server-rendered homepage, robots.txt, 404s and compressed static files', function () {
  this.timeout(120_000);
  let forum: TestForum;
  let url: string;
  let api: ForumApi;
  let owner: BuiltUser;
  let publicGroupId: string;
  let closedGroupId: string;
  const stamp = Date.now();
  const publicText = `Public hello ${stamp}`;
  const closedText = `Closed secret ${stamp}`;
  const logoDir = mkdtempSync(path.join(os.tmpdir(), 'forum-logo-'));
  const logoFile = path.join(logoDir, 'logo.svg');
  writeFileSync(logoFile, '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10"/></svg>');

  before(async () => {
    ensureClientBuilt();
    forum = await startTestForum({ brand: { name: HOSTILE_NAME, tagline: HOSTILE_TAGLINE, logoFile, accentColor: '#7a1f5c' } });
    url = await forum.startListening();
    api = new ForumApi(forum.http);
    owner = await buildUser({ name: `Eve <b>${stamp}</b>` });
    const open = await api.createGroup(owner, 'public');
    publicGroupId = open.id;
    await api.updateGroup(owner, publicGroupId, { name: `Café & "friends" ${stamp}` });
    closedGroupId = (await api.createGroup(owner, 'closed')).id;
    await api.post(owner, publicGroupId, `<p>${publicText}</p>`);
    await api.post(owner, publicGroupId, '<p>&lt;/script&gt;&lt;script&gt;alert(3)&lt;/script&gt; <script>alert(4)</script>tail</p>');
    await api.post(owner, closedGroupId, `<p>${closedText}</p>`);
  });

  after(async () => {
    await forum?.close();
    rmSync(logoDir, { recursive: true, force: true });
  });

  describe('GET /', () => {
    it('is HTML with the recent public posts and their groups, read without JavaScript, and no closed post', async () => {
      const res = await get(`${url}/`);
      expect(res.status).to.equal(200);
      expect(res.headers['content-type']).to.equal('text/html; charset=utf-8');
      expect(res.text).to.contain(publicText);
      expect(res.text).to.contain(`<span class="post-group"><bdi>Café &amp; &quot;friends&quot; ${stamp}</bdi> · </span>`);
      expect(res.text).to.contain('data-rendered="home"');
      expect(res.text).not.to.contain(closedText);
      expect(res.text.match(/Sign in to like and reply/g), 'one call to action').to.have.length(1);
      const feed = dataBlock(res.text, 'forum-initial-feed') as { items: { bodyText: string }[]; groups: { id: string }[] };
      expect(feed.items.map((post) => post.bodyText)).to.include(publicText);
      expect(feed.groups.map((group) => group.id)).to.deep.equal([publicGroupId]);
    });

    it('carries the security headers, on the fast path too', async () => {
      await get(`${url}/`);
      const res = await get(`${url}/`);
      expect(res.headers['content-security-policy']).to.match(/script-src 'self'/);
      expect(res.headers['x-frame-options']).to.equal('DENY');
      expect(res.headers['set-cookie']).to.equal(undefined);
      expect(res.headers['cache-control']).to.equal('no-cache');
    });

    it('escapes hostile post text, names and configuration in the page', async () => {
      const { text } = await get(`${url}/`);
      expect(text).not.to.match(/alert\(\d\)<\/script>/);
      expect(text).not.to.contain('<img src=x');
      expect(text).not.to.contain(`<b>${stamp}`);
      expect(text).not.to.contain('</title><script>');
      expect(text).to.contain(`<title>Ops &lt;img src=x onerror=alert(1)&gt; &quot;&amp;&quot; Co</title>`);
      // The hostile bodyText travels in the data block, which still parses to exactly what the API says.
      const feed = dataBlock(text, 'forum-initial-feed') as { items: { bodyText: string }[] };
      const api = (await forum.http.get('/api/feed/public').expect(200)).body as { items: { bodyText: string }[] };
      expect(feed.items).to.deep.equal(api.items);
      expect(feed.items.some((post) => post.bodyText.includes('</script><script>alert(3)</script>'))).to.equal(true);
      expect(dataBlock(text, 'forum-brand')).to.deep.include({ name: HOSTILE_NAME, tagline: HOSTILE_TAGLINE });
    });

    it('names the organisation in the title, the description and the Open Graph tags, with its logo and accent colour', async () => {
      const { text } = await get(`${url}/`);
      const name = 'Ops &lt;img src=x onerror=alert(1)&gt; &quot;&amp;&quot; Co';
      const tagline = '&lt;/title&gt;&lt;script&gt;alert(2)&lt;/script&gt;';
      expect(text).to.contain(`<meta name="description" content="${tagline}" />`);
      expect(text).to.contain(`<meta property="og:site_name" content="${name}" />`);
      expect(text).to.contain(`<meta property="og:title" content="${name}" />`);
      expect(text).to.contain(`<meta property="og:description" content="${tagline}" />`);
      expect(text).to.contain(`<meta property="og:url" content="http://127.0.0.1:3000/" />`);
      const logo = /<link rel="icon" href="(\/brand\/logo\.[0-9a-f]{12}\.svg)"/.exec(text)?.[1];
      expect(logo).to.be.a('string');
      expect(text).to.contain(`<meta property="og:image" content="http://127.0.0.1:3000${logo}" />`);
      const logoRes = await get(`${url}${logo}`);
      expect(logoRes.status).to.equal(200);
      expect(logoRes.headers['content-type']).to.equal('image/svg+xml');
      expect(logoRes.text).to.equal(readFileSync(logoFile, 'utf8'));
      const theme = /<link rel="stylesheet" href="(\/brand\/theme\.[0-9a-f]{12}\.css)"/.exec(text)?.[1];
      const themeRes = await get(`${url}${theme}`);
      expect(themeRes.headers['content-type']).to.match(/^text\/css/);
      expect(themeRes.text).to.contain('--accent: #7a1f5c;');
      // The header shows the name (escaped by the renderer) and the logo instead of the lettermark.
      expect(text).to.contain(`<img class="brand-logo" src="${logo}"`);
      expect(text).to.contain('<span class="brand-name" dir="auto">Ops &lt;img src=x onerror=alert(1)> &quot;&amp;&quot; Co</span>');
    });

    it('is sent as brotli, gzip or plain as the browser asks, always with Vary: Accept-Encoding, Accept-Language', async () => {
      const plain = await get(`${url}/`);
      expect(plain.headers['content-encoding']).to.equal(undefined);
      for (const [accept, coding] of [
        ['gzip, deflate, br', 'br'],
        ['gzip, deflate', 'gzip'],
        ['br;q=0.5, gzip', 'gzip'],
        ['identity', undefined],
      ] as const) {
        const res = await get(`${url}/`, { 'accept-encoding': accept });
        expect(res.headers['content-encoding'], accept).to.equal(coding);
        expect(res.headers.vary).to.equal('Accept-Encoding, Accept-Language');
        expect(Number(res.headers['content-length'])).to.equal(res.wire.length);
        expect(res.text).to.equal(plain.text);
      }
      expect((await get(`${url}/`, { 'accept-encoding': 'br' })).wire.length).to.be.below(plain.wire.length / 3);
    });

    it('answers HEAD with the headers only', async () => {
      const res = await get(`${url}/`, { 'accept-encoding': 'gzip' }, 'HEAD');
      expect(res.status).to.equal(200);
      expect(res.wire.length).to.equal(0);
      expect(Number(res.headers['content-length'])).to.be.above(1000);
    });

    it('shows a new public post at once, drops a hidden one, and never shows a closed group post', async () => {
      const fresh = `Fresh ${Date.now()}`;
      const post = await api.post(owner, publicGroupId, `<p>${fresh}</p>`);
      const secret = `Later secret ${Date.now()}`;
      await api.post(owner, closedGroupId, `<p>${secret}</p>`);
      const after = await get(`${url}/`, { 'accept-encoding': 'gzip' });
      expect(after.text).to.contain(fresh);
      expect(after.text).not.to.contain(secret);
      const moderator = await buildUser({ roles: ['moderator'] });
      await hideViaRoute(forum, moderator, post.id);
      const hidden = await get(`${url}/`, { 'accept-encoding': 'br' });
      expect(hidden.text).not.to.contain(fresh);
      expect(hidden.text).to.contain(publicText);
    });

    it('is the same page through the app (where `/` goes when the fast path has no page) and with a query string', async () => {
      const viaApp = await forum.http.get('/?deleted=1').expect(200);
      expect(viaApp.headers['content-type']).to.equal('text/html; charset=utf-8');
      expect(viaApp.text).to.contain(publicText);
      expect(viaApp.text).to.equal((await get(`${url}/`)).text);
    });
  });

  it('robots.txt allows the homepage and nothing else', async () => {
    const res = await get(`${url}/robots.txt`);
    expect(res.status).to.equal(200);
    expect(res.headers['content-type']).to.match(/^text\/plain/);
    expect(res.text).to.equal('User-agent: *\nAllow: /$\nDisallow: /\n');
  });

  it('answers unknown paths with a 404 HTML page that works without JavaScript', async () => {
    for (const path of ['/favicon.ico', '/index.html', '/nope', '/groups/1/2', '/assets/missing.js', '/signin/extra', '/ssr/render.js']) {
      const res = await get(`${url}${path}`, { 'accept-encoding': 'gzip' });
      expect(res.status, path).to.equal(404);
      expect(res.headers['content-type'], path).to.equal('text/html; charset=utf-8');
      expect(res.text, path).to.contain('<h1>Page not found</h1>');
      expect(res.text, path).to.contain('<title>Page not found · Ops &lt;img');
    }
    // The API keeps its JSON 404.
    const apiMiss = await get(`${url}/api/nope`);
    expect(apiMiss.status).to.equal(404);
    expect(apiMiss.headers['content-type']).to.match(/^application\/json/);
  });

  it('loads the app shell for every page the client has', async () => {
    const samples = CLIENT_ROUTES.filter((route) => route !== '/').map((route) => route.replace(/:\w+/g, '0123456789abcdef01234567'));
    for (const path of [...samples, '/signin/', '/search?q=x']) {
      const res = await get(`${url}${path}`);
      expect(res.status, path).to.equal(200);
      expect(res.text, path).to.match(/<script defer(="?defer"?)? src="?\/assets\/main\.[0-9a-f]+\.js/);
      expect(res.text, path).to.contain('<div id="app"><noscript>');
      expect(res.text, path).to.contain('<title>Ops &lt;img');
    }
  });

  it('sends the bundle pre-compressed in the best coding the browser takes, with Vary: Accept-Encoding', async () => {
    const assets = readdirSync(path.resolve('dist/client/assets')).filter((name) => /^(main|styles)\.[0-9a-f]+\.(js|css)$/.test(name));
    expect(assets).to.have.length(2);
    for (const name of assets) {
      const original = readFileSync(path.resolve('dist/client/assets', name), 'utf8');
      for (const [accept, coding] of [
        ['gzip, deflate, br', 'br'],
        ['gzip', 'gzip'],
        [undefined, undefined],
        ['br;q=0, gzip;q=0', undefined],
      ] as const) {
        const res = await get(`${url}/assets/${name}`, accept ? { 'accept-encoding': accept } : {});
        expect(res.status, `${name} ${accept}`).to.equal(200);
        expect(res.headers['content-encoding'], `${name} ${accept}`).to.equal(coding);
        expect(res.headers.vary, `${name} ${accept}`).to.match(/Accept-Encoding/);
        expect(res.headers['content-type'], name).to.match(name.endsWith('.js') ? /^(text|application)\/javascript/ : /^text\/css/);
        expect(res.headers['cache-control']).to.equal('public, max-age=31536000, immutable');
        expect(Number(res.headers['content-length'])).to.equal(res.wire.length);
        expect(res.text, `${name} ${accept}`).to.equal(original);
      }
    }
  });
});
