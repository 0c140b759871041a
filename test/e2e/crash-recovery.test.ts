import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GATEWAY_SECRET_HEADER } from '../../kit/subgraph-server.ts';
import { graphql } from '../support/ponte.ts';

/**
 * A crash loses nothing: the inventory process is killed with SIGKILL (no shutdown hook runs)
 * right after answering a reservation, and the restarted process still has it — on the
 * embedded PGlite data directory, or on the server when DATABASE_URL is set.
 */
const SECRET = 'crash-test-secret';
let dataDir: string;
const schemaEnv = process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {};

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'ponte-crash-'));
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

function startInventoryProcess(): { child: ChildProcess; url: Promise<string> } {
  const child = spawn(process.execPath, ['subgraphs/inventory/main.ts'], {
    env: { ...process.env, ...schemaEnv, PORT: '0', PONTE_DATA_DIR: dataDir, PONTE_GATEWAY_SECRET: SECRET, PONTE_SEED_DEMO: 'true', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const entry = JSON.parse(line) as { msg?: string; url?: string };
      if (entry.msg === 'inventory subgraph listening' && entry.url) resolve(entry.url);
    });
    child.once('exit', (code) => reject(new Error(`inventory exited with ${code}`)));
  });
  return { child, url };
}

const asGateway = { [GATEWAY_SECRET_HEADER]: SECRET };

describe.skipIf(Boolean(process.env.DATABASE_URL))('crash recovery (embedded PGlite)', () => {
  it('keeps every acknowledged reservation across a SIGKILL', async () => {
    const first = startInventoryProcess();
    const url = await first.url;
    const reserve = await graphql<{ reserveStock: { reservation: { id: string } } }>(
      url,
      'mutation { reserveStock(input: { idempotencyKey: "crash-1", channel: "amazon-br", orderReference: "AMZ-1", lines: [{ sku: "FON-BLUETOOTH", quantity: 2 }] }) { reservation { id } } }',
      {},
      asGateway,
    );
    expect(reserve.errors).toBeUndefined();
    const exited = new Promise((resolve) => first.child.once('exit', resolve));
    first.child.kill('SIGKILL');
    await exited;

    const second = startInventoryProcess();
    try {
      const again = await second.url;
      const found = await graphql<{ reservationsForOrder: Array<{ id: string; status: string }> }>(again, '{ reservationsForOrder(channel: "amazon-br", orderReference: "AMZ-1") { id status } }', {}, asGateway);
      expect(found.data!.reservationsForOrder).toEqual([{ id: reserve.data!.reserveStock.reservation.id, status: 'OPEN' }]);
      // The idempotency record survived too: the retry a client makes after a crash is a replay.
      const retry = await graphql<{ reserveStock: { replayed: boolean } }>(
        again,
        'mutation { reserveStock(input: { idempotencyKey: "crash-1", channel: "amazon-br", orderReference: "AMZ-1", lines: [{ sku: "FON-BLUETOOTH", quantity: 2 }] }) { replayed } }',
        {},
        asGateway,
      );
      expect(retry.data!.reserveStock.replayed).toBe(true);
    } finally {
      const exited = new Promise((resolve) => second.child.once('exit', resolve));
      second.child.kill('SIGTERM');
      await exited;
    }
  });
});
