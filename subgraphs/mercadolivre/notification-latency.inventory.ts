/**
 * The rest of Ponte for notification-latency.bench.ts (inventory, catalog, gateway), in its own
 * thread: in production they are other processes, and their database work must not stall the
 * Mercado Livre subgraph's event loop in the measurement.
 */
import { parentPort } from 'node:worker_threads';
import { startPonte, TEST_GATEWAY_SECRET } from '../../test/support/ponte.ts';

const ponte = await startPonte();
parentPort!.postMessage({ inventoryUrl: ponte.inventoryUrl, gatewaySecret: TEST_GATEWAY_SECRET });
parentPort!.once('message', () => void ponte.close().then(() => process.exit(0)));
