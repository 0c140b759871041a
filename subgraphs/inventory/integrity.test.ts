import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPonteError } from '../../kit/errors.ts';
import { STOCK_CEILING } from './models.ts';
import { addFixtures, ledgerImbalances, ledgerSnapshot, seedLevel, startInventory, type InventoryHarness } from './test-fixtures.ts';

/**
 * Stock and totals never pass what a GraphQL Int carries, input strings are bounded, and one
 * failure never takes the rest of an answer with it (issue 6, findings 4 and 10).
 */
let inventory: InventoryHarness;
let keySequence = 0;
const key = () => `integrity-${++keySequence}`;
const actor = { name: 'integrity-test' };

beforeAll(async () => {
  inventory = await startInventory();
  await addFixtures(inventory.subgraph.db, {
    locations: [
      { id: 'north', priority: 1 },
      { id: 'south', priority: 2 },
      { id: 'east', priority: 3 },
    ],
    channel: { id: 'web', locations: ['north', 'south'] },
    skus: ['BIG-1', 'BIG-2', 'BIG-3', 'BIG-4', 'BIG-5', 'BIG-6', 'BIG-7', 'BIG-8', 'RACE-1', 'ALIAS-1', 'LEGACY', 'PLAIN-1', 'PLAIN-2', 'TEXT-1'],
  });
  await addFixtures(inventory.subgraph.db, { channel: { id: 'till', locations: ['south'], backordersAllowed: true } });
  await addFixtures(inventory.subgraph.db, { channel: { id: 'everywhere', locations: ['north', 'south', 'east'] } });
});
afterAll(async () => {
  await inventory?.close();
});

async function levelsOf(sku: string) {
  return inventory.subgraph.db.query<{ locationId: string; onHand: number; committed: number; incoming: number; safetyStock: number }>(
    'SELECT location_id AS "locationId", on_hand AS "onHand", committed, incoming, safety_stock AS "safetyStock" FROM stock_levels WHERE sku = $1 ORDER BY location_id',
    [sku],
  );
}

async function expectRefusedAndUnchanged(mutation: string, variables: Record<string, unknown>, code: string, extensions: Record<string, unknown> = {}) {
  const before = await ledgerSnapshot(inventory.subgraph.db);
  const result = await inventory.execute(mutation, variables);
  expect(result.errors?.[0]?.extensions).toMatchObject({ code, ...extensions });
  expect(result.errors?.[0]?.message).toBeTruthy();
  expect(await ledgerSnapshot(inventory.subgraph.db)).toEqual(before);
  return result;
}

const RECEIVE = 'mutation($input: ReceiveStockInput!) { receiveStock(input: $input) { levels { onHand } } }';

