import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashApiKey } from '../../kit/api-key-resolver.ts';
import { openDatabase } from '../../kit/database.ts';
import { migrate } from '../../kit/migrate.ts';
import { ON_DATABASE_SERVER } from '../../test/support/database.ts';
import { PGLITE_TEMPLATE_PATH } from '../../test/support/pglite-template.ts';
import { ACCESS_MIGRATIONS } from './index.ts';
import { ApiKeyStore } from './keys.ts';

/** Each test starts several processes, each opening the embedded database: slow on a busy machine. */
const CLI_TEST_TIMEOUT_MS = 240_000;

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
let dataDir: string;

/** `npm run keys -- …` as an operator runs it: a child process on an embedded database in a temp folder. */
function keys(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, PONTE_DATA_DIR: dataDir, ACCESS_PORT: '9' };
  delete env.DATABASE_URL;
  return new Promise((resolve) => {
    // What `npm run keys` runs (package.json), with the Node running this test: Node 24, as npm's.
    execFile(process.execPath, ['--liftoff-only', 'subgraphs/access/cli.ts', ...args], { cwd: ROOT, env }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

async function withStore<T>(work: (store: ApiKeyStore) => Promise<T>): Promise<T> {
  const db = await openDatabase({ schema: 'access', dataDir: join(dataDir, 'access') });
  try {
    return await work(new ApiKeyStore(db));
  } finally {
    await db.close();
  }
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'ponte-keys-'));
  // The data directory is made from the test template rather than by initdb in the first child
  // (the CLI would make it the same way, only slower).
  const db = await openDatabase({ schema: 'access', dataDir: join(dataDir, 'access'), loadDataDir: new Blob([await readFile(PGLITE_TEMPLATE_PATH)]) });
  await migrate(db, ACCESS_MIGRATIONS);
  await db.close();
});

afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

// The CLI runs on the embedded database in a temp folder (its children get no DATABASE_URL).
describe.skipIf(ON_DATABASE_SERVER)('npm run keys', () => {
  it('creates, lists, rotates and revokes keys, printing each plaintext key once', async () => {
    const created = await keys('create', '--role', 'partner', '--name', '3PL Sul', '--channel', 'shopify-br', '--location', 'cd-sao-paulo', '--json');
    expect(created.code, created.stderr).toBe(0);
    const { apiKey, plaintextKey } = JSON.parse(created.stdout) as { apiKey: { id: string; channels: string[] }; plaintextKey: string };
    expect(plaintextKey).toMatch(/^ponte_partner_/);
    expect(apiKey.channels).toEqual(['shopify-br']);
    expect((await withStore((store) => store.resolve(hashApiKey(plaintextKey))))?.principal).toMatchObject({ id: `key:${apiKey.id}`, name: '3PL Sul', role: 'partner', locations: ['cd-sao-paulo'] });

    const listed = await keys('list');
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain(apiKey.id);
    expect(listed.stdout).toContain('3PL Sul');
    expect(listed.stdout).not.toContain(plaintextKey);

    const rotated = await keys('rotate', apiKey.id, '--grace', '0');
    expect(rotated.code, rotated.stderr).toBe(0);
    const successor = /(ponte_partner_[A-Za-z0-9_-]{43})/.exec(rotated.stdout)?.[1];
    expect(successor).toBeDefined();
    expect(rotated.stdout).toContain('only time the key is shown');
    await withStore(async (store) => {
      expect(await store.resolve(hashApiKey(plaintextKey))).toBeUndefined();
      expect(await store.resolve(hashApiKey(successor!))).toBeDefined();
    });

    const successorId = (await withStore((store) => store.list())).find((key) => key.rotatedFrom === apiKey.id)!.id;
    const revoked = await keys('revoke', successorId);
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toMatch(/Revoked: .*revoked/);
    expect(await withStore((store) => store.resolve(hashApiKey(successor!)))).toBeUndefined();
  }, CLI_TEST_TIMEOUT_MS);

  it('creates a monitoring key for a Prometheus scraper: metrics:read and nothing else', async () => {
    const created = await keys('create', '--role', 'monitoring', '--name', 'prometheus', '--json');
    expect(created.code, created.stderr).toBe(0);
    const { plaintextKey } = JSON.parse(created.stdout) as { plaintextKey: string };
    expect(plaintextKey).toMatch(/^ponte_monitoring_/);
    expect((await withStore((store) => store.resolve(hashApiKey(plaintextKey))))?.principal).toMatchObject({ name: 'prometheus', role: 'monitoring', scopes: ['metrics:read'] });
  }, CLI_TEST_TIMEOUT_MS);

  it('refuses bad input with the error code, a non-zero exit and nothing created', async () => {
    const before = await withStore((store) => store.list({ includeRevoked: true }));
    const unlimited = await keys('create', '--role', 'partner', '--name', 'No limits');
    expect(unlimited.code).toBe(1);
    expect(unlimited.stderr).toContain('BAD_USER_INPUT');
    const badRole = await keys('create', '--role', 'root', '--name', 'x');
    expect(badRole.code).toBe(1);
    const unknown = await keys('revoke', 'no-such-id');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('UNKNOWN_API_KEY');
    expect((await keys('frobnicate')).code).toBe(64);
    expect(await withStore((store) => store.list({ includeRevoked: true }))).toEqual(before);
  }, CLI_TEST_TIMEOUT_MS);
});
