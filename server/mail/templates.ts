// Every message a person receives from the forum: one function per message, a pure function of the
// recipient's language and typed data returning both parts, its words from the `mail` catalogue. No
// tracking: no images, no rewritten links, nothing that reports an opening.
import { MINOR_AGE } from '../../shared/accounts';
import { type Language } from '../../shared/i18n/languages';
import { translatorFor } from '../../shared/i18n/server-catalogues';
import type { Translator } from '../../shared/i18n/translator';

/** What the queue stores and the transport sends. */
export interface RenderedMessage {
  /** The message's name, kept in the outbox for the operator's view (never its body or links). */
  type: MessageType;
  subject: string;
  text: string;
  html: string;
}

export type MessageType =
  | 'verify_email'
  | 'registration_attempt'
  | 'password_reset'
  | 'choose_password'
  | 'parental_consent'
  | 'email_change_confirm'
  | 'email_changed'
  | 'moderation_notice'
  | 'disclosure_notice'
  | 'registration_approved'
  | 'registration_declined'
  | 'account_suspended'
  | 'account_reinstated'
  | 'marketing'
  | 'notification'
  | 'notification_digest';

/** A paragraph of text, or a link shown on a line of its own (the whole URL, as the reader will follow it). */
type Block = string | { link: string };

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

function render(t: Translator, type: MessageType, subject: string, blocks: Block[]): RenderedMessage {
  const text = blocks.map((block) => (typeof block === 'string' ? block : block.link)).join('\n\n');
  // A link stays left-to-right inside a right-to-left paragraph, or its slashes and query reorder.
  const body = blocks
    .map((block) =>
      typeof block === 'string'
        ? `<p>${escapeHtml(block).replace(/\n/g, '<br>')}</p>`
        : `<p><a href="${escapeHtml(block.link)}" dir="ltr">${escapeHtml(block.link)}</a></p>`,
    )
    .join('\n');
  const html =
    `<!doctype html>\n<html lang="${t.language}" dir="${t.dir}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>\n` +
    `<body>\n${body}\n</body></html>\n`;
  return { type, subject, text: `${text}\n`, html };
}

export function verifyEmail(language: Language, data: { displayName: string; link: string }): RenderedMessage {
  const t = translatorFor(language);
  return render(t, 'verify_email', t.t('mail.verifyEmail.subject'), [
    t.t('mail.verifyEmail.intro', { displayName: data.displayName }),
    { link: data.link },
    t.t('mail.verifyEmail.password'),
    t.t('mail.verifyEmail.ignore'),
  ]);
}

export function registrationAttempt(language: Language, data: { signInLink: string; resetLink: string }): RenderedMessage {
  const t = translatorFor(language);
  return render(t, 'registration_attempt', t.t('mail.registrationAttempt.subject'), [
    t.t('mail.registrationAttempt.body'),
    t.t('mail.registrationAttempt.signIn'),
    { link: data.signInLink },
    t.t('mail.registrationAttempt.reset'),
    { link: data.resetLink },
    t.t('mail.registrationAttempt.notYou'),
  ]);
}

export function passwordReset(language: Language, data: { link: string }): RenderedMessage {
  const t = translatorFor(language);
  return render(t, 'password_reset', t.t('mail.passwordReset.subject'), [t.t('mail.passwordReset.body'), { link: data.link }, t.t('mail.passwordReset.after')]);
}

export function choosePassword(language: Language, data: { link: string }): RenderedMessage {
  const t = translatorFor(language);
  return render(t, 'choose_password', t.t('mail.choosePassword.subject'), [t.t('mail.choosePassword.body'), t.t('mail.choosePassword.link'), { link: data.link }]);
}

export function parentalConsent(language: Language, data: { displayName: string; organisation: string; link: string }): RenderedMessage {
  // The parent learns the display name their child chose and the organisation, so they know which
  // account they decide on; nothing else about the account goes into the message.
  const t = translatorFor(language);
  return render(t, 'parental_consent', t.t('mail.parentalConsent.subject'), [
    t.t('mail.parentalConsent.body', { minorAge: t.number(MINOR_AGE), displayName: data.displayName, organisation: data.organisation }),
    t.t('mail.parentalConsent.confirm'),
    { link: data.link },
    t.t('mail.parentalConsent.ignore'),
  ]);
}

