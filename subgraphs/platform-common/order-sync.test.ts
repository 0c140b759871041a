import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../kit/logger.ts';
import { migrate } from '../../kit/migrate.ts';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.ts';
import { InventoryClient } from './inventory-client.ts';
import { exceptionOperator, OrderSync } from './order-sync.ts';
import { principalFor, servicePrincipal } from '../../kit/identity.ts';

/**
 * An order line whose quantity no Int can hold (a platform bug, a forged payload) must not fail
 * every retry of its inbox message: it becomes an exception for review at once.
 */
let testDb: TestDatabase;
let sync: OrderSync;
const inventoryCalls: string[] = [];

beforeAll(async () => {
  testDb = await createTestDatabase('orders');
  await migrate(testDb.db, new URL('./migrations', import.meta.url).pathname);
  // Any call to the inventory is recorded and answered as an outage: these lines must not need one.
  const fetchRecorder: typeof fetch = async (_url, init) => {
    inventoryCalls.push(String(init?.body));
    throw new Error('inventory must not be called');
  };
  const inventory = new InventoryClient({ url: 'http://127.0.0.1:1/graphql', fetch: fetchRecorder });
  sync = new OrderSync({ db: testDb.db, inventory, platform: 'test', channel: 'web', log: createLogger('test') });
});
afterAll(async () => {
  await testDb?.drop();
});

describe('order lines with quantities Ponte cannot hold', () => {
  it.each([
    ['past 32 bits', 3_000_000_000],
    ['fractional', 1.5],
    ['hugely negative', -1e20],
  ])('a quantity %s is an INVALID_QUANTITY exception at once, with nothing asked of the inventory', async (_name, quantity) => {
    const orderId = `order-${String(quantity)}`;
    await sync.apply({ orderId, status: 'OPEN', lines: [{ lineId: 'line-1', sku: 'CAM-BASICA-M', quantity }] });
    expect(inventoryCalls).toEqual([]);
    const exception = (await sync.exceptions()).find((each) => each.orderId === orderId);
    expect(exception).toMatchObject({ lineId: 'line-1', code: 'INVALID_QUANTITY', quantity: 0 });
    expect(exception!.message).toContain(String(quantity));
    expect(await sync.lineStates(orderId)).toEqual([expect.objectContaining({ lineId: 'line-1', state: 'EXCEPTION' })]);

    await sync.apply({ orderId, status: 'CANCELLED', lines: [{ lineId: 'line-1', sku: 'CAM-BASICA-M', quantity }] });
    expect(await sync.lineStates(orderId)).toEqual([expect.objectContaining({ state: 'RELEASED' })]);
    expect((await sync.exceptions()).find((each) => each.orderId === orderId)).toBeUndefined();
  });

  it('a cancellation that arrives first, with such a quantity, leaves its tombstone', async () => {
    await sync.apply({ orderId: 'order-early-cancel', status: 'CANCELLED', lines: [{ lineId: 'line-1', sku: 'CAM-BASICA-M', quantity: 9e15 }] });
    expect(await sync.lineStates('order-early-cancel')).toEqual([expect.objectContaining({ state: 'RELEASED' })]);
    expect(inventoryCalls).toEqual([]);
  });
});

