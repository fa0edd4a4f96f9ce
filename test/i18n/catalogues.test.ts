import { strict as assert } from 'node:assert';
import { catalogueProblems } from '../../shared/i18n/check';
import { NAMESPACES, type NamespaceFiles } from '../../shared/i18n/catalogues';
import { chooseLanguage, parseAcceptLanguage, SUPPORTED_LANGUAGES } from '../../shared/i18n/languages';
import { CATALOGUE_FILES, translatorFor } from '../../shared/i18n/server-catalogues';
import type { Language } from '../../shared/i18n/languages';

function withChange(language: Language, namespace: (typeof NAMESPACES)[number], change: (messages: Record<string, string>) => void): Record<Language, NamespaceFiles> {
  const copy = JSON.parse(JSON.stringify(CATALOGUE_FILES)) as Record<Language, Record<string, Record<string, string>>>;
  change(copy[language]![namespace]!);
  return copy as unknown as Record<Language, NamespaceFiles>;
}

describe('message catalogues', () => {
  it('every language has every key of English, every message parses, with the same arguments and complete plurals', () => {
    assert.deepEqual(Object.keys(CATALOGUE_FILES).sort(), [...SUPPORTED_LANGUAGES].sort());
    assert.deepEqual(catalogueProblems(CATALOGUE_FILES), []);
  });

  it('names a missing key, a stale key, a broken message, a renamed argument and a plural lacking a category', () => {
    const missing = withChange('ar', 'common', (messages) => delete messages['common.language']);
    assert.deepEqual(catalogueProblems(missing), ['messages/ar/common.json: missing "common.language"']);

    const stale = withChange('ar', 'common', (messages) => (messages['common.gone'] = 'قديم'));
    assert.deepEqual(catalogueProblems(stale), ['messages/ar/common.json: "common.gone" is not in English (a stale key?)']);

    const broken = withChange('ar', 'common', (messages) => (messages['common.language'] = '{oops'));
    assert.match(catalogueProblems(broken).join('\n'), /"common\.language" does not parse as ICU MessageFormat/);

    const renamed = withChange('ar', 'common', (messages) => (messages['common.count.members'] = '{n, plural, zero {لا} one {واحد} two {اثنان} few {#} many {#} other {#}}'));
    assert.match(catalogueProblems(renamed).join('\n'), /uses \{n\} but English uses \{count\}/);

    const thin = withChange('ar', 'common', (messages) => (messages['common.count.members'] = '{count, plural, one {عضو واحد} other {# عضو}}'));
    assert.match(catalogueProblems(thin).join('\n'), /plural on "count" lacks few, many, two, zero|plural on "count" lacks .*zero/);

    const unprefixed = withChange('en', 'common', (messages) => (messages['language'] = 'Language'));
    assert.match(catalogueProblems(unprefixed).join('\n'), /key "language" must start with "common\."/);
  });
});

describe('choosing a language', () => {
  it('takes the account preference first, then Accept-Language by q-value, then English', () => {
    assert.equal(chooseLanguage('ar', 'en-GB,en;q=0.9'), 'ar');
    assert.equal(chooseLanguage(null, 'fr-CH, fr;q=0.9, ar-EG;q=0.8, en;q=0.7'), 'ar');
    assert.equal(chooseLanguage('fr', 'en;q=0.1, ar;q=0.5'), 'ar');
    assert.equal(chooseLanguage(undefined, 'de, fr'), 'en');
    assert.equal(chooseLanguage(undefined, 'ar;q=0, en'), 'en');
    assert.equal(chooseLanguage('EN-us', undefined), 'en');
  });

  it('reads hostile or malformed headers without failing', () => {
    assert.deepEqual(parseAcceptLanguage('*;q=0.5, <script>, ar;q=abc, en;q=2, ;;;, de'), ['de']);
    assert.equal(parseAcceptLanguage('ar,'.repeat(10_000)).length, 20);
  });
});

describe('translating', () => {
  it('formats plurals by each language\'s rules and dates in its own script', () => {
    const en = translatorFor('en');
    const ar = translatorFor('ar');
    assert.equal(en.t('common.count.members', { count: 1 }), '1 member');
    assert.equal(en.t('common.count.members', { count: 3 }), '3 members');
    assert.equal(ar.t('common.count.members', { count: 2 }), 'عضوان');
    assert.equal(ar.t('common.count.members', { count: 0 }), 'لا أعضاء');
    assert.equal(ar.dir, 'rtl');
    assert.equal(en.dir, 'ltr');
    const when = '2026-12-02T14:05:00Z';
    assert.match(translatorFor('en', { timeZone: 'UTC' }).dateOf(when), /December 2, 2026/);
    assert.doesNotMatch(translatorFor('ar', { timeZone: 'UTC' }).dateOf(when), /December/);
    assert.equal(en.relativeTime(Date.now() - 10_000, Date.now()), 'just now');
    assert.equal(ar.relativeTime(Date.now() - 10_000, Date.now()), 'الآن');
  });
});