export function emailChangeConfirm(language: Language, data: { displayName: string; link: string }): RenderedMessage {
  const t = translatorFor(language);
  return render(t, 'email_change_confirm', t.t('mail.emailChangeConfirm.subject'), [
    t.t('mail.emailChangeConfirm.body', { displayName: data.displayName }),
    { link: data.link },
    t.t('mail.emailChangeConfirm.ignore'),
  ]);
}

export function emailChanged(language: Language, data: { displayName: string }): RenderedMessage {
  const t = translatorFor(language);
  return render(t, 'email_changed', t.t('mail.emailChanged.subject'), [t.t('mail.emailChanged.body', { displayName: data.displayName }), t.t('mail.emailChanged.contact')]);
}

/** What a moderator did that the person concerned is told of. */
export type ModerationNoticeKind = 'postHidden' | 'postRestored' | 'postDeleted' | 'suspended';

export function moderationNotice(language: Language, data: { kind: ModerationNoticeKind; group: string; reason: string | null }): RenderedMessage {
  const t = translatorFor(language);
  const reason = data.reason ?? t.t('mail.notification.noReason');
  return render(t, 'moderation_notice', t.t(`mail.moderation.${data.kind}.subject`), [t.t(`mail.moderation.${data.kind}.body`, { group: data.group, reason })]);
}

export function disclosureNotice(language: Language, data: { itemCount: number; recipient: string; legalBasis: string; reference: string }): RenderedMessage {
  const t = translatorFor(language);
  return render(t, 'disclosure_notice', t.t('mail.disclosureNotice.subject'), [t.t('mail.disclosureNotice.body', data)]);
}

export function registrationApproved(language: Language, data: { displayName: string; signInLink: string }): RenderedMessage {
  const t = translatorFor(language);
  return render(t, 'registration_approved', t.t('mail.registrationApproved.subject'), [
    t.t('mail.registrationApproved.body', { displayName: data.displayName }),
    { link: data.signInLink },
  ]);
}

export function registrationDeclined(language: Language, data: { displayName: string }): RenderedMessage {
  const t = translatorFor(language);
  return render(t, 'registration_declined', t.t('mail.registrationDeclined.subject'), [
    t.t('mail.registrationDeclined.body', { displayName: data.displayName }),
    t.t('mail.registrationDeclined.contact'),
  ]);
}

/** A service message: the account's owner must know why they cannot sign in, and that their data stays theirs. */
export function accountSuspended(language: Language, data: { displayName: string; reason: string; dataLink: string }): RenderedMessage {
  const t = translatorFor(language);
  return render(t, 'account_suspended', t.t('mail.accountSuspended.subject'), [
    t.t('mail.accountSuspended.body', { displayName: data.displayName }),
    t.t('mail.accountSuspended.reason', { reason: data.reason }),
    t.t('mail.accountSuspended.data'),
    { link: data.dataLink },
    t.t('mail.accountSuspended.contact'),
  ]);
}

export function accountReinstated(language: Language, data: { displayName: string; signInLink: string }): RenderedMessage {
  const t = translatorFor(language);
  return render(t, 'account_reinstated', t.t('mail.accountReinstated.subject'), [
    t.t('mail.accountReinstated.body', { displayName: data.displayName }),
    { link: data.signInLink },
  ]);
}

/** The administrators' own words go out as written; only the opt-out around them is in the recipient's language. */
export function marketing(language: Language, data: { subject: string; text: string; unsubscribeLink: string }): RenderedMessage {
  const t = translatorFor(language);
  return render(t, 'marketing', data.subject, [data.text, t.t('mail.marketing.unsubscribe'), { link: data.unsubscribeLink }]);
}

/**
 * Notifications by e-mail, one (`instant`) or the day's (`daily`); each ends with its one-click opt-outs.
 * `lines` are already in the recipient's language (server/notifications/email.ts, describeNotification).
 */
export function notificationMail(
  language: Language,
  data: {
    digest: boolean;
    lines: string[];
    openLink: string;
    unsubscribe: { label: string; link: string }[];
  },
): RenderedMessage {
  const t = translatorFor(language);
  const subject = data.digest ? t.t('mail.notification.digestSubject', { count: data.lines.length }) : data.lines[0]!.split('\n')[0]!.slice(0, 120);
  return render(t, data.digest ? 'notification_digest' : 'notification', subject, [
    data.lines.join('\n\n'),
    t.t('mail.notification.open'),
    { link: data.openLink },
    ...data.unsubscribe.flatMap(({ label, link }) => [t.t('mail.notification.unsubscribe', { label }), { link }]),
  ]);
}
