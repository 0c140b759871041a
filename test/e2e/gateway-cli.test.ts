import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql, startPonte, TEST_GATEWAY_SECRET, TEST_KEYS, type RunningPonte } from '../support/ponte.ts';
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

function startGatewayProcess(supergraphPath: string, env: Record<string, string> = {}, args = ['--host', '127.0.0.1']) {
  const child = spawn(process.execPath, ['gateway/main.ts', '--supergraph', supergraphPath, '--port', '0', ...args], {
    env: { ...process.env, PONTE_GATEWAY_SECRET: TEST_GATEWAY_SECRET, PONTE_DEV_API_KEYS: JSON.stringify({ [TEST_KEYS.operator]: 'operator' }), LOG_LEVEL: 'info', NODE_ENV: 'development', HOST: '', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines: string[] = [];
  const url = new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      lines.push(line);
      const entry = JSON.parse(line) as { msg?: string; url?: string };
      if (entry.msg === 'gateway listening' && entry.url) resolve(entry.url);
    });
    child.once('exit', (code) => reject(new Error(`gateway exited with ${code}`)));
  });
  return { child, url, lines };
}

async function stop(child: ReturnType<typeof spawn>) {
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill('SIGTERM');
  return exited;
}

describe('gateway command', () => {
  it('serves a supergraph file on the port it is given, queries and subscriptions', async () => {
    const supergraphPath = join(tmpdir(), `ponte-supergraph-${process.pid}.graphql`);
    await writeFile(supergraphPath, ponte.supergraphSdl);
    const { child, url } = startGatewayProcess(supergraphPath);
    const gatewayUrl = await url;
    try {
      const result = await graphql(gatewayUrl, '{ product(sku: "OCU-SOL") { sku title totalAvailable } }');
      expect(result.data).toEqual({ product: { sku: 'OCU-SOL', title: 'Óculos de Sol Polarizado', totalAvailable: expect.any(Number) } });
      const subscription = subscribe<{ stockChanged: { sku: string; product: { brand: string } } }>(gatewayUrl, 'subscription { stockChanged(skus: ["OCU-SOL"]) { sku product { brand } } }');
      await subscription.started;
      await ponte.inventory.service.receiveStock({ idempotencyKey: 'cli-1', sku: 'OCU-SOL', location: 'loja-rio', quantity: 1 }, { name: 'test' });
      expect((await subscription.next()).stockChanged).toEqual({ sku: 'OCU-SOL', product: { brand: 'Trilha' } });
      await subscription.close();
    } finally {
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  });

  it('exits non-zero on a supergraph file that does not exist', async () => {
    const { child, url } = startGatewayProcess('/nonexistent/supergraph.graphql');
    await expect(url).rejects.toThrow('gateway exited with 1');
    expect(child.exitCode).toBe(1);
  });

  it('listens on 127.0.0.1 unless HOST says otherwise', async () => {
    const supergraphPath = join(tmpdir(), `ponte-supergraph-host-${process.pid}.graphql`);
    await writeFile(supergraphPath, ponte.supergraphSdl);
    const { child, url } = startGatewayProcess(supergraphPath, {}, []);
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
      const { child, url, lines } = startGatewayProcess(supergraphPath, { NODE_ENV: 'production', PONTE_GATEWAY_SECRET: secret });
      await expect(url).rejects.toThrow('gateway exited with 1');
      expect(child.exitCode).toBe(1);
      expect(lines.join('\n')).toContain('PONTE_GATEWAY_SECRET');
    }
  });

  it('in production, serves without GraphiQL, introspection or suggestions', async () => {
    const supergraphPath = join(tmpdir(), `ponte-supergraph-prod-ok-${process.pid}.graphql`);
    await writeFile(supergraphPath, ponte.supergraphSdl);
    // Subgraphs check the secret they were started with; production only requires it be long.
    const { child, url } = startGatewayProcess(supergraphPath, { NODE_ENV: 'production', PONTE_GATEWAY_SECRET: 'x'.repeat(40), PONTE_RESPONSE_CACHE: 'off' });
    try {
      const gatewayUrl = await url;
      const graphiql = await fetch(gatewayUrl, { headers: { accept: 'text/html' } });
      expect(await graphiql.text()).not.toContain('<html');
      const introspection = await graphql(gatewayUrl, '{ __schema { queryType { name } } }');
      expect(introspection.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    } finally {
      expect(await stop(child)).toBe(0);
    }
  });
});
