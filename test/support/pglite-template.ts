import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';

export const PGLITE_TEMPLATE_PATH = join(fileURLToPath(new URL('../../node_modules/.cache/ponte', import.meta.url)), 'pglite-template.tar.gz');

/** Runs initdb once and keeps the result, so each test database is a copy, not a new cluster. */
export async function ensurePgliteTemplate(): Promise<void> {
  if (existsSync(PGLITE_TEMPLATE_PATH)) return;
  const db = await PGlite.create();
  const dump = await db.dumpDataDir('gzip');
  await db.close();
  await mkdir(dirname(PGLITE_TEMPLATE_PATH), { recursive: true });
  await writeFile(PGLITE_TEMPLATE_PATH, Buffer.from(await dump.arrayBuffer()));
}
