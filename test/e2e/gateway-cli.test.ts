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

function startGatewayProcess(supergraphPath: string) {
  const child = spawn(process.execPath, ['gateway/main.ts', '--supergraph', supergraphPath, '--port', '0', '--host', '127.0.0.1'], {
    // The operator's key, as `npm start` hands development keys to the gateway.
    env: { ...process.env, PONTE_GATEWAY_SECRET: TEST_GATEWAY_SECRET, PONTE_DEV_API_KEYS: JSON.stringify({ [TEST_KEYS.operator]: 'operator' }), LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const entry = JSON.parse(line) as { msg?: string; url?: string };
      if (entry.msg === 'gateway listening' && entry.url) resolve(entry.url);
    });
    child.once('exit', (code) => reject(new Error(`gateway exited with ${code}`)));
  });
  return { child, url };
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
});