describe('the stock ceiling', () => {
  it(`refuses a receipt that would take a level past ${STOCK_CEILING}, and accepts one that reaches it`, async () => {
    await seedLevel(inventory.subgraph.db, 'BIG-1', 'north', { onHand: STOCK_CEILING - 10 });
    const refused = await expectRefusedAndUnchanged(RECEIVE, { input: { idempotencyKey: key(), sku: 'BIG-1', location: 'north', quantity: 11 } }, 'QUANTITY_LIMIT_EXCEEDED', {
      sku: 'BIG-1',
      field: 'onHand',
      limit: STOCK_CEILING,
    });
    expect(refused.data?.receiveStock ?? null).toBeNull();
    const reached = await inventory.execute(RECEIVE, { input: { idempotencyKey: key(), sku: 'BIG-1', location: 'north', quantity: 10 } });
    expect(reached.errors).toBeUndefined();
    expect(reached.data!.receiveStock.levels[0].onHand).toBe(STOCK_CEILING);
  });

  it("counts a SKU's units at every location against the ceiling", async () => {
    await seedLevel(inventory.subgraph.db, 'BIG-2', 'north', { onHand: STOCK_CEILING - 500_000 });
    await expectRefusedAndUnchanged(RECEIVE, { input: { idempotencyKey: key(), sku: 'BIG-2', location: 'south', quantity: 500_001 } }, 'QUANTITY_LIMIT_EXCEEDED', { field: 'onHand' });
    const within = await inventory.execute(RECEIVE, { input: { idempotencyKey: key(), sku: 'BIG-2', location: 'south', quantity: 500_000 } });
    expect(within.errors).toBeUndefined();
  });

  // Each row: SKU, what to seed, the write that would pass the ceiling, the column named.
  const writes: Array<[string, string, Parameters<typeof seedLevel>[3] & { at: string }, string, (sku: string) => Record<string, unknown>, string]> = [
    ['adjustStock up', 'BIG-3', { at: 'north', onHand: STOCK_CEILING - 1 }, 'mutation($input: AdjustStockInput!) { adjustStock(input: $input) { replayed } }', (sku) => ({ sku, location: 'south', delta: 2, reason: 'found' }), 'onHand'],
    ['setStock', 'BIG-4', { at: 'north', onHand: STOCK_CEILING - 1 }, 'mutation($input: SetStockInput!) { setStock(input: $input) { replayed } }', (sku) => ({ sku, location: 'south', quantity: 2 }), 'onHand'],
    ['returnStock', 'BIG-5', { at: 'east', onHand: STOCK_CEILING }, 'mutation($input: ReturnStockInput!) { returnStock(input: $input) { replayed } }', (sku) => ({ sku, location: 'north', quantity: 1 }), 'onHand'],
    ['recordIncomingStock', 'BIG-6', { at: 'north', incoming: STOCK_CEILING - 3 }, 'mutation($input: RecordIncomingStockInput!) { recordIncomingStock(input: $input) { replayed } }', (sku) => ({ sku, location: 'south', delta: 4 }), 'incoming'],
    ['setSafetyStock', 'BIG-7', { at: 'north', safetyStock: STOCK_CEILING - 3 }, 'mutation($input: SetSafetyStockInput!) { setSafetyStock(input: $input) { replayed } }', (sku) => ({ sku, location: 'south', quantity: 4 }), 'safetyStock'],
    [
      'reserveStock on a channel that sells past zero',
      'BIG-8',
      { at: 'south', committed: STOCK_CEILING - 3 },
      'mutation($input: ReserveStockInput!) { reserveStock(input: $input) { replayed } }',
      (sku) => ({ channel: 'till', orderReference: 'till-1', lines: [{ sku, quantity: 4 }] }),
      'committed',
    ],
  ];

  it.each(writes)('%s past the ceiling is QUANTITY_LIMIT_EXCEEDED and changes nothing', async (_name, sku, seed, mutation, input, field) => {
    const { at, ...level } = seed;
    await seedLevel(inventory.subgraph.db, sku, at, level);
    await expectRefusedAndUnchanged(mutation, { input: { idempotencyKey: key(), ...input(sku) } }, 'QUANTITY_LIMIT_EXCEEDED', { sku, field });
  });

  it('still lets stock at the ceiling go down and move between locations', async () => {
    const down = await inventory.execute('mutation($input: AdjustStockInput!) { adjustStock(input: $input) { levels { onHand } } }', {
      input: { idempotencyKey: key(), sku: 'BIG-1', location: 'north', delta: -5, reason: 'damaged' },
    });
    expect(down.data!.adjustStock.levels[0].onHand).toBe(STOCK_CEILING - 5);
    const moved = await inventory.execute('mutation($input: TransferStockInput!) { transferStock(input: $input) { levels { onHand location { id } } } }', {
      input: { idempotencyKey: key(), sku: 'BIG-1', fromLocation: 'north', toLocation: 'east', quantity: 1_000_000 },
    });
    expect(moved.errors).toBeUndefined();
    expect(moved.data!.transferStock.levels).toEqual([
      { onHand: STOCK_CEILING - 1_000_005, location: { id: 'north' } },
      { onHand: 1_000_000, location: { id: 'east' } },
    ]);
  });

  it('never lets two writers at different locations pass the ceiling together', async () => {
    await seedLevel(inventory.subgraph.db, 'RACE-1', 'north', { onHand: STOCK_CEILING - 1_500_000 });
    const outcomes = await Promise.allSettled(
      ['south', 'east', 'north', 'south'].map((location, index) =>
        inventory.subgraph.service.receiveStock({ idempotencyKey: `race-ceiling-${index}`, sku: 'RACE-1', location, quantity: 1_000_000 }, actor),
      ),
    );
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected') expect(isPonteError(outcome.reason) && outcome.reason.code).toBe('QUANTITY_LIMIT_EXCEEDED');
    }
    const total = (await levelsOf('RACE-1')).reduce((sum, level) => sum + level.onHand, 0);
    expect(total).toBe(STOCK_CEILING - 500_000);
  });

  it.each([
    ['a 2147483647 receipt', RECEIVE, { idempotencyKey: 'huge-1', sku: 'PLAIN-1', location: 'north', quantity: 2_147_483_647 }, 'INVALID_QUANTITY'],
    ['a -2147483648 adjustment', 'mutation($input: AdjustStockInput!) { adjustStock(input: $input) { replayed } }', { idempotencyKey: 'huge-2', sku: 'PLAIN-1', location: 'north', delta: -2_147_483_648, reason: 'x' }, 'INVALID_QUANTITY'],
    ['a 2147483647 incoming delta', 'mutation($input: RecordIncomingStockInput!) { recordIncomingStock(input: $input) { replayed } }', { idempotencyKey: 'huge-3', sku: 'PLAIN-1', location: 'north', delta: 2_147_483_647 }, 'INVALID_QUANTITY'],
    ['a quantity past 32 bits', RECEIVE, { idempotencyKey: 'huge-4', sku: 'PLAIN-1', location: 'north', quantity: 2_147_483_648 }, 'BAD_USER_INPUT'],
    ['a string for an Int', RECEIVE, { idempotencyKey: 'huge-5', sku: 'PLAIN-1', location: 'north', quantity: 'ten' }, 'BAD_USER_INPUT'],
  ])('refuses %s with a typed error', async (_name, mutation, input, code) => {
    await expectRefusedAndUnchanged(mutation, { input }, code);
  });
});

