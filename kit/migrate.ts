import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Database } from './database.ts';

/**
 * Applies a subgraph's `migrations/NNN_name.sql` files in order, once each.
 *
 * Hand-written rather than a migration library on purpose: the same SQL files must run on
 * PGlite and on a PostgreSQL server, and the common tools either speak only to a server
 * (node-pg-migrate) or bring an ORM's schema model (drizzle-kit). This is small enough to read
 * in one sitting. An advisory lock keeps two replicas starting together from racing.
 */
export async function migrate(db: Database, migrationsDir: string): Promise<string[]> {
  const files = (await readdir(migrationsDir)).filter((name) => /^\d+_.+\.sql$/.test(name)).sort();
  const scripts = await Promise.all(files.map(async (name) => ({ name, sql: await readFile(join(migrationsDir, name), 'utf8') })));
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`ponte-migrations:${db.schema}`]);
    await tx.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      name text PRIMARY KEY,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const applied = new Set((await tx.query<{ name: string }>('SELECT name FROM schema_migrations')).map((row) => row.name));
    const pending = scripts.filter((script) => !applied.has(script.name));
    for (const script of pending) {
      await tx.exec(script.sql);
      await tx.query('INSERT INTO schema_migrations (name) VALUES ($1)', [script.name]);
    }
    return pending.map((script) => script.name);
  });
}
