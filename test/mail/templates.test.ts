// Templates are pure functions of the recipient's language and typed data: both parts carry the same
// links, data is escaped in HTML, nothing in a message can report that it was opened, and every message
// reads in each language, right-to-left ones marked as such.
import { expect } from 'chai';
import { SUPPORTED_LANGUAGES, type Language } from '../../shared/i18n/languages';
import * as templates from '../../server/mail/templates';

const HOSTILE = 'Eve <img src=x onerror=alert(1)> & "friends"';

/** One example of every message type; the first test fails when a type has none. */
function allTemplates(language: Language): templates.RenderedMessage[] {
  return [
    templates.verifyEmail(language, { displayName: HOSTILE, link: 'https://forum.example/verify-email?token=a&b=1' }),
    templates.registrationAttempt(language, { signInLink: 'https://forum.example/signin', resetLink: 'https://forum.example/reset-password?token=r' }),
    templates.passwordReset(language, { link: 'https://forum.example/reset-password?token=r' }),
    templates.choosePassword(language, { link: 'https://forum.example/reset-password?token=c' }),
    templates.parentalConsent(language, { displayName: HOSTILE, organisation: HOSTILE, link: 'https://forum.example/parental-consent?token=p' }),
    templates.emailChangeConfirm(language, { displayName: HOSTILE, link: 'https://forum.example/confirm-email?token=c' }),
    templates.emailChanged(language, { displayName: HOSTILE }),
    templates.moderationNotice(language, { kind: 'postHidden', group: HOSTILE, reason: HOSTILE }),
    templates.disclosureNotice(language, { itemCount: 3, recipient: HOSTILE, legalBasis: 'Court order', reference: 'R-1' }),
    templates.registrationApproved(language, { displayName: HOSTILE, signInLink: 'https://forum.example/signin' }),
    templates.registrationDeclined(language, { displayName: HOSTILE }),
    templates.accountSuspended(language, { displayName: HOSTILE, reason: HOSTILE, dataLink: 'https://forum.example/account-data' }),
    templates.accountReinstated(language, { displayName: HOSTILE, signInLink: 'https://forum.example/signin' }),
    templates.marketing(language, { subject: 'News', text: HOSTILE, unsubscribeLink: 'https://forum.example/unsubscribe?token=u' }),
    templates.notificationMail(language, {
      digest: false,
      lines: [`${HOSTILE} replied to your post.`],
      openLink: 'https://forum.example/notifications',
      unsubscribe: [{ label: 'replies', link: 'https://forum.example/unsubscribe?token=n' }],
    }),
    templates.notificationMail(language, {
      digest: true,
      lines: ['one', 'two'],
      openLink: 'https://forum.example/notifications',
      unsubscribe: [{ label: 'daily', link: 'https://forum.example/unsubscribe?token=d' }],
    }),
  ];
}

const TYPES: templates.MessageType[] = [
  'verify_email',
  'registration_attempt',
  'password_reset',
  'choose_password',
  'parental_consent',
  'email_change_confirm',
  'email_changed',
  'moderation_notice',
  'disclosure_notice',
  'registration_approved',
  'registration_declined',
  'account_suspended',
  'account_reinstated',
  'marketing',
  'notification',
  'notification_digest',
];

const ARABIC_LETTERS = /[\u0600-\u06FF]/;
/** The catalogue's own words, with the data, links and the quoted example lines taken out. */
function ownWords(message: templates.RenderedMessage): string {
  return message.text.replace(/https?:\/\/\S+/g, '').split(HOSTILE).join('').replace(/\b(one|two|News|Court order|replies|daily)\b|replied to your post\./g, '');
}

describe('mail templates', () => {
  it('has one template per message type, and every type has one', () => {
    expect(allTemplates('en').map((message) => message.type)).to.deep.equal(TYPES);
  });

  for (const language of SUPPORTED_LANGUAGES) {
    for (const message of allTemplates(language)) {
      it(`${language} ${message.type}: a text and an HTML part with the same links, escaped data, nothing that loads`, () => {
        expect(message.subject).to.be.a('string').and.not.equal('');
        expect(message.text.trim()).to.not.equal('');
        const textLinks = message.text.match(/https?:\/\/\S+/g) ?? [];
        const htmlLinks = [...message.html.matchAll(/href="([^"]+)"/g)].map((match) => match[1]!.replace(/&#38;/g, '&'));
        expect(htmlLinks).to.deep.equal(textLinks);
        expect(message.html).not.to.match(/<(img|script|iframe|object|link)\b|<[^>]*\s(src|on\w+)=/i);
        if (message.text.includes('Eve <img')) expect(message.html).to.include('Eve &#60;img src=x');
      });
    }
  }

  it('marks each part with its language and direction: Arabic right-to-left, links left-to-right inside', () => {
    for (const message of allTemplates('en')) expect(message.html).to.include('<html lang="en" dir="ltr">');
    for (const message of allTemplates('ar')) {
      expect(message.html, message.type).to.include('<html lang="ar" dir="rtl">');
      for (const anchor of message.html.match(/<a [^>]*>/g) ?? []) expect(anchor).to.include('dir="ltr"');
    }
  });

  it('writes every Arabic message in Arabic: no English sentence of the catalogue is left', () => {
    const english = allTemplates('en');
    for (const [i, message] of allTemplates('ar').entries()) {
      expect(ownWords(message), message.type).to.match(ARABIC_LETTERS);
      expect(ownWords(message), message.type).not.to.match(/[A-Za-z]{3,}/);
      if (message.type !== 'marketing' && message.type !== 'notification') {
        expect(message.subject, message.type).to.match(ARABIC_LETTERS);
        expect(message.subject).not.to.equal(english[i]!.subject);
      }
    }
  });

  it('counts with the language’s plurals and numbers', () => {
    const count = (language: Language, itemCount: number) =>
      templates.disclosureNotice(language, { itemCount, recipient: 'R', legalBasis: 'B', reference: 'X' }).text;
    expect(count('en', 1)).to.include('1 preserved version of your posts was disclosed');
    expect(count('en', 3)).to.include('3 preserved versions of your posts were disclosed');
    expect(count('ar', 2)).to.include('نسختين');
    expect(count('ar', 5)).to.include('نسخ محفوظة');
    expect(count('ar', 11)).to.include('نسخة محفوظة');
  });

  it('names the minor’s two steps in the parent’s message, and nothing private about the child', () => {
    const message = templates.parentalConsent('en', { displayName: 'Tom', organisation: 'Doctors Abroad', link: 'https://forum.example/parental-consent?token=p' });
    expect(message.text).to.include('Doctors Abroad');
    expect(message.text).to.include('"Tom"');
    expect(message.text).to.match(/confirms their own address/);
    expect(message.text).to.include('under 18');
  });
});
