import { afterEach, describe, expect, it } from 'vitest';
import { createShopifySandbox } from '../shopify/shopify-sandbox.ts';
import type { ShopifySandbox } from '../shopify/shopify-sandbox.ts';
import { FaultInjector } from './faults.ts';
import { TokenBucket } from './token-bucket.ts';
import { startWebhookReceiver } from './webhook-receiver.ts';
import type { WebhookReceiver } from './webhook-receiver.ts';
import { WebhookDispatcher } from './webhooks.ts';

describe('fault injection', () => {
  it('applies a fault for a number of calls or a period, to matching paths only', () => {
    let clock = 0;
    const faults = new FaultInjector(() => clock);
    faults.add({ mode: 'error', status: 500, calls: 2, pathPrefix: '/orders' });
    faults.add({ mode: 'slow', delayMs: 100, durationMs: 1_000, method: 'PUT' });
    expect(faults.take('GET', '/items/1')).toBeUndefined();
    expect(faults.take('GET', '/orders/1')).toMatchObject({ mode: 'error', status: 500 });
    expect(faults.take('GET', '/orders/2')).toMatchObject({ mode: 'error' });
    expect(faults.take('GET', '/orders/3')).toBeUndefined();
    expect(faults.take('PUT', '/items/1')).toMatchObject({ mode: 'slow', delayMs: 100 });
    clock = 1_000;
    expect(faults.take('PUT', '/items/1')).toBeUndefined();
    expect(() => faults.add({ mode: 'error', status: 200 })).toThrow(RangeError);
  });
});

describe('token bucket', () => {
  it('refills continuously up to its capacity', () => {
    let clock = 0;
    const bucket = new TokenBucket(10, 2, () => clock);
    expect(bucket.tryTake(8)).toBe(true);
    expect(bucket.tryTake(3)).toBe(false);
    expect(bucket.secondsUntil(3)).toBe(0.5);
    clock = 500;
    expect(bucket.tryTake(3)).toBe(true);
    clock = 60_000;
    expect(bucket.available).toBe(10);
  });
});

describe('webhook dispatcher', () => {
  let receiver: WebhookReceiver | undefined;
  let dispatcher: WebhookDispatcher | undefined;

  afterEach(async () => {
    dispatcher?.close();
    await receiver?.close();
  });

  it('holds events and releases them newest first; gives up after maxAttempts', async () => {
    receiver = await startWebhookReceiver((sequence) => (sequence <= 2 ? 200 : 500));
    dispatcher = new WebhookDispatcher({ retry: { maxAttempts: 2, initialDelayMs: 1, multiplier: 2, maxDelayMs: 5, timeoutMs: 5_000 } });
    const event = (id: string) => ({ eventId: id, topic: 'test', url: receiver?.url ?? '', render: () => ({ body: JSON.stringify({ id }), headers: { 'Content-Type': 'application/json' } }) });
    dispatcher.mode.hold = true;
    dispatcher.dispatch(event('first'));
    dispatcher.dispatch(event('second'));
    expect(dispatcher.heldCount).toBe(2);
    expect(dispatcher.release('reverse')).toBe(2);
    await dispatcher.settled();
    expect(receiver.received.map((delivery) => JSON.parse(delivery.rawBody).id)).toEqual(['second', 'first']);

    dispatcher.mode.hold = false;
    dispatcher.dispatch(event('failing'));
    await dispatcher.settled();
    expect(dispatcher.attempts.filter((attempt) => attempt.eventId === 'failing').map((attempt) => attempt.status)).toEqual([500, 500]);
  });

  it('counts an unreachable receiver as a failed attempt with the reason', async () => {
    dispatcher = new WebhookDispatcher({ retry: { maxAttempts: 1, initialDelayMs: 1, multiplier: 1, maxDelayMs: 1, timeoutMs: 5_000 } });
    dispatcher.dispatch({ eventId: 'lost', topic: 'test', url: 'http://127.0.0.1:1/nowhere', render: () => ({ body: '{}', headers: {} }) });
    await dispatcher.settled();
    expect(dispatcher.attempts[0]).toMatchObject({ ok: false, status: null, error: expect.stringMatching(/fetch failed|ECONNREFUSED/) });
  });
});

describe('control API', () => {
  let sandbox: ShopifySandbox | undefined;

  afterEach(async () => {
    await sandbox?.close();
  });

  it('validates requests and answers { error: { code, message } }', async () => {
    sandbox = createShopifySandbox();
    const url = await sandbox.listen();
    const post = (path: string, body: unknown) => fetch(`${url}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

    const badLines = await post('/_sandbox/orders', { lines: [{ sku: 'CAB-USBC', quantity: 0 }] });
    expect(badLines.status).toBe(400);
    expect(await badLines.json()).toEqual({ error: { code: 'BAD_REQUEST', message: 'lines[0] must be { sku: string, quantity: positive integer }' } });
    const unknownSku = await post('/_sandbox/orders', { lines: [{ sku: 'NOPE', quantity: 1 }] });
    expect(unknownSku.status).toBe(404);
    expect(((await unknownSku.json()) as { error: { code: string } }).error.code).toBe('SKU_NOT_LISTED');
    expect((await fetch(`${url}/_sandbox/nothing`)).status).toBe(404);
    expect((await post('/_sandbox/faults', { mode: 'explode' })).status).toBe(400);

    const seeded = await post('/_sandbox/seed', { products: [{ sku: 'ONLY-ONE', parentSku: null, title: 'Único', priceCents: 100, onHand: { 'cd-sao-paulo': 3 } }] });
    expect(await seeded.json()).toEqual({ products: 1, listings: 1 });
    const stock = (await (await fetch(`${url}/_sandbox/stock`)).json()) as { stock: Array<{ sku: string; quantity: number }> };
    expect(stock.stock).toEqual([{ sku: 'ONLY-ONE', quantity: 3, byLocation: { 'cd-sao-paulo': 3, '3pl-extrema': 0 } }]);
    // Control calls are not platform API calls: the log stays empty.
    expect(await (await fetch(`${url}/_sandbox/calls`)).json()).toMatchObject({ total: 0, rateLimited: 0 });
  });
});