describe('one failure stays where it happened', () => {
  it('answers the other aliases of a mutation request when one fails', async () => {
    await seedLevel(inventory.subgraph.db, 'ALIAS-1', 'north', { onHand: STOCK_CEILING - 1 });
    const result = await inventory.execute(
      `mutation {
        first: receiveStock(input: { idempotencyKey: "${key()}", sku: "PLAIN-2", location: "north", quantity: 3 }) { levels { onHand } }
        overflow: receiveStock(input: { idempotencyKey: "${key()}", sku: "ALIAS-1", location: "south", quantity: 2 }) { levels { onHand } }
        last: receiveStock(input: { idempotencyKey: "${key()}", sku: "PLAIN-2", location: "north", quantity: 4 }) { levels { onHand } }
      }`,
    );
    expect(result.data).toEqual({ first: { levels: [{ onHand: 3 }] }, overflow: null, last: { levels: [{ onHand: 7 }] } });
    expect(result.errors).toEqual([expect.objectContaining({ path: ['overflow'], extensions: expect.objectContaining({ code: 'QUANTITY_LIMIT_EXCEEDED' }) })]);
  });

  it('keeps the rest of a product list when one product holds more than an Int can carry', async () => {
    // Written around the service (as a database from before the ceiling might hold): three
    // levels each within the per-level constraint, whose sum is not.
    for (const location of ['north', 'south', 'east']) {
      await inventory.subgraph.db.query('INSERT INTO stock_levels (sku, location_id, on_hand) VALUES ($1, $2, $3)', ['LEGACY', location, STOCK_CEILING]);
    }
    try {
      const list = await inventory.execute('{ products(skus: ["PLAIN-2", "LEGACY", "BIG-2"]) { nodes { sku totalAvailable } } }');
      expect(list.data!.products.nodes).toEqual([{ sku: 'PLAIN-2', totalAvailable: 7 }, null, { sku: 'BIG-2', totalAvailable: STOCK_CEILING }]);
      expect(list.errors).toEqual([
        expect.objectContaining({ path: ['products', 'nodes', 1, 'totalAvailable'], extensions: expect.objectContaining({ code: 'QUANTITY_LIMIT_EXCEEDED', sku: 'LEGACY' }) }),
      ]);

      const channel = await inventory.execute('{ channel(id: "everywhere") { availability(skus: ["PLAIN-2", "LEGACY"]) { sku quantity } } }');
      expect(channel.data!.channel.availability).toEqual([{ sku: 'PLAIN-2', quantity: 7 }, null]);
      expect(channel.errors?.[0]).toMatchObject({ path: ['channel', 'availability', 1], extensions: { code: 'QUANTITY_LIMIT_EXCEEDED' } });
    } finally {
      await inventory.subgraph.db.query(`DELETE FROM stock_levels WHERE sku = 'LEGACY'`);
    }
  });
});

