import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { eventuallyDefined } from '../test/support/eventually.ts';
import { PGLITE_TEMPLATE_PATH } from '../test/support/pglite-template.ts';
import { openDatabase, type Database } from './database.ts';
import { serveSharedPglite, type SharedPglite } from './shared-database.ts';

/**
 * The embedded database `npm start` shares among its services' threads: each session behaves as
 * a connection to a PostgreSQL server would, whatever the others do on the same PGlite.
 */
let host: SharedPglite | undefined;
const opened: Database[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((db) => db.close()));
  await host?.close();
  host = undefined;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A database made from the run's initdb template (global setup), in memory or in `dataDir`. */
async function serve(dataDir?: string): Promise<SharedPglite> {
  return serveSharedPglite({ dataDir, loadDataDir: new Blob([await readFile(PGLITE_TEMPLATE_PATH)]) });
}

async function session(schema: string): Promise<Database> {
  const db = await openDatabase({ schema, shared: host!.connect() });
  opened.push(db);
  return db;
}

describe('the shared embedded database', () => {
  it('gives each service its own schema on one database', async () => {
    host = await serve();
    const inventory = await session('inventory');
    const shopify = await session('shopify');
    await inventory.exec('CREATE TABLE items (sku text PRIMARY KEY, quantity int NOT NULL)');
    await shopify.exec('CREATE TABLE items (sku text PRIMARY KEY, listing text NOT NULL)');
    // Interleaved, unqualified: each statement finds its own session's table.
    await Promise.all([
      inventory.query('INSERT INTO items VALUES ($1, $2)', ['CAM-BASICA-M', 7]),
      shopify.query('INSERT INTO items VALUES ($1, $2)', ['CAM-BASICA-M', 'gid://shopify/Product/1']),
      inventory.query('INSERT INTO items VALUES ($1, $2)', ['CAM-BASICA-G', 3]),
    ]);
    expect(await inventory.query('SELECT sku, quantity FROM items ORDER BY sku')).toEqual([
      { sku: 'CAM-BASICA-G', quantity: 3 },
      { sku: 'CAM-BASICA-M', quantity: 7 },
    ]);
    expect(await shopify.query('SELECT sku, listing FROM items')).toEqual([{ sku: 'CAM-BASICA-M', listing: 'gid://shopify/Product/1' }]);
    const tables = await host.query<{ table_schema: string }>(`SELECT table_schema FROM information_schema.tables WHERE table_name = 'items' ORDER BY 1`);
    expect(tables.map((row) => row.table_schema)).toEqual(['inventory', 'shopify']);
  });

  it('runs no other session’s statement inside a transaction, and rolls back what throws', async () => {
    host = await serve();
    const inventory = await session('inventory');
    const catalog = await session('catalog');
    await inventory.exec('CREATE TABLE levels (sku text PRIMARY KEY, on_hand int NOT NULL)');
    await catalog.exec('CREATE TABLE products (sku text PRIMARY KEY)');
    let releaseTransaction!: () => void;
    const held = new Promise<void>((resolve) => (releaseTransaction = resolve));
    const inTransaction = inventory.transaction(async (tx) => {
      await tx.query('INSERT INTO levels VALUES ($1, $2)', ['CAM-BASICA-M', 5]);
      await held;
      throw new Error('the reservation failed');
    });
    // Sent while the transaction is open: it waits for it, so the rollback cannot undo it.
    const insertedMeanwhile = catalog.query('INSERT INTO products VALUES ($1)', ['CAM-BASICA-M']);
    const seenMeanwhile = inventory.query('SELECT count(*)::int AS n FROM levels');
    await new Promise((resolve) => setTimeout(resolve, 50));
    releaseTransaction();
    await expect(inTransaction).rejects.toThrow('the reservation failed');
    await insertedMeanwhile;
    expect(await seenMeanwhile).toEqual([{ n: 0 }]);
    expect(await inventory.query('SELECT * FROM levels')).toEqual([]);
    expect(await catalog.query('SELECT sku FROM products')).toEqual([{ sku: 'CAM-BASICA-M' }]);
    expect(await inventory.transaction((tx) => tx.query('INSERT INTO levels VALUES ($1, $2) RETURNING on_hand', ['CAM-BASICA-G', 2]))).toEqual([{ on_hand: 2 }]);
  });

  it('passes PostgreSQL’s error code on, for callers that branch on it', async () => {
    host = await serve();
    const access = await session('access');
    await access.exec('CREATE TABLE api_keys (id text PRIMARY KEY)');
    await access.query('INSERT INTO api_keys VALUES ($1)', ['key-1']);
    await expect(access.query('INSERT INTO api_keys VALUES ($1)', ['key-1'])).rejects.toMatchObject({ code: '23505', constraint: 'api_keys_pkey' });
  });

  it('delivers a NOTIFY to the session that listens, whichever session sent it', async () => {
    host = await serve();
    const listener = await session('inventory');
    const writer = await session('shopify');
    const payloads: string[] = [];
    const unlisten = await listener.listen('inventory_outbox', (payload) => payloads.push(payload));
    await writer.transaction((tx) => tx.query(`SELECT pg_notify('inventory_outbox', '42')`));
    expect(await eventuallyDefined(async () => (payloads.length > 0 ? payloads : false), 'a notification')).toEqual(['42']);
    await unlisten();
    await writer.query(`SELECT pg_notify('inventory_outbox', '43')`);
    await writer.query('SELECT 1');
    expect(payloads).toEqual(['42']);
  });

  it('rolls back the transaction of a session whose thread went away, and lets the others go on', async () => {
    host = await serve();
    const port = host.connect();
    const leaving = await openDatabase({ schema: 'amazon', shared: port });
    const staying = await session('catalog');
    await leaving.exec('CREATE TABLE watermark (at text)');
    let started!: () => void;
    const inside = new Promise<void>((resolve) => (started = resolve));
    void leaving
      .transaction(async (tx) => {
        await tx.query(`INSERT INTO watermark VALUES ('2026-12-01')`);
        started();
        await new Promise(() => {});
      })
      .catch(() => {});
    await inside;
    // The thread ends: its ports close with it.
    port.close();
    await leaving.close();
    expect(await staying.query('SELECT count(*)::int AS n FROM amazon.watermark')).toEqual([{ n: 0 }]);
  });

  it('keeps every committed transaction when the process is killed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ponte-shared-db-'));
    dirs.push(dir);
    // A process that commits, says so, and is then killed before it can close anything.
    const script = join(dir, 'commit-then-wait.mjs');
    writeFileSync(script, `
      import { openDatabase } from ${JSON.stringify(new URL('./database.ts', import.meta.url).pathname)};
      import { serveSharedPglite } from ${JSON.stringify(new URL('./shared-database.ts', import.meta.url).pathname)};
      import { readFileSync } from 'node:fs';
      const host = await serveSharedPglite({ dataDir: process.env.DATA_DIR, loadDataDir: new Blob([readFileSync(process.env.TEMPLATE)]) });
      const db = await openDatabase({ schema: 'inventory', shared: host.connect() });
      await db.exec('CREATE TABLE movements (id int PRIMARY KEY)');
      for (let id = 1; id <= 20; id++) await db.transaction((tx) => tx.query('INSERT INTO movements VALUES ($1)', [id]));
      console.log('committed');
      setInterval(() => {}, 1000);
    `);
    const child = spawn(process.execPath, [script], { env: { ...process.env, DATA_DIR: join(dir, 'pglite'), TEMPLATE: PGLITE_TEMPLATE_PATH }, stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (data: Buffer) => data.toString().includes('committed') && resolve());
      child.once('exit', (code) => reject(new Error(`exited with ${code} before committing`)));
    });
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));

    host = await serveSharedPglite({ dataDir: join(dir, 'pglite') });
    expect(await host.query('SELECT count(*)::int AS n FROM inventory.movements')).toEqual([{ n: 20 }]);
  });
});
