// Root hooks: one database for the whole run (the embedded engine in memory, or MONGODB_URI when set).
import { loadConfig } from '../server/config';
import { connectDatabase, type Database } from '../server/db';
import { createLogger } from '../server/log';
import { setSharedDatabase } from './support/database';

let database: Database | null = null;

export const mochaHooks = {
  async beforeAll(this: Mocha.Context) {
    this.timeout(60_000);
    const env = loadConfig(process.env);
    database = await connectDatabase({ ...env, logLevel: 'error' }, createLogger('error'), {
      inMemory: true,
      databaseName: `forum_test_${process.pid}`,
    });
    setSharedDatabase(database);
  },
  async afterAll() {
    await database?.close();
  },
};
