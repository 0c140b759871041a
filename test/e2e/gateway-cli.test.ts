import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql, startPonte, TEST_GATEWAY_SECRET, TEST_KEYS, type RunningPonte } from '../support/ponte.ts';
import { ON_DATABASE_SERVER } from '../support/database.ts';
import { subscribe } from '../support/subscriptions.ts';

/**
 * `npm run gateway -- --supergraph <file> --port <n>` as an operator runs it: a separate
 * process on a supergraph file, reporting its URL, stopping cleanly on SIGTERM.
 */
let ponte: RunningPonte;
beforeAll(async () => {
  ponte = await startPonte({ responseCache: false });
});
afterAll(async () => {
  await ponte?.close();
});

type ListeningLine = { msg: string; url: string; boundTo: string; subgraphs?: Record<string, string>; supergraph?: string };

/** The operator's key, as a development deployment hands keys to the gateway. */
const DEV_KEYS = JSON.stringify({ [TEST_KEYS.operator]: 'operator' });

function startGatewayProcess(args: string[], env: NodeJS.ProcessEnv = {}) {
  const child = spawn(process.execPath, ['gateway/main.ts', ...args, '--port', '0'], {
    env: { ...process.env, PONTE_GATEWAY_SECRET: TEST_GATEWAY_SECRET, PONTE_DEV_API_KEYS: DEV_KEYS, LOG_LEVEL: 'info', NODE_ENV: 'development', HOST: '', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines: string[] = [];
  const listening = new Promise<ListeningLine>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      lines.push(line);
      const entry = JSON.parse(line) as ListeningLine;
      if (entry.msg === 'gateway listening' && entry.url) resolve(entry);
    });
    child.once('exit', (code) => reject(new Error(`gateway exited with ${code}`)));
  });
  return { child, url: listening.then((entry) => entry.url), listening, lines };
}

async function stop(child: ReturnType<typeof spawn>): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill('SIGTERM');
  return exited;
}