describe('bounded strings', () => {
  const long = (length: number) => 'x'.repeat(length);
  const receive = (input: Record<string, unknown>) => [RECEIVE, { input: { idempotencyKey: key(), sku: 'TEXT-1', location: 'north', quantity: 1, ...input } }] as const;
  const reserve = (input: Record<string, unknown>, line: Record<string, unknown> = {}) =>
    ['mutation($input: ReserveStockInput!) { reserveStock(input: $input) { replayed } }', { input: { idempotencyKey: key(), channel: 'web', orderReference: 'o-1', lines: [{ sku: 'TEXT-1', quantity: 1, ...line }], ...input } }] as const;

  // Each row: what is wrong, the request, the field the error must name.
  const cases: Array<[string, readonly [string, Record<string, unknown>], string]> = [
    ['a 501-character reason', receive({ reason: long(501) }), 'reason'],
    ['a 900 KB reason', receive({ reason: long(900_000) }), 'reason'],
    ['a 201-character reference', receive({ reference: long(201) }), 'reference'],
    ['a 201-character idempotency key', receive({ idempotencyKey: long(201) }), 'idempotencyKey'],
    ['a 101-character SKU', receive({ sku: long(101) }), 'sku'],
    ['a control character in a SKU', receive({ sku: 'TEXT-1\u0007' }), 'sku'],
    ['a newline in a location id', receive({ location: 'north\n' }), 'location'],
    ['a NUL in a reason', receive({ reason: 'ok\u0000then' }), 'input.reason'],
    ['a NUL in a SKU', receive({ sku: 'TEXT\u0000-1' }), 'input.sku'],
    ['a 201-character order reference', reserve({ orderReference: long(201) }), 'orderReference'],
    ['a 201-character line reference', reserve({}, { lineReference: long(201) }), 'lines[0].lineReference'],
    ['a control character in a channel id', reserve({ channel: 'web\u001b' }), 'channel'],
    ['a 501-character release reason', ['mutation($input: ReservationActionInput!) { releaseReservation(input: $input) { replayed } }', { input: { idempotencyKey: key(), reservationId: '1', reason: long(501) } }], 'reason'],
    ['a NUL in a registered SKU', ['mutation($input: RegisterProductsInput!) { registerProducts(input: $input) { replayed } }', { input: { idempotencyKey: key(), skus: ['OK-1', 'BAD\u0000'] } }], 'input.skus[1]'],
  ];

  it.each(cases)('refuses %s with BAD_USER_INPUT naming the field, storing nothing', async (_name, [mutation, variables], field) => {
    const result = await expectRefusedAndUnchanged(mutation, variables, 'BAD_USER_INPUT', { field });
    expect(result.data?.receiveStock ?? result.data?.reserveStock ?? null).toBeNull();
    const idempotencyKey = (variables.input as { idempotencyKey: string }).idempotencyKey;
    expect(await inventory.subgraph.db.query('SELECT 1 FROM idempotency_keys WHERE key = $1', [idempotencyKey])).toEqual([]);
  });

  it('refuses a NUL in a query argument written in the document', async () => {
    const result = await inventory.execute('{ product(sku: "TEXT\\u0000-1") { sku } }');
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'sku' });
  });

  it('accepts strings at their limits', async () => {
    const [mutation, variables] = receive({ reason: long(500), reference: long(200), idempotencyKey: `k${long(199)}` });
    const result = await inventory.execute(mutation, variables);
    expect(result.errors).toBeUndefined();
    const [movement] = await inventory.subgraph.db.query<{ reason: string }>(`SELECT reason FROM stock_movements WHERE sku = 'TEXT-1' ORDER BY id DESC LIMIT 1`);
    expect(movement!.reason).toHaveLength(500);
  });
});

describe('ledger', () => {
  it('still balances', async () => {
    expect(await ledgerImbalances(inventory.subgraph.db)).toEqual([]);
  });
});
