import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRINCIPAL_HEADER, type Principal } from '../../kit/principal.ts';
import { eventually } from '../support/eventually.ts';
import { graphql, startPonte, type RunningPonte } from '../support/ponte.ts';
import { subscribe, type TestSubscription } from '../support/subscriptions.ts';

/**
 * Subscription fan-out through the whole system: identical subscriptions are one subscription at
 * the inventory (counted at its stock feed) and one catalog fetch per event, while each
 * subscriber still gets every event, is audited and ends on its own.
 */
let ponte: RunningPonte;
const ADMIN: Principal = { id: 'key:test-admin', name: 'Test admin', role: 'admin', scopes: ['admin'] };
const FOLLOW = 'subscription Follow($sku: ID!) { stockChanged(skus: [$sku]) { sku kind level { onHand } product { title } } }';
type Event = { stockChanged: { sku: string; kind: string; level: { onHand: number }; product: { title: string } } };

/** Subscriptions the inventory is serving now (the gateway's response cache follows the feed too). */
const atInventory = () => ponte.inventory.stockEvents.subscriberCount;
let catalogRequests = 0;
let idempotency = 0;

async function receive(sku: string, quantity: number): Promise<void> {
  const answer = await graphql(ponte.gatewayUrl, `mutation { receiveStock(input: { idempotencyKey: "fan-out-${++idempotency}", sku: "${sku}", location: "loja-rio", quantity: ${quantity} }) { replayed } }`);
  expect(answer.errors).toBeUndefined();
}

async function auditedStarts(operation: string): Promise<Array<Record<string, unknown>>> {
  await ponte.gateway.audit?.flush();
  const response = await ponte.access.server.apollo.executeOperation(
    { query: 'query($filter: AuditLogFilter) { auditLog(filter: $filter, first: 50) { nodes { principalId operationType outcome } } }', variables: { filter: { operation } } },
    { contextValue: ponte.access.context({ [PRINCIPAL_HEADER]: JSON.stringify(ADMIN) }) },
  );
  if (response.body.kind !== 'single') throw new Error('expected a single result');
  return (response.body.singleResult.data as { auditLog: { nodes: Array<Record<string, unknown>> } }).auditLog.nodes;
}

async function closeAll(subscriptions: Array<TestSubscription<unknown>>): Promise<void> {
  await Promise.all(subscriptions.map((subscription) => subscription.close()));
}

beforeAll(async () => {
  ponte = await startPonte();
  ponte.catalog.server.httpServer.on('request', () => catalogRequests++);
});
afterAll(async () => {
  await ponte?.close();
});

describe('subscription fan-out', () => {
  it('gives identical subscribers every event once and in order from one upstream subscription and one catalog fetch per event', async () => {
    const baseline = await eventually(async () => atInventory(), () => true, 'the inventory feed');
    const subscribers = Array.from({ length: 6 }, () => subscribe<Event>(ponte.gatewayUrl, FOLLOW, { sku: 'CAF-GRAOS-1KG' }, { as: 'internal' }));
    await Promise.all(subscribers.map((subscriber) => subscriber.started));
    await eventually(async () => atInventory(), (count) => count === baseline + 1, 'one upstream subscription at the inventory');

    const before = catalogRequests;
    const received = subscribers.map(() => [] as number[]);
    for (let quantity = 1; quantity <= 3; quantity++) {
      await receive('CAF-GRAOS-1KG', quantity);
      const events = await Promise.all(subscribers.map((subscriber) => subscriber.next(15_000)));
      events.forEach((event, index) => {
        expect(event.stockChanged).toMatchObject({ sku: 'CAF-GRAOS-1KG', kind: 'RECEIPT', product: { title: expect.any(String) } });
        received[index]!.push(event.stockChanged.level.onHand);
      });
    }
    // Each subscriber saw the three receipts in the order they were made, each once.
    for (const onHands of received) expect(onHands).toEqual(received[0]);
    expect(received[0]![1]! - received[0]![0]!).toBe(2);
    expect(received[0]![2]! - received[0]![1]!).toBe(3);
    // One evaluation per event: the catalog is asked for the title three times, not eighteen.
    expect(catalogRequests - before).toBe(3);
    expect(atInventory()).toBe(baseline + 1);

    // Each subscriber's start is still audited on its own.
    const audited = await eventually(() => auditedStarts('Follow'), (entries) => entries.length >= 6, 'six audited subscription starts');
    expect(audited.filter((entry) => entry.operationType === 'subscription' && entry.outcome === 'ok' && entry.principalId === 'key:test-internal')).toHaveLength(6);

    // The upstream lives while one sharer is left, and ends with the last.
    await closeAll(subscribers.slice(1));
    await receive('CAF-GRAOS-1KG', 1);
    expect((await subscribers[0]!.next(15_000)).stockChanged.sku).toBe('CAF-GRAOS-1KG');
    expect(atInventory()).toBe(baseline + 1);
    await subscribers[0]!.close();
    await eventually(async () => atInventory(), (count) => count === baseline, 'the upstream subscription ended with its last subscriber');
  });

  it('does not share between different variables or different scopes', async () => {
    const baseline = await eventually(async () => atInventory(), () => true, 'the inventory feed');
    const internalCafe = subscribe<Event>(ponte.gatewayUrl, FOLLOW, { sku: 'CAF-GRAOS-1KG' }, { as: 'internal' });
    const internalCafeAgain = subscribe<Event>(ponte.gatewayUrl, FOLLOW, { sku: 'CAF-GRAOS-1KG' }, { as: 'internal' });
    const internalLantern = subscribe<Event>(ponte.gatewayUrl, FOLLOW, { sku: 'LAN-CAMPING' }, { as: 'internal' });
    const operatorCafe = subscribe<Event>(ponte.gatewayUrl, FOLLOW, { sku: 'CAF-GRAOS-1KG' }, { as: 'operator' });
    const all = [internalCafe, internalCafeAgain, internalLantern, operatorCafe];
    await Promise.all(all.map((subscription) => subscription.started));
    await eventually(async () => atInventory(), (count) => count === baseline + 3, 'three upstream subscriptions: two SKUs for internal, one for the operator');

    await receive('LAN-CAMPING', 1);
    expect((await internalLantern.next(15_000)).stockChanged.sku).toBe('LAN-CAMPING');
    await receive('CAF-GRAOS-1KG', 1);
    for (const subscription of [internalCafe, internalCafeAgain, operatorCafe]) expect((await subscription.next(15_000)).stockChanged.sku).toBe('CAF-GRAOS-1KG');

    await closeAll(all);
    await eventually(async () => atInventory(), (count) => count === baseline, 'every upstream subscription ended');
  });
});