// The gateway process keeps no data: what it is tested on does not change with the database.
describe.skipIf(ON_DATABASE_SERVER)('gateway command', () => {
  it('serves a supergraph file on the port it is given, queries and subscriptions', async () => {
    const supergraphPath = join(tmpdir(), `ponte-supergraph-${process.pid}.graphql`);
    await writeFile(supergraphPath, ponte.supergraphSdl);
    const { child, url, listening } = startGatewayProcess(['--supergraph', supergraphPath, '--host', '127.0.0.1']);
    const gatewayUrl = await url;
    expect(await listening).toMatchObject({ boundTo: `127.0.0.1:${new URL(gatewayUrl).port}`, supergraph: supergraphPath });
    try {
      const result = await graphql(gatewayUrl, '{ product(sku: "OCU-SOL") { sku title totalAvailable } }');
      expect(result.data).toEqual({ product: { sku: 'OCU-SOL', title: 'Óculos de Sol Polarizado', totalAvailable: expect.any(Number) } });
      const subscription = subscribe<{ stockChanged: { sku: string; product: { brand: string } } }>(gatewayUrl, 'subscription { stockChanged(skus: ["OCU-SOL"]) { sku product { brand } } }');
      await subscription.started;
      await ponte.inventory.service.receiveStock({ idempotencyKey: 'cli-1', sku: 'OCU-SOL', location: 'loja-rio', quantity: 1 }, { name: 'test' });
      expect((await subscription.next()).stockChanged).toEqual({ sku: 'OCU-SOL', product: { brand: 'Trilha' } });
      await subscription.close();
    } finally {
      expect(await stop(child)).toBe(0);
    }
  });

  it('composing Ponte’s subgraphs itself, names each one and its URL, and says what it is bound to', async () => {
    const platformUrls = { SHOPIFY_URL: 'http://127.0.0.1:9/shopify', WOOCOMMERCE_URL: 'http://127.0.0.1:9/woocommerce', MERCADOLIVRE_URL: 'http://127.0.0.1:9/mercadolivre', AMAZON_URL: 'http://127.0.0.1:9/amazon' };
    const { child, listening } = startGatewayProcess(['--host', '0.0.0.0'], { INVENTORY_URL: ponte.inventoryUrl, CATALOG_URL: ponte.catalogUrl, PONTE_RESPONSE_CACHE: 'off', PONTE_AUDIT: 'off', ...platformUrls });
    try {
      const line = await listening;
      const port = new URL(line.url).port;
      expect(line.boundTo).toBe(`0.0.0.0:${port} (every IPv4 interface)`);
      expect(line.url).toBe(`http://0.0.0.0:${port}/graphql`);
      expect(line.subgraphs).toEqual({
        inventory: ponte.inventoryUrl,
        catalog: ponte.catalogUrl,
        // Not given: its default address (API keys here come from PONTE_DEV_API_KEYS, not from it).
        access: 'http://127.0.0.1:4003/graphql',
        customers: 'http://127.0.0.1:4004/graphql',
        orders: 'http://127.0.0.1:4006/graphql',
        shopify: platformUrls.SHOPIFY_URL,
        woocommerce: platformUrls.WOOCOMMERCE_URL,
        mercadolivre: platformUrls.MERCADOLIVRE_URL,
        amazon: platformUrls.AMAZON_URL,
        insights: 'http://127.0.0.1:4005/graphql',
      });
      const result = await graphql(line.url, '{ product(sku: "OCU-SOL") { sku title } }');
      expect(result.data).toEqual({ product: { sku: 'OCU-SOL', title: 'Óculos de Sol Polarizado' } });
    } finally {
      expect(await stop(child)).toBe(0);
    }
  });

  it('exits non-zero on a supergraph file that does not exist', async () => {
    const { child, url } = startGatewayProcess(['--supergraph', '/nonexistent/supergraph.graphql']);
    await expect(url).rejects.toThrow('gateway exited with 1');
    expect(child.exitCode).toBe(1);
  });

  it('listens on 127.0.0.1 unless HOST says otherwise', async () => {
    const supergraphPath = join(tmpdir(), `ponte-supergraph-host-${process.pid}.graphql`);
    await writeFile(supergraphPath, ponte.supergraphSdl);
    const { child, url } = startGatewayProcess(['--supergraph', supergraphPath]);
    try {
      expect(new URL(await url).hostname).toBe('127.0.0.1');
    } finally {
      expect(await stop(child)).toBe(0);
    }
  });

  it('refuses to start in production without a gateway secret of at least 32 characters', async () => {
    const supergraphPath = join(tmpdir(), `ponte-supergraph-prod-${process.pid}.graphql`);
    await writeFile(supergraphPath, ponte.supergraphSdl);
    for (const secret of ['', 'change-me-in-production']) {
      const { child, url, lines } = startGatewayProcess(['--supergraph', supergraphPath, '--host', '127.0.0.1'], { NODE_ENV: 'production', PONTE_GATEWAY_SECRET: secret, PONTE_DEV_API_KEYS: '' });
      await expect(url).rejects.toThrow('gateway exited with 1');
      expect(child.exitCode).toBe(1);
      expect(lines.join('\n')).toContain('PONTE_GATEWAY_SECRET');
    }
  });

  it('in production, serves without GraphiQL, introspection or suggestions', async () => {
    const supergraphPath = join(tmpdir(), `ponte-supergraph-prod-ok-${process.pid}.graphql`);
    await writeFile(supergraphPath, ponte.supergraphSdl);
    // Subgraphs check the secret they were started with; production only requires it be long.
    // Production takes no development keys: the operator comes with a token (HS256) instead.
    const jwtSecret = 'y'.repeat(40);
    const token = await new SignJWT({ role: 'operator' }).setProtectedHeader({ alg: 'HS256' }).setSubject('ops').setExpirationTime('5m').sign(new TextEncoder().encode(jwtSecret));
    const { child, url } = startGatewayProcess(['--supergraph', supergraphPath, '--host', '127.0.0.1'], {
      NODE_ENV: 'production', PONTE_GATEWAY_SECRET: 'x'.repeat(40), PONTE_RESPONSE_CACHE: 'off', PONTE_DEV_API_KEYS: '', PONTE_AUDIT: 'off', PONTE_JWT_HS256_SECRET: jwtSecret,
    });
    try {
      const gatewayUrl = await url;
      const graphiql = await fetch(gatewayUrl, { headers: { accept: 'text/html' } });
      expect(await graphiql.text()).not.toContain('<html');
      const introspection = await graphql(gatewayUrl, '{ __schema { queryType { name } } }', {}, { authorization: `Bearer ${token}` });
      expect(introspection.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
      // The operator console stays: it holds no data, and reads everything with the operator's credential.
      const operatorConsole = await fetch(new URL('/console', gatewayUrl));
      expect(operatorConsole.status).toBe(200);
      expect(await operatorConsole.text()).toContain('/console/app.js');
    } finally {
      expect(await stop(child)).toBe(0);
    }
  });
});
