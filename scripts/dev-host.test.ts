import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { serveSharedPglite, sharedDatabaseThreadData, type SharedPglite } from '../kit/shared-database.ts';
import { eventuallyDefined } from '../test/support/eventually.ts';
import { PGLITE_TEMPLATE_PATH } from '../test/support/pglite-template.ts';
import { Supervisor, type SupervisedService, type SupervisorEvent } from './supervisor.ts';

/**
 * `npm start`'s layout: services as threads of one process, on one embedded database. Each fake
 * service opens its database the way every main.ts does (`databaseFromEnv`), keeps a row in a
 * table of its own schema, and answers with what that table holds.
 */
const DATABASE_SERVICE = `
import { createServer } from 'node:http';
import { writeFileSync } from 'node:fs';
import { threadId } from 'node:worker_threads';
import { databaseFromEnv, openDatabase } from ${JSON.stringify(new URL('../kit/database.ts', import.meta.url).pathname)};
const [dir, name] = [process.env.FAKE_DIR, process.env.FAKE_NAME];
const db = await openDatabase({ schema: name, ...databaseFromEnv(name) });
await db.exec('CREATE TABLE IF NOT EXISTS stock (owner text, run int)');
await db.query('INSERT INTO stock VALUES ($1, $2)', [name, threadId]);
const server = createServer(async (req, res) => {
  if (req.url === '/crash') setImmediate(() => { throw new Error('told to crash'); });
  res.end(JSON.stringify({ driver: db.driver, rows: await db.query('SELECT owner FROM stock') }));
});
server.listen(0, '127.0.0.1', () => writeFileSync(dir + '/' + name + '-' + threadId + '.port', String(server.address().port)));
process.on('SIGTERM', () => server.close(async () => { await db.close(); process.exit(0); }));
`;

let dir: string;
let host: SharedPglite | undefined;
let supervisor: Supervisor | undefined;
afterEach(async () => {
  await supervisor?.stop();
  await host?.close();
  supervisor = undefined;
  host = undefined;
  rmSync(dir, { recursive: true, force: true });
});

async function ask(name: string, id: number, path = '/'): Promise<{ driver: string; rows: Array<{ owner: string }> }> {
  const response = await fetch(`http://127.0.0.1:${readFileSync(join(dir, `${name}-${id}.port`), 'utf8')}${path}`);
  return (await response.json()) as { driver: string; rows: Array<{ owner: string }> };
}

describe('npm start’s services as threads on one embedded database', () => {
  it('share one database, each in its own schema, and a crashed one comes back to its data', async () => {
    dir = mkdtempSync(join(tmpdir(), 'ponte-dev-host-'));
    const entry = join(dir, 'database-service.mjs');
    writeFileSync(entry, DATABASE_SERVICE);
    host = await serveSharedPglite({ loadDataDir: new Blob([await readFile(PGLITE_TEMPLATE_PATH)]) });
    const services: SupervisedService[] = ['inventory', 'catalog'].map((name) => ({
      name,
      entry,
      env: { ...process.env, FAKE_DIR: dir, FAKE_NAME: name, DATABASE_URL: '' },
      dependsOn: [],
      isolation: 'thread',
      threadData: sharedDatabaseThreadData(host!),
      isReady: async (id) => (await ask(name, id)).rows.length > 0,
    }));
    const events: SupervisorEvent[] = [];
    supervisor = new Supervisor({ services, restart: { initialDelayMs: 20 }, readinessPollMs: 20, onEvent: (event) => events.push(event), onLine: () => {} });
    await supervisor.start();
    const before = supervisor.pids();

    expect(await ask('inventory', before.inventory!)).toEqual({ driver: 'pglite', rows: [{ owner: 'inventory' }] });
    expect(await ask('catalog', before.catalog!)).toEqual({ driver: 'pglite', rows: [{ owner: 'catalog' }] });
    const tables = await host.query<{ table_schema: string }>(`SELECT table_schema FROM information_schema.tables WHERE table_name = 'stock' ORDER BY 1`);
    expect(tables.map((row) => row.table_schema)).toEqual(['catalog', 'inventory']);

    await ask('catalog', before.catalog!, '/crash').catch(() => {});
    await eventuallyDefined(async () => events.some((event) => event.kind === 'ready' && event.service === 'catalog' && event.restarts === 1), 'catalog back');
    const after = supervisor.pids();
    expect(after.inventory).toBe(before.inventory);
    // The new run found its schema's rows on the same database, and added its own.
    expect(await ask('catalog', after.catalog!)).toEqual({ driver: 'pglite', rows: [{ owner: 'catalog' }, { owner: 'catalog' }] });
    expect(await ask('inventory', after.inventory!)).toEqual({ driver: 'pglite', rows: [{ owner: 'inventory' }] });
  });
});
