import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { openDatabase, type Database } from '../../kit/database.ts';
import { serveSharedPglite, type SharedPglite } from '../../kit/shared-database.ts';
import { PGLITE_TEMPLATE_PATH } from './pglite-template.ts';

/**
 * A fresh, empty database for one test: a new schema on the PostgreSQL server when
 * `DATABASE_URL` is set (the CI's second run), otherwise an in-memory PGlite cloned from a
 * template made once per run (initdb takes seconds; loading the template, a fraction of one).
 */
/**
 * The run on a PostgreSQL server (`DATABASE_URL`, CI's second run). A test file whose every
 * process runs on the embedded database whatever the environment says (a child started without
 * `DATABASE_URL`, a gateway that keeps no data) runs in the first run only: the second would run
 * exactly the same code again.
 */
export const ON_DATABASE_SERVER = Boolean(process.env.DATABASE_URL);

export interface TestDatabase {
  db: Database;
  /** Opens another connection set on the same database (a second replica, a restart). */
  reopen(options?: { onQuery?: (sql: string) => void }): Promise<Database>;
  drop(): Promise<void>;
}

export async function createTestDatabase(prefix: string, options: { onQuery?: (sql: string) => void } = {}): Promise<TestDatabase> {
  const url = process.env.DATABASE_URL;
  if (url) {
    const schema = `${prefix}_${randomBytes(5).toString('hex')}`;
    const db = await openDatabase({ url, schema, onQuery: options.onQuery, poolSize: 20 });
    const opened = [db];
    return {
      db,
      async reopen(more = {}) {
        const again = await openDatabase({ url, schema, onQuery: more.onQuery, poolSize: 20 });
        opened.push(again);
        return again;
      },
      async drop() {
        await Promise.all(opened.map((each) => each.close().catch(() => {})));
        const admin = await openDatabase({ url, schema: 'public' });
        await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await admin.close();
      },
    };
  }
  const host = await sharedPglite();
  const schema = `${prefix}_${randomBytes(5).toString('hex')}`;
  const db = await openDatabase({ schema, shared: host.connect(), onQuery: options.onQuery });
  const opened = [db];
  return {
    db,
    async reopen(more = {}) {
      // Another session on the same embedded database, as another replica's connection would be.
      const again = await openDatabase({ schema, shared: host.connect(), onQuery: more.onQuery });
      opened.push(again);
      return again;
    },
    async drop() {
      await Promise.all(opened.map((each) => each.close().catch(() => {})));
      await host.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => {});
    },
  };
}

let host: Promise<SharedPglite> | undefined;

/**
 * One embedded PostgreSQL per test worker (for the whole run: vitest.config.ts does not isolate
 * files), served to every test database as a session of its own
 * (its schema on the search path, its transactions holding the database), exactly as `npm start`
 * shares one PGlite among its services. Starting a PGlite costs some 0.8 s of CPU; a test file
 * that starts a whole Ponte used to start four or more of them.
 */
function sharedPglite(): Promise<SharedPglite> {
  host ??= readFile(PGLITE_TEMPLATE_PATH).then((bytes) => serveSharedPglite({ loadDataDir: new Blob([bytes]) }));
  return host;
}
