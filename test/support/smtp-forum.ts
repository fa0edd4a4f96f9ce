// A test forum whose mail goes over SMTP to a real server in the test process, with a queue that polls
// and retries fast, so tests read what a recipient would receive without waiting on production timings.
import type { Config } from '../../server/config';
import type { TuningOverrides } from '../../server/tuning';
import { startTestForum, type TestForum } from './forum';
import { startSmtpServer, type TestSmtpServer } from './smtp';

export interface SmtpForum {
  forum: TestForum;
  smtp: TestSmtpServer;
  /** Closes the forum first (its sender stops), answers any message still held, then closes the SMTP server. */
  close(): Promise<void>;
}

export async function startSmtpForum(overrides: Partial<Config> & TuningOverrides = {}): Promise<SmtpForum> {
  const smtp = await startSmtpServer();
  const forum = await startTestForum({ mailTransport: 'smtp', smtpUrl: smtp.url, mailQueue: { pollMs: 50, backoffBaseMs: 50, backoffMaxMs: 100 }, ...overrides });
  return {
    forum,
    smtp,
    async close() {
      await forum.close();
      smtp.release();
      await smtp.close();
    },
  };
}
