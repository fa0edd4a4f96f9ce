// Starts a forum for a test suite on the shared database, with its own upload and data folders.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import supertest from 'supertest';
import type { Config } from '../../server/config';
import { DEFAULT_BRAND } from '../../shared/brand';
import type { TuningOverrides } from '../../server/tuning';
import { createForum, type Forum } from '../../server/forum';
import { createLogger, type Logger } from '../../server/log';
import { sharedDatabase } from './database';

export interface TestForum extends Forum {
  /** supertest agent bound to the app (no listening socket needed). */
  http: ReturnType<typeof supertest>;
  /** Base URL once `listen()` has been awaited through `startListening`. */
  url: string;
  startListening(): Promise<string>;
}

export function testConfig(overrides: Partial<Config> = {}): Config {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'forum-test-'));
  return {
    port: 0,
    host: '127.0.0.1',
    mongodbUri: null,
    dataDir: path.join(dir, 'data'),
    dataEncryptionKey: null,
    previousDataEncryptionKeys: [],
    uploadsDir: path.join(dir, 'uploads'),
    clientDir: path.resolve('dist/client'),
    redisUrl: null,
    adminEmails: new Set(),
    publicUrl: 'http://127.0.0.1:3000',
    mediaUrlSecret: 'test-media-secret-test-media-secret-0123456789',
    trustProxy: false,
    mailTransport: 'none',
    smtpUrl: null,
    mailFrom: 'Forum <forum@forum.test>',
    smtpTimeoutSeconds: 5,
    logLevel: 'error',
    brand: { ...DEFAULT_BRAND_CONFIG },
    ...overrides,
  };
}

const DEFAULT_BRAND_CONFIG: Config['brand'] = { name: DEFAULT_BRAND.name, tagline: DEFAULT_BRAND.tagline, logoFile: null, accentColor: null };

/** Suites register many people from one address; the limit tests set their own. */
const RELAXED_MAIL_LIMITS = { perClientAddress: 1_000_000, perTarget: 1_000, perAccount: 1_000 };

/**
 * A forum on the shared test database; limits and timings (`loginLimits`, `erasure`, `mailQueue`,
 * `mailLimits`) may be overridden beside the config. `log` replaces the forum's logger, for tests that
 * check what reaches the log.
 */
export async function startTestForum(overrides: Partial<Config> & TuningOverrides = {}, log?: Logger): Promise<TestForum> {
  const { loginLimits, erasure, mailQueue, mailLimits = RELAXED_MAIL_LIMITS, notificationDigest, ...configOverrides } = overrides;
  const config = testConfig(configOverrides);
  const tuning = { loginLimits, erasure, mailQueue, mailLimits, notificationDigest };
  const forum = await createForum(config, { database: sharedDatabase(), log: log ?? createLogger(config.logLevel), tuning });
  const closeForum = forum.close.bind(forum);
  const testForum: TestForum = Object.assign(forum, {
    http: supertest(forum.app),
    url: '',
    async startListening() {
      const port = await forum.listen();
      testForum.url = `http://127.0.0.1:${port}`;
      return testForum.url;
    },
    async close() {
      await closeForum();
      rmSync(path.dirname(config.dataDir), { recursive: true, force: true });
    },
  });
  return testForum;
}
