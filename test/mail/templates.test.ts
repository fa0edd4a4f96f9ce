// Templates are pure functions of typed data: both parts carry the same links, data is escaped in HTML,
// and nothing in a message can report that it was opened.
import { expect } from 'chai';
import * as templates from '../../server/mail/templates';

const HOSTILE = 'Eve <img src=x onerror=alert(1)> & "friends"';

const ALL: templates.RenderedMessage[] = [
  templates.verifyEmail({ displayName: HOSTILE, link: 'https://forum.example/verify-email?token=a&b=1' }),
  templates.registrationAttempt({ signInLink: 'https://forum.example/signin', resetLink: 'https://forum.example/reset-password?token=r' }),
  templates.passwordReset({ link: 'https://forum.example/reset-password?token=r' }),
  templates.choosePassword({ link: 'https://forum.example/reset-password?token=c' }),
  templates.parentalConsent({ displayName: HOSTILE, organisation: HOSTILE, link: 'https://forum.example/parental-consent?token=p' }),
  templates.emailChangeConfirm({ displayName: HOSTILE, link: 'https://forum.example/confirm-email?token=c' }),
  templates.emailChanged({ displayName: HOSTILE }),
  templates.moderationNotice({ subject: 'A moderator hid your post', text: `Reason: ${HOSTILE}` }),
  templates.disclosureNotice({ itemCount: 3, recipient: HOSTILE, legalBasis: 'Court order', reference: 'R-1' }),
  templates.registrationApproved({ displayName: HOSTILE, signInLink: 'https://forum.example/signin' }),
  templates.registrationDeclined({ displayName: HOSTILE }),
  templates.accountSuspended({ displayName: HOSTILE, reason: HOSTILE, dataLink: 'https://forum.example/account-data' }),
  templates.accountReinstated({ displayName: HOSTILE, signInLink: 'https://forum.example/signin' }),
  templates.marketing({ subject: 'News', text: HOSTILE, unsubscribeLink: 'https://forum.example/unsubscribe?token=u' }),
  templates.notificationMail({
    digest: false,
    lines: [`${HOSTILE} replied to your post`],
    openLink: 'https://forum.example/notifications',
    unsubscribe: [{ label: 'replies', link: 'https://forum.example/unsubscribe?token=n' }],
  }),
  templates.notificationMail({
    digest: true,
    lines: [`${HOSTILE} replied to your post`, 'Someone liked your post'],
    openLink: 'https://forum.example/notifications',
    unsubscribe: [
      { label: 'replies', link: 'https://forum.example/unsubscribe?token=d1' },
      { label: 'likes', link: 'https://forum.example/unsubscribe?token=d2' },
    ],
  }),
  ...[false, true].map((digest) => templates.notificationMail({ digest, lines: [`${HOSTILE} replied to your post\n"${HOSTILE}"`], openLink: 'https://forum.example/notifications', unsubscribe: [{ label: 'replies', link: 'https://forum.example/unsubscribe?token=n' }] })),
];

describe('mail templates', () => {
  it('has one template per message type', () => {
    expect(new Set(ALL.map((message) => message.type)).size).to.equal(ALL.length);
  });

  for (const message of ALL) {
    it(`${message.type}: a text and an HTML part with the same links, escaped data, nothing that loads`, () => {
      expect(message.subject).to.be.a('string').and.not.equal('');
      expect(message.text.trim()).to.not.equal('');
      const textLinks = message.text.match(/https?:\/\/\S+/g) ?? [];
      const htmlLinks = [...message.html.matchAll(/href="([^"]+)"/g)].map((match) => match[1]!.replace(/&#38;/g, '&'));
      expect(htmlLinks).to.deep.equal(textLinks);
      expect(message.html).not.to.match(/<(img|script|iframe|object|link)\b|<[^>]*\s(src|on\w+)=/i);
      if (message.text.includes('Eve <img')) expect(message.html).to.include('Eve &#60;img src=x');
    });
  }

  it('names the minor’s two steps in the parent’s message, and nothing private about the child', () => {
    const message = templates.parentalConsent({ displayName: 'Tom', organisation: 'Doctors Abroad', link: 'https://forum.example/parental-consent?token=p' });
    expect(message.text).to.include('"Tom"');
    expect(message.text).to.match(/confirms their own address/);
  });
});
