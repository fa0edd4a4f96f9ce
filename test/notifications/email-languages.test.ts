// Notification e-mails tell of each notification in the recipient's language: every type, in English as
// before and in Arabic with nothing of the English sentences left.
import { expect } from 'chai';
import { NOTIFICATION_TYPES, type Notification, type NotificationType } from '../../shared/notifications';
import { describeNotification } from '../../server/notifications/email';

const REASONS: Partial<Record<NotificationType, string>> = { post_hidden: 'Spam', report_resolved: 'acted_on', role_changed: 'moderator' };

function example(type: NotificationType, withGroup = true): Notification {
  return {
    id: '0'.repeat(24),
    type,
    createdAt: '2026-12-03T00:00:00.000Z',
    readAt: null,
    actor: { id: '1'.repeat(24), displayName: 'Zed', bio: '', avatarUrl: null, joinedAt: '2026-01-01T00:00:00.000Z' } as Notification['actor'],
    actorCount: type === 'like' ? 3 : 1,
    post: type === 'reply' || type === 'mention' || type === 'like' ? ({ id: '2'.repeat(24), excerpt: 'Quoted' } as Notification['post']) : null,
    group: withGroup ? { id: '3'.repeat(24), name: 'Clinic' } : null,
    reason: REASONS[type] ?? null,
  };
}

describe('notification e-mails in the recipient’s language', () => {
  it('keeps the English wording', () => {
    expect(describeNotification(example('reply'), 'en')).to.equal('Zed replied to your post in “Clinic”.\n“Quoted”');
    expect(describeNotification(example('like'), 'en')).to.equal('Zed and 2 others liked your post in “Clinic”.\n“Quoted”');
    expect(describeNotification(example('post_hidden'), 'en')).to.equal('A moderator hid your post in “Clinic”. Reason: Spam');
    expect(describeNotification(example('report_resolved', false), 'en')).to.equal('Your report was acted on.');
    expect(describeNotification({ ...example('role_changed', false), reason: 'admin,moderator' }, 'en')).to.equal('Your site roles are now: admin and moderator.');
    expect(describeNotification({ ...example('role_changed', false), reason: 'none' }, 'en')).to.equal('Your site roles are now: none.');
  });

  for (const type of NOTIFICATION_TYPES) {
    for (const withGroup of [true, false]) {
      it(`${type}${withGroup ? ' in a group' : ''}: Arabic, with the data as written`, () => {
        const text = describeNotification(example(type, withGroup), 'ar');
        expect(text).to.match(/[\u0600-\u06FF]/);
        // What remains in Latin letters is the data: names, the quote, the reason.
        expect(text.replace(/Zed|Clinic|Quoted|Spam/g, '')).not.to.match(/[A-Za-z]{2,}/);
      });
    }
  }

  it('counts others with the Arabic plural forms', () => {
    const like = (actorCount: number) => describeNotification({ ...example('like'), actorCount }, 'ar');
    expect(like(1)).to.include('أُعجب Zed بمنشورك');
    expect(like(2)).to.include('وشخص آخر');
    expect(like(3)).to.include('وشخصان آخران');
    expect(like(5)).to.match(/و[4٤] أشخاص آخرين/);
  });
});
