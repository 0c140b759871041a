import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PGLITE_VERSION = (JSON.parse(readFileSync(fileURLToPath(new URL('../node_modules/@electric-sql/pglite/package.json', import.meta.url)), 'utf8')) as { version: string }).version;

/**
 * A fresh cluster, as initdb leaves it, for the installed PGlite (its version in the name: a
 * template from another version is never loaded).
 */
export const PGLITE_TEMPLATE_PATH = join(fileURLToPath(new URL('../node_modules/.cache/ponte', import.meta.url)), `pglite-template-${PGLITE_VERSION}.tar.gz`);

/**
 * Runs initdb once and keeps the result (`npm install` does, through `scripts/prepare.ts`): a new
 * embedded database is then a copy, in well under a second, instead of initdb's 4–5 s of CPU on
 * `npm start`'s first run, and each test database is a copy too.
 */
export async function ensurePgliteTemplate(): Promise<void> {
  if (existsSync(PGLITE_TEMPLATE_PATH)) return;
  const { PGlite } = await import('@electric-sql/pglite');
  const db = await PGlite.create();
  const dump = await db.dumpDataDir('gzip');
  await db.close();
  await mkdir(dirname(PGLITE_TEMPLATE_PATH), { recursive: true });
  // Written aside and renamed: a process reading it never sees half a file.
  const partial = `${PGLITE_TEMPLATE_PATH}.${process.pid}.partial`;
  await writeFile(partial, Buffer.from(await dump.arrayBuffer()));
  await rename(partial, PGLITE_TEMPLATE_PATH);
}

/** The template, when `npm install` made it (or a test run did); undefined otherwise. */
export async function pgliteTemplate(): Promise<Blob | undefined> {
  if (!existsSync(PGLITE_TEMPLATE_PATH)) return undefined;
  return new Blob([await readFile(PGLITE_TEMPLATE_PATH)]);
}