describe('who may act on an exception', () => {
  it('an operator is named; anyone without platform:write, or no one, is refused here too', () => {
    expect(exceptionOperator(principalFor('operator', { id: 'key:ana', name: 'Ana' }))).toEqual({ id: 'key:ana', name: 'Ana' });
    for (const principal of [principalFor('internal', { id: 'key:i', name: 'internal app' }), principalFor('partner', { id: 'key:p', name: '3pl' }), servicePrincipal('shopify')]) {
      expect(() => exceptionOperator(principal)).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
    }
    expect(() => exceptionOperator(undefined)).toThrow(expect.objectContaining({ code: 'UNAUTHENTICATED' }));
  });

  it('an unknown or malformed exception id is UNKNOWN_ORDER_EXCEPTION, with nothing asked of the inventory', async () => {
    const operator = { id: 'key:ana', name: 'Ana' };
    for (const id of ['999999', 'not-a-number', '1; DROP TABLE order_exceptions']) {
      await expect(sync.retryException(id, operator)).rejects.toMatchObject({ code: 'UNKNOWN_ORDER_EXCEPTION' });
      await expect(sync.dismissException({ id, reason: 'checked' }, operator)).rejects.toMatchObject({ code: 'UNKNOWN_ORDER_EXCEPTION' });
    }
    await expect(sync.resolveException({ id: '1', sku: ' ', idempotencyKey: 'k' }, operator)).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(inventoryCalls).toEqual([]);
  });

  it('a dismissal keeps the reason and the operator, and a closed exception refuses anything else', async () => {
    const operator = { id: 'key:ana', name: 'Ana' };
    await sync.apply({ orderId: 'order-dismiss', status: 'OPEN', lines: [{ lineId: 'line-1', sku: 'CAM-BASICA-M', quantity: 2.5 }] });
    const exception = (await sync.exceptions()).find((each) => each.orderId === 'order-dismiss')!;
    const dismissed = await sync.dismissException({ id: exception.id, reason: 'a test order' }, operator);
    expect(dismissed).toMatchObject({ resolution: 'dismissed: a test order', resolvedBy: 'Ana', resolvedAt: expect.any(String) });
    // The same dismissal again answers the same; anything else on a closed exception is refused.
    expect(await sync.dismissException({ id: exception.id, reason: 'a test order' }, operator)).toEqual(dismissed);
    await expect(sync.dismissException({ id: exception.id, reason: 'another reason' }, operator)).rejects.toMatchObject({ code: 'ORDER_EXCEPTION_CLOSED' });
    await expect(sync.resolveException({ id: exception.id, sku: 'CAM-BASICA-M', idempotencyKey: 'late' }, operator)).rejects.toMatchObject({ code: 'ORDER_EXCEPTION_CLOSED' });
    expect(inventoryCalls).toEqual([]);
  });
});

describe('the ship-to CEP goes to the inventory for routing', () => {
  it('sends a CEP written any usual way as 01310-100, and leaves out one that is not a CEP', async () => {
    const reserved: Array<Record<string, any>> = [];
    const answering: typeof fetch = async (_url, init) => {
      reserved.push(JSON.parse(String(init?.body)).variables.input);
      return new Response(JSON.stringify({ data: { reserveStock: { reservation: { id: String(reserved.length) } } } }), { headers: { 'content-type': 'application/json' } });
    };
    const routed = new OrderSync({ db: testDb.db, inventory: new InventoryClient({ url: 'http://127.0.0.1:1/graphql', fetch: answering }), platform: 'routing', channel: 'web', log: createLogger('test') });
    const order = (orderId: string, postalCode: string | null) => ({ orderId, status: 'OPEN' as const, lines: [{ lineId: 'l1', sku: 'CAM-BASICA-M', quantity: 1 }], shipTo: postalCode === null ? null : { postalCode } });
    await routed.apply(order('cep-hyphen', '01310-100'));
    await routed.apply(order('cep-digits', '90010000'));
    await routed.apply(order('cep-dotted', '01.310-100'));
    await routed.apply(order('cep-bad', '1234'));
    await routed.apply(order('cep-none', null));
    expect(reserved.map((input) => [input.orderReference, input.deliverTo ?? null])).toEqual([
      ['cep-hyphen', { postalCode: '01310-100' }],
      ['cep-digits', { postalCode: '90010-000' }],
      ['cep-dotted', { postalCode: '01310-100' }],
      ['cep-bad', null],
      ['cep-none', null],
    ]);
    expect(await routed.lineStates('cep-bad')).toEqual([expect.objectContaining({ state: 'RESERVED' })]);
  });
});
