import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAmazonSandbox, SP_API_RATE_LIMITS, type AmazonSandbox } from '../../sandboxes/amazon/amazon-sandbox.ts';
import { SandboxControlClient } from '../../sandboxes/common/control-client.ts';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.ts';
import { Inbox } from '../platform-common/inbox.ts';
import { createLogger } from '../../kit/logger.ts';
import { migrate } from '../../kit/migrate.ts';
import { AmazonClient, orderPollIntervalFor, SP_API_USAGE_PLANS } from './client.ts';
import { AmazonOrderPoller } from './orders.ts';

/**
 * The order poller's default schedule against the sandbox's token buckets, both at Amazon's
 * published searchOrders plan (0.0056 requests/s, burst 20, orders_2026-01-01.json) with time
 * compressed by TIME_SCALE: the restore rate is multiplied, the burst is not, so the run
 * outlasts the burst many times over. The sandbox counts every 429 it answers.
 */
const TIME_SCALE = 1000;
/** Three bursts' worth of calls: a schedule faster than the restore rate would have met 429s long before. */
const POLLS = 60;
const log = createLogger('amazon-poll-schedule');

let sandbox: AmazonSandbox;
let control: SandboxControlClient;
let testDb: TestDatabase;

beforeAll(async () => {
  const { rate, burst } = SP_API_RATE_LIMITS.searchOrders;
  sandbox = createAmazonSandbox({ rateLimits: { searchOrders: { rate: rate * TIME_SCALE, burst } } });
  control = new SandboxControlClient(await sandbox.listen());
  testDb = await createTestDatabase('amazon');
  await migrate(testDb.db, new URL('../platform-common/migrations', import.meta.url).pathname);
});

afterAll(async () => {
  await testDb?.drop();
  await sandbox?.close();
});

describe('Amazon order polling schedule', () => {
  it('agrees with the sandbox on the published usage plan', () => {
    expect(SP_API_USAGE_PLANS.searchOrders).toEqual(SP_API_RATE_LIMITS.searchOrders);
    expect(SP_API_USAGE_PLANS.getOrder).toEqual(SP_API_RATE_LIMITS.getOrder);
    // One poll per restore interval as the client paces it: 198.5 s at Amazon's default plan.
    expect(orderPollIntervalFor(SP_API_USAGE_PLANS.searchOrders.rate)).toBe(198_413);
  });

  it('polls on its default schedule for many bursts\' worth of calls without one 429', async () => {
    const { rate, burst } = SP_API_USAGE_PLANS.searchOrders;
    const client = new AmazonClient({
      baseUrl: sandbox.url,
      lwa: { tokenUrl: `${sandbox.url}/auth/o2/token`, ...sandbox.lwa },
      sellerId: sandbox.sellerId,
      marketplaceId: sandbox.marketplaceId,
      rateLimits: { searchOrders: { rate: rate * TIME_SCALE, burst } },
      log,
    });
    const inbox = new Inbox({ db: testDb.db, log, handle: async () => {} });
    // No intervalMs: the poller takes the schedule from the client's usage plan.
    const poller = new AmazonOrderPoller({ db: testDb.db, client, inbox, log });
    expect(client.orderPollIntervalMs).toBe(orderPollIntervalFor(rate * TIME_SCALE));
    // A busy start: more orders than one page holds, then a steady trickle while polling.
    for (let index = 0; index < 150; index++) await control.placeOrder([{ sku: 'CAB-USBC', quantity: 1 }], { allowOversell: true });
    await control.clearCalls();
    poller.start();
    const trickle = setInterval(() => void control.placeOrder([{ sku: 'OCU-SOL', quantity: 1 }], { allowOversell: true }).catch(() => {}), 250);
    const started = performance.now();
    while ((await control.calls()).calls.filter((call) => call.operation === 'searchOrders').length < POLLS) await new Promise((resolve) => setTimeout(resolve, 200));
    const elapsedMs = Math.round(performance.now() - started);
    clearInterval(trickle);
    await poller.stop();
    // The orders it took in are being applied: done before the database goes away.
    await inbox.stop();
    client.close();

    const calls = await control.calls();
    const searches = calls.calls.filter((call) => call.operation === 'searchOrders');
    console.info(`searchOrders calls: ${searches.length} in ${elapsedMs} ms at ${TIME_SCALE}x Amazon's rate (burst ${burst}); rate-limited (429): ${calls.rateLimited}`);
    expect(searches.length).toBeGreaterThanOrEqual(POLLS);
    expect(calls.rateLimited).toBe(0);
    expect(searches.every((call) => call.status === 200)).toBe(true);
  }, 120_000);
});
