import { expect } from 'chai';
import { Types } from 'mongoose';
import { Outbox } from '../../server/models/outbox';
import { startMailQueue } from '../../server/mail/queue';
import { moderationNotice } from '../../server/mail/templates';
import { sendMessage } from '../../server/services/outbox';
import { eventually } from '../support/outbox';
import { addressHash, suppressAddressHash } from '../../server/services/suppression';
import type { AppContext } from '../../server/context';
import { resetDatabase } from '../support/database';
import { startTestForum, type TestForum } from '../support/forum';

describe('outbox', () => {
  let forum: TestForum;
  before(async () => {
    await resetDatabase();
    forum = await startTestForum();
  });
  after(() => forum.close());

  function contextLogging(lines: string[]): AppContext {
    return {
      ...forum.ctx,
      config: { ...forum.ctx.config, mailTransport: 'log' },
      log: { info: (line) => lines.push(line), warn: (line) => lines.push(line), error: (line) => lines.push(line) },
    };
  }

  it('records every message before delivery; `none` records without sending', async () => {
    const userId = new Types.ObjectId();
    const sent = await sendMessage(forum.ctx, {
      kind: 'transactional',
      to: 'someone@example.org',
      userId,
      content: moderationNotice('en', { kind: 'postHidden', group: 'Group', reason: 'Body with https://example.org/x?token=abc' }),
    });
    const stored = await Outbox.findById(sent!._id).lean();
    expect(stored).to.include({
      kind: 'transactional',
      type: 'moderation_notice',
      to: 'someone@example.org',
      subject: 'A moderator hid your post',
      transport: 'none',
      state: 'queued',
      sentAt: null,
    });
    expect(stored!.messageId).to.match(/^<[0-9a-f]{32}@forum\.test>$/);
    expect(String(stored!.userId)).to.equal(String(userId));
    expect(stored!.createdAt).to.be.instanceOf(Date);
  });

  it('the log transport prints one line with the recipient and links, never the text', async () => {
    // Messages recorded under `none` would be sent by this worker too.
    await Outbox.deleteMany({});
    const lines: string[] = [];
    const ctx = contextLogging(lines);
    const queue = startMailQueue(ctx, (line) => lines.push(line));
    const sent = await sendMessage(ctx, {
      kind: 'transactional',
      to: 'reader@example.org',
      content: moderationNotice('en', { kind: 'postHidden', group: 'News', reason: 'Dear Jane Private Doe, born 1970-01-01, see https://forum.example/unsubscribe?token=t0k' }),
    });
    await eventually(async () => expect((await Outbox.findById(sent!._id).lean())!.state).to.equal('sent'));
    await queue.close();
    expect(lines).to.have.length(1);
    expect(lines[0]).to.include('reader@example.org');
    expect(lines[0]).to.include('https://forum.example/unsubscribe?token=t0k');
    expect(lines[0]).not.to.include('Jane');
    expect(lines[0]).not.to.include('1970-01-01');
    const stored = await Outbox.findById(sent!._id).lean();
    expect(stored!.transport).to.equal('log');
    expect(stored!.sentAt).to.be.instanceOf(Date);
  });

  it('sends nothing and records nothing to an address on the suppression list, transactional or not', async () => {
    const lines: string[] = [];
    await suppressAddressHash(await addressHash('Gone@Example.org'), 'erasure');
    for (const kind of ['transactional', 'marketing'] as const) {
      const sent = await sendMessage(contextLogging(lines), { kind, to: 'gone@example.org', content: moderationNotice('en', { kind: 'postHidden', group: 'Hello', reason: 'https://forum.example/x' }) });
      expect(sent).to.equal(null);
    }
    expect(await Outbox.countDocuments({ to: 'gone@example.org' })).to.equal(0);
    expect(lines.join('\n')).not.to.include('gone@example.org');
  });
});
