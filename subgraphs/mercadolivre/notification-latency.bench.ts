/**
 * How fast the Mercado Livre notification callback answers under load. Mercado Livre wants a 200
 * within 500 ms and switches a topic off when its notifications go unanswered, so the receiver
 * only checks and stores (the inbox worker reads the order later).
 *
 *   npx node subgraphs/mercadolivre/notification-latency.bench.ts            # embedded PGlite
 *   DATABASE_URL=postgres://root@127.0.0.1:5432/test npx node subgraphs/mercadolivre/notification-latency.bench.ts
 *
 * The Mercado Livre subgraph and sandbox in the main thread, inventory/catalog/gateway in another
 * (other processes in production), the sender in a third; ROUNDS rounds of CONCURRENCY genuine notifications about distinct real orders, all sent at
 * once, while the inbox worker processes the earlier rounds. Prints p50 / p99 / max answer time.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Worker } from 'node:worker_threads';
import { demoProducts } from '../../demo/catalog.ts';
import { defaultSeedFor } from '../../sandboxes/common/catalog.ts';
import { SandboxControlClient } from '../../sandboxes/common/control-client.ts';
import { createMercadoLivreSandbox } from '../../sandboxes/mercadolivre/mercadolivre-sandbox.ts';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.ts';
import { sandboxPlatform } from '../../test/support/mercadolivre.ts';
import { createLogger } from '../../kit/logger.ts';
import { createMercadoLivreSubgraph, type MercadoLivreSubgraph } from './index.ts';

const CONCURRENCY = Number(process.env['CONCURRENCY'] ?? 200);
const ROUNDS = Number(process.env['ROUNDS'] ?? 5);
const log = createLogger('ml-notification-bench');

const seed = defaultSeedFor('MERCADO_LIVRE');
seed.products = seed.products.map((product) => ({ ...product, onHand: Object.fromEntries(Object.keys(product.onHand).map((code) => [code, 100_000])) }));
// Notifications are sent by the bench itself, all at once: the sandbox's own delivery stays off.
const sandbox = createMercadoLivreSandbox({ seed });
const control = new SandboxControlClient(await sandbox.listen());
// Inventory, catalog and gateway in their own thread, as they are other processes in production.
const rest = new Worker(new URL('./notification-latency.inventory.ts', import.meta.url));
const { inventoryUrl, gatewaySecret } = await new Promise<{ inventoryUrl: string; gatewaySecret: string }>((resolve, reject) => {
  rest.once('message', resolve);
  rest.once('error', reject);
});
const database: TestDatabase = await createTestDatabase('mercadolivre_bench');
const ml: MercadoLivreSubgraph = await createMercadoLivreSubgraph({
  database: database.db,
  log,
  gatewaySecret,
  inventoryUrl,
  platform: sandboxPlatform(sandbox),
  stockSync: false,
});
const notificationUrl = new URL(ml.notificationsPath, await ml.server.listen(0, '127.0.0.1')).toString();

// The noise floor: a bare HTTP server that answers 200 at once, under the same bursts, in the
// same process. On a shared, busy machine it shows how much of the figure is the machine.
const bare = createServer((request, response) => {
  request.resume();
  request.on('end', () => response.writeHead(200, { 'content-type': 'application/json' }).end('{"received":true}'));
});
await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));
const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}/`;

function send(url: string, bodies: string[]): Promise<number[]> {
  // The sender runs in its own thread: only the receiver's work is timed.
  return new Promise<number[]>((resolve, reject) => {
    const sender = new Worker(new URL('./notification-latency.load.ts', import.meta.url), { workerData: { url, bodies } });
    sender.once('message', resolve);
    sender.once('error', reject);
  });
}

const skus = demoProducts.map((product) => product.sku).filter((sku) => seed.products.some((product) => product.sku === sku));
const timings: number[] = [];
const baseline: number[] = [];
try {
  for (let round = 0; round < ROUNDS; round++) {
    const orders = [];
    for (let index = 0; index < CONCURRENCY; index++) orders.push(await control.placeOrder([{ sku: skus[index % skus.length]!, quantity: 1 }], { allowOversell: true }));
    const now = new Date().toISOString();
    const bodies = orders.map((order, index) =>
      JSON.stringify({ _id: `bench-${round}-${index}`, resource: `/orders/${order.id}`, user_id: sandbox.userId, topic: 'orders_v2', application_id: sandbox.application.applicationId, attempts: 1, sent: now, received: now }),
    );
    const answers = await send(notificationUrl, bodies);
    baseline.push(...(await send(bareUrl, bodies)));
    timings.push(...answers);
  }
  const summary = (values: number[]) => {
    const sorted = [...values].sort((left, right) => left - right);
    const at = (quantile: number) => sorted[Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1)]!.toFixed(1);
    return `p50 ${at(0.5)} ms, p99 ${at(0.99)} ms, max ${sorted.at(-1)!.toFixed(1)} ms; over 500 ms: ${sorted.filter((ms) => ms > 500).length}`;
  };
  console.log(`Mercado Livre notification callback, ${ROUNDS} rounds x ${CONCURRENCY} concurrent (${timings.length} notifications, ${ml.db.driver}): ${summary(timings)}`);
  console.log(`noise floor (bare HTTP server, same bursts, same process): ${summary(baseline)}`);
} finally {
  bare.close();
  await ml.close();
  await database.drop();
  await sandbox.close();
  rest.postMessage('close');
  await new Promise((resolve) => rest.once('exit', resolve));
}
