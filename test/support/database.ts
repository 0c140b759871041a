import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { openDatabase, type Database } from '../../kit/database.ts';
import { PGLITE_TEMPLATE_PATH } from './pglite-template.ts';

/**
 * A fresh, empty database for one test: a new schema on the PostgreSQL server when
 * `DATABASE_URL` is set (the CI's second run), otherwise an in-memory PGlite cloned from a
 * template made once per run (initdb takes seconds; loading the template, a fraction of one).
 */
export interface TestDatabase {
  db: Database;
  /** Opens another connection set on the same database (a second replica, a restart). */
  reopen(options?: { onQuery?: (sql: string) => void }): Promise<Database>;
  drop(): Promise<void>;
}

let template: Promise<Blob> | undefined;

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
  template ??= readFile(PGLITE_TEMPLATE_PATH).then((bytes) => new Blob([bytes]));
  const db = await openDatabase({ schema: prefix, loadDataDir: await template, onQuery: options.onQuery });
  return {
    db,
    async reopen() {
      // PGlite in memory is one connection inside this process: "another connection" is itself.
      return db;
    },
    drop: () => db.close(),
  };
}
