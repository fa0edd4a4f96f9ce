// The homepage and the 404 page are rendered on the server in the language the browser asks for
// (Accept-Language), one held variant per supported language, each in every coding, and marked with its
// language and direction so the client hydrates in the same language.
import { expect } from 'chai';
import { chooseLanguage, SUPPORTED_LANGUAGES } from '../../shared/i18n/languages';
import { translatorFor } from '../../shared/i18n/server-catalogues';
import { languageNegotiator } from '../../server/http/accept-language';
import { ensureClientBuilt } from '../browser/support';
import { buildUser } from '../support/factories';
import { startTestForum, type TestForum } from '../support/forum';
import { ForumApi } from '../support/forum-api';
import { get } from '../support/raw-http';

const ARABIC = 'ar-EG,ar;q=0.9,en;q=0.5';

function htmlElement(html: string): string {
  return /<html[^>]*>/.exec(html)?.[0] ?? '';
}

describe('the server-rendered pages speak the visitor’s language', function () {
  this.timeout(120_000);
  let forum: TestForum;
  let url: string;
  const stamp = Date.now();
  const englishPost = `English words ${stamp}`;
  const arabicPost = `كلمات عربية ${stamp}`;

  before(async () => {
    ensureClientBuilt();
    forum = await startTestForum();
    url = await forum.startListening();
    const api = new ForumApi(forum.http);
    const owner = await buildUser();
    const group = await api.createGroup(owner, 'public');
    await api.post(owner, group.id, `<p>${englishPost}</p>`);
    await api.post(owner, group.id, `<p>${arabicPost}</p>`);
  });

  after(async () => {
    await forum?.close();
  });

  it('is English, left to right, for a browser that asks for no language we have (or for none)', async () => {
    for (const headers of [{} as Record<string, string>, { 'accept-language': 'fr-FR,fr;q=0.9' }, { 'accept-language': 'ar;q=0, en' }, { 'accept-language': ';;;garbage' }]) {
      const res = await get(`${url}/`, { 'accept-encoding': 'gzip', ...headers });
      expect(htmlElement(res.text), JSON.stringify(headers)).to.equal('<html lang="en" dir="ltr" data-rendered-language="en">');
      expect(res.text).to.contain('Recent public posts');
    }
  });

  it('is Arabic, right to left, for a browser that asks for Arabic first, in every coding, on the fast path and through the app', async () => {
    const ar = translatorFor('ar');
    const bodies: string[] = [];
    for (const coding of ['br', 'gzip', 'identity']) {
      const res = await get(`${url}/`, { 'accept-encoding': coding, 'accept-language': ARABIC });
      expect(res.status).to.equal(200);
      expect(res.headers.vary).to.equal('Accept-Encoding, Accept-Language');
      bodies.push(res.text);
    }
    const viaApp = await forum.http.get('/?from=test').set('Accept-Language', ARABIC).expect(200);
    bodies.push(viaApp.text);
    for (const text of bodies) expect(text).to.equal(bodies[0]);
    const page = bodies[0]!;
    expect(htmlElement(page)).to.equal('<html lang="ar" dir="rtl" data-rendered-language="ar">');
    expect(page).to.contain(ar.t('visitor.home.recent'));
    expect(page).to.contain(ar.t('common.footer.promise'));
    expect(page).not.to.contain('Recent public posts');
    // The posts are the members' words, untranslated, each setting its own direction.
    expect(page).to.contain(englishPost);
    expect(page).to.contain(arabicPost);
    expect(page.match(/<div class="post-body" dir="auto">/g)?.length).to.be.at.least(2);
  });

  it('takes the first language it has from a list in order of preference', async () => {
    const res = await get(`${url}/`, { 'accept-language': 'fr;q=0.9, ar;q=0.8, en;q=0.1' });
    expect(htmlElement(res.text)).to.contain('lang="ar"');
    const english = await get(`${url}/`, { 'accept-language': 'en-GB, ar;q=0.8' });
    expect(htmlElement(english.text)).to.contain('lang="en"');
  });

  it('shows the 404 page and the app shell in the visitor’s language too', async () => {
    const ar = translatorFor('ar');
    const missing = await get(`${url}/no-such-page`, { 'accept-language': ARABIC });
    expect(missing.status).to.equal(404);
    expect(htmlElement(missing.text)).to.equal('<html lang="ar" dir="rtl" data-rendered-language="ar">');
    expect(missing.text).to.contain(`<h1>${ar.t('common.notFound.title')}</h1>`);
    expect(missing.text).to.contain(`<title>${ar.t('common.notFound.title')} · `);
    const english = await get(`${url}/no-such-page`);
    expect(english.text).to.contain('<h1>Page not found</h1>');
    const shell = await get(`${url}/signin`, { 'accept-language': ARABIC });
    expect(htmlElement(shell.text)).to.contain('dir="rtl"');
    expect(shell.text).to.contain(ar.rich<string>('common.noscript', { link: (chunks) => `<a href="/">${chunks.join('')}</a>` }).join(''));
  });
});

describe('languageNegotiator', () => {
  it('answers as chooseLanguage does, remembering answers per header without growing without bound', () => {
    const negotiate = languageNegotiator();
    const headers = [undefined, '', 'ar', 'AR-eg', 'en-US,ar;q=0.9', 'fr, ar;q=0.5', 'ar;q=0', '*', 'x'.repeat(5000)];
    for (let round = 0; round < 2; round++) {
      for (const header of headers) expect(negotiate(header), String(header).slice(0, 20)).to.equal(chooseLanguage(null, header));
    }
    // Many distinct headers (a hostile client) still get right answers after the memory starts afresh.
    for (let index = 0; index < 1000; index++) {
      const language = SUPPORTED_LANGUAGES[index % SUPPORTED_LANGUAGES.length]!;
      expect(negotiate(`${language};q=0.${(index % 9) + 1}, zz-${index}`)).to.equal(language);
    }
  });
});
