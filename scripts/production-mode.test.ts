import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ON_DATABASE_SERVER } from '../test/support/database.ts';
import { SANDBOX_DEFAULTS as AMAZON } from '../subgraphs/amazon/sandbox-defaults.ts';
import { DEVELOPMENT_BLIND_INDEX_KEY } from '../subgraphs/customers/blind-index.ts';
import { SANDBOX_DEFAULTS as MERCADOLIVRE } from '../subgraphs/mercadolivre/sandbox-defaults.ts';
import { SANDBOX_DEFAULTS as SHOPIFY } from '../subgraphs/shopify/sandbox-defaults.ts';
import { SANDBOX_DEFAULTS as WOOCOMMERCE } from '../subgraphs/woocommerce/sandbox-defaults.ts';

const ROOT = new URL('..', import.meta.url).pathname;
const STRONG_GATEWAY_SECRET = 'e7c0b5d2a9f14c3e8b6d1a0f9e8c7b6a5d4c3b2a';
const dataDir = mkdtempSync(join(tmpdir(), 'ponte-production-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** Runs a service's main.ts as `npm start` or docker would, and reports how it ended. */
function runMain(entry: string, env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [entry],
      // Only what is given: no VITEST (which silences the logger) and no secrets from the outer shell.
      { cwd: ROOT, timeout: 60_000, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PORT: '0', PONTE_DATA_DIR: dataDir, LOG_LEVEL: 'info', ...env } },
      (_error, stdout, stderr) => resolve({ code: child.exitCode, output: `${stdout}${stderr}` }),
    );
  });
}

// Each service's main.ts runs as a child with only the environment given here (no DATABASE_URL),
// and refuses before it opens any database: the same on either run.
describe.skipIf(ON_DATABASE_SERVER)('production mode refuses to start on missing or published secrets', () => {
  const production = { NODE_ENV: 'production', PONTE_GATEWAY_SECRET: STRONG_GATEWAY_SECRET, PONTE_DATA_KEYS: 'k1:3q2+7w2I9f3dB5kTQa4X8mZ0cVbN1rLpYs6uHgJeKoA=' };
  const cases: Array<[string, string, Record<string, string>, RegExp]> = [
    ['shopify with the sandbox client secret', 'subgraphs/shopify/main.ts', { ...production, SHOPIFY_ACCESS_TOKEN: 'shpat_0123456789abcdef', SHOPIFY_API_SECRET: SHOPIFY.SHOPIFY_API_SECRET }, /SHOPIFY_API_SECRET is a published default/],
    ['shopify with no access token', 'subgraphs/shopify/main.ts', { ...production, SHOPIFY_API_SECRET: 'a-real-client-secret' }, /SHOPIFY_ACCESS_TOKEN must be set/],
    ['inventory without a gateway secret', 'subgraphs/inventory/main.ts', { NODE_ENV: 'production' }, /PONTE_GATEWAY_SECRET must be set/],
    ['access (API keys) without a gateway secret', 'subgraphs/access/main.ts', { NODE_ENV: 'production' }, /PONTE_GATEWAY_SECRET must be set/],
    ['catalog with a short gateway secret', 'subgraphs/catalog/main.ts', { NODE_ENV: 'production', PONTE_GATEWAY_SECRET: 'too-short' }, /PONTE_GATEWAY_SECRET must be at least 32/],
    ['gateway with the old compose default', 'gateway/main.ts', { NODE_ENV: 'production', PONTE_GATEWAY_SECRET: 'change-me-in-production' }, /PONTE_GATEWAY_SECRET is a published default/],
    ['inventory with the published database password', 'subgraphs/inventory/main.ts', { ...production, DATABASE_URL: 'postgres://ponte:ponte@127.0.0.1:1/ponte' }, /DATABASE_URL uses a published password/],
    ['woocommerce with the sandbox keys', 'subgraphs/woocommerce/main.ts', { ...production, WOOCOMMERCE_CONSUMER_KEY: WOOCOMMERCE.WOOCOMMERCE_CONSUMER_KEY, WOOCOMMERCE_CONSUMER_SECRET: WOOCOMMERCE.WOOCOMMERCE_CONSUMER_SECRET }, /WOOCOMMERCE_CONSUMER_KEY is a published default/],
    ['mercadolivre with the sandbox client secret', 'subgraphs/mercadolivre/main.ts', { ...production, MERCADOLIVRE_CLIENT_SECRET: MERCADOLIVRE.MERCADOLIVRE_CLIENT_SECRET }, /MERCADOLIVRE_CLIENT_SECRET is a published default/],
    ['shopify without data keys', 'subgraphs/shopify/main.ts', { ...production, PONTE_DATA_KEYS: '', SHOPIFY_ACCESS_TOKEN: 'shpat_0123456789abcdef', SHOPIFY_API_SECRET: 'a-real-client-secret' }, /PONTE_DATA_KEYS must be set/],
    ['customers without a blind-index key', 'subgraphs/customers/main.ts', production, /PONTE_BLIND_INDEX_KEY must be set/],
    ['customers with the published blind-index key', 'subgraphs/customers/main.ts', { ...production, PONTE_BLIND_INDEX_KEY: DEVELOPMENT_BLIND_INDEX_KEY }, /PONTE_BLIND_INDEX_KEY is a published default/],
    ['customers without data keys', 'subgraphs/customers/main.ts', { ...production, PONTE_DATA_KEYS: '', PONTE_BLIND_INDEX_KEY: 'f'.repeat(44) }, /PONTE_DATA_KEYS must be set/],
    ['amazon with the sandbox LWA client', 'subgraphs/amazon/main.ts', { ...production, LWA_CLIENT_ID: AMAZON.LWA_CLIENT_ID, LWA_CLIENT_SECRET: 'x', LWA_REFRESH_TOKEN: 'y' }, /LWA_CLIENT_ID is a published default/],
  ];

  it.each(cases)('%s: exits non-zero and names the variable', async (_name, entry, env, message) => {
    const { code, output } = await runMain(entry, env);
    expect(code, output).not.toBe(0);
    expect(output).toMatch(message);
    expect(output).not.toMatch(/listening/);
  });

  it('starts when every secret it needs is its own', async () => {
    const child = spawn(process.execPath, ['subgraphs/catalog/main.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PORT: '0', PONTE_DATA_DIR: dataDir, LOG_LEVEL: 'info', NODE_ENV: 'production', PONTE_GATEWAY_SECRET: STRONG_GATEWAY_SECRET },
    });
    let output = '';
    const outcome = await new Promise<string>((resolve) => {
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('catalog subgraph listening')) resolve('listening');
      });
      child.once('exit', (code) => resolve(`exited ${code}`));
    });
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    expect(outcome, output).toBe('listening');
  });
});
