// Every message a person receives from the forum: one function per message, a pure function of typed
// data returning both parts. No tracking: no images, no rewritten links, nothing that reports an opening.
import { MINOR_AGE } from '../../shared/accounts';

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

function render(type: MessageType, subject: string, blocks: Block[]): RenderedMessage {
  const text = blocks.map((block) => (typeof block === 'string' ? block : block.link)).join('\n\n');
  const body = blocks
    .map((block) =>
      typeof block === 'string'
        ? `<p>${escapeHtml(block).replace(/\n/g, '<br>')}</p>`
        : `<p><a href="${escapeHtml(block.link)}">${escapeHtml(block.link)}</a></p>`,
    )
    .join('\n');
  const html = `<!doctype html>\n<html><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>\n<body>\n${body}\n</body></html>\n`;
  return { type, subject, text: `${text}\n`, html };
}

export function verifyEmail(data: { displayName: string; link: string }): RenderedMessage {
  return render('verify_email', 'Confirm your e-mail address for the forum', [
    `Welcome, ${data.displayName}. To activate your forum account, open this link within 24 hours:`,
    { link: data.link },
    'The page asks for the password you chose when you registered, so that only you can use the account.',
    'If you did not create an account, ignore this message: without the link the account stays inactive.',
  ]);
}

export function registrationAttempt(data: { signInLink: string; resetLink: string }): RenderedMessage {
  return render('registration_attempt', 'Someone tried to register with your address', [
    'Someone tried to create a forum account with this e-mail address, which already has one. No new account was made.',
    'If it was you, sign in here:',
    { link: data.signInLink },
    'If you forgot your password, set a new one here:',
    { link: data.resetLink },
    'If it was not you, there is nothing to do.',
  ]);
}

export function passwordReset(data: { link: string }): RenderedMessage {
  return render('password_reset', 'Set a new password for the forum', [
    'Someone asked to set a new password for the forum account with this address. To set one, open this link within 1 hour:',
    { link: data.link },
    'It signs you out everywhere else and lifts any sign-in block on the account. If you did not ask, ignore this message: your password stays as it is.',
  ]);
}

export function choosePassword(data: { link: string }): RenderedMessage {
  return render('choose_password', 'Choose a password for the forum', [
    'Your address is confirmed and your forum account is open. The confirmation did not include the password chosen at registration, so that password no longer works: whoever registered the address cannot sign in with it.',
    'To sign in again later, choose your own password with this link within 1 hour (or ask for a new link on the sign-in page at any time):',
    { link: data.link },
  ]);
}

export function parentalConsent(data: { displayName: string; organisation: string; link: string }): RenderedMessage {
  // The parent learns the display name their child chose and the organisation, so they know which
  // account they decide on; nothing else about the account goes into the message.
  return render('parental_consent', 'Please confirm your child’s forum account', [
    `Someone under ${MINOR_AGE} registered an account on the forum of ${data.organisation} as "${data.displayName}" and gave this address as a parent's or guardian's.`,
    'The account stays inactive until you confirm it (and your child confirms their own address). To confirm or decline, open this link within 7 days:',
    { link: data.link },
    'If you decline, the account is erased at once. If you do not recognise this, ignore the message: the account will not be activated.',
  ]);
}

export function emailChangeConfirm(data: { displayName: string; link: string }): RenderedMessage {
  return render('email_change_confirm', 'Confirm your new e-mail address', [
    `The forum account "${data.displayName}" asked to use this address from now on. To confirm, open this link within 24 hours while signed in:`,
    { link: data.link },
    'If you did not ask for this, ignore the message: nothing changes.',
  ]);
}

export function emailChanged(data: { displayName: string }): RenderedMessage {
  return render('email_changed', 'Your forum e-mail address was changed', [
    `The forum account "${data.displayName}" now uses a different e-mail address; this one will no longer receive messages from us.`,
    'If you did not make this change, contact the forum administrators.',
  ]);
}

export function moderationNotice(data: { subject: string; text: string }): RenderedMessage {
  return render('moderation_notice', data.subject, [data.text]);
}

export function disclosureNotice(data: { itemCount: number; recipient: string; legalBasis: string; reference: string }): RenderedMessage {
  return render('disclosure_notice', 'Some of your posts were disclosed', [
    `${data.itemCount} preserved version(s) of your posts were disclosed to ${data.recipient} ` +
      `(legal basis: ${data.legalBasis}; reference: ${data.reference}). Your data export lists this disclosure.`,
  ]);
}

export function registrationApproved(data: { displayName: string; signInLink: string }): RenderedMessage {
  return render('registration_approved', 'Your forum registration was approved', [
    `Welcome, ${data.displayName}. An administrator approved your registration; you can sign in now:`,
    { link: data.signInLink },
  ]);
}

export function registrationDeclined(data: { displayName: string }): RenderedMessage {
  return render('registration_declined', 'Your forum registration was declined', [
    `The forum's administrators declined the registration of "${data.displayName}" with this address. The account and what it held have been deleted.`,
    'If you think this is a mistake, contact the organisation that runs the forum.',
  ]);
}

/** A service message: the account's owner must know why they cannot sign in, and that their data stays theirs. */
export function accountSuspended(data: { displayName: string; reason: string; dataLink: string }): RenderedMessage {
  return render('account_suspended', 'Your forum account was suspended', [
    `The forum's administrators suspended the account "${data.displayName}". While it is suspended you cannot sign in, read or post.`,
    `Reason given: ${data.reason}`,
    'You can still download everything the forum holds about you, or erase your account, with your e-mail address and password here:',
    { link: data.dataLink },
    'If you think this is a mistake, contact the organisation that runs the forum.',
  ]);
}

export function accountReinstated(data: { displayName: string; signInLink: string }): RenderedMessage {
  return render('account_reinstated', 'Your forum account was reinstated', [
    `The forum's administrators lifted the suspension of the account "${data.displayName}". You can sign in again:`,
    { link: data.signInLink },
  ]);
}

export function marketing(data: { subject: string; text: string; unsubscribeLink: string }): RenderedMessage {
  return render('marketing', data.subject, [
    data.text,
    '--\nTo stop receiving these messages, open this link (no sign-in needed):',
    { link: data.unsubscribeLink },
  ]);
}

/** Notifications by e-mail, one (`instant`) or the day's (`daily`); each ends with its one-click opt-outs. */
export function notificationMail(data: {
  digest: boolean;
  lines: string[];
  openLink: string;
  unsubscribe: { label: string; link: string }[];
}): RenderedMessage {
  const subject = data.digest ? `Your notifications (${data.lines.length})` : data.lines[0]!.split('\n')[0]!.slice(0, 120);
  return render(data.digest ? 'notification_digest' : 'notification', subject, [
    data.lines.join('\n\n'),
    'Open your notifications:',
    { link: data.openLink },
    ...data.unsubscribe.flatMap(({ label, link }) => [`--\nTo stop e-mails about ${label}, open this link (no sign-in needed):`, { link }]),
  ]);
}
