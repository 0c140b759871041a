import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addFixtures, ledgerImbalances, ledgerSnapshot, startInventory, type InventoryHarness } from './test-fixtures.ts';

const LEVEL = 'sku onHand committed safetyStock incoming available location { id }';
const STOCK_CHANGE = `movements { kind sku delta committedDelta actor reason reference idempotencyKey location { id } } levels { ${LEVEL} } replayed`;
const RESERVATION = `reservation { id status orderReference channel { id } lines { sku quantity lineReference location { id } } } movements { kind delta committedDelta } levels { ${LEVEL} } replayed`;

let inventory: InventoryHarness;
let keySequence = 0;
const key = () => `test-key-${++keySequence}`;

beforeAll(async () => {
  inventory = await startInventory();
  await addFixtures(inventory.subgraph.db, {
    locations: [
      { id: 'north', priority: 1 },
      { id: 'south', priority: 2 },
    ],
    channel: { id: 'web', locations: ['north', 'south'] },
    skus: ['TEE-M', 'TEE-L', 'MUG', 'CAP', 'BAG', 'SOCK', 'BELT', 'HAT'],
  });
  await addFixtures(inventory.subgraph.db, { channel: { id: 'store', locations: ['south'], backordersAllowed: true } });
});
afterAll(async () => {
  await inventory?.close();
});

async function receive(sku: string, location: string, quantity: number) {
  const result = await inventory.execute(`mutation($input: ReceiveStockInput!) { receiveStock(input: $input) { ${STOCK_CHANGE} } }`, {
    input: { idempotencyKey: key(), sku, location, quantity, reason: 'purchase order', reference: 'PO-1' },
  });
  expect(result.errors).toBeUndefined();
  return result.data!.receiveStock;
}

async function level(sku: string, location: string) {
  const result = await inventory.execute(`query($sku: ID!, $l: [ID!]) { product(sku: $sku) { stockLevels(locations: $l) { ${LEVEL} } } }`, { sku, l: [location] });
  return result.data!.product.stockLevels[0] ?? { onHand: 0, committed: 0, available: 0, incoming: 0, safetyStock: 0 };
}

describe('stock operations', () => {
  it('receives stock into a location and writes it to the ledger with the actor', async () => {
    const result = await receive('TEE-M', 'north', 10);
    expect(result.levels).toEqual([expect.objectContaining({ sku: 'TEE-M', onHand: 10, committed: 0, available: 10, location: { id: 'north' } })]);
    expect(result.movements).toEqual([
      expect.objectContaining({ kind: 'RECEIPT', delta: 10, committedDelta: 0, actor: 'test-partner', reason: 'purchase order', reference: 'PO-1' }),
    ]);
    expect(result.replayed).toBe(false);
  });

  it('adjusts by a delta with a reason, and refuses to take on-hand below zero', async () => {
    await receive('MUG', 'north', 4);
    const down = await inventory.execute(`mutation { adjustStock(input: { idempotencyKey: "${key()}", sku: "MUG", location: "north", delta: -3, reason: "broken" }) { ${STOCK_CHANGE} } }`);
    expect(down.data!.adjustStock.levels[0]).toMatchObject({ onHand: 1 });
    expect(down.data!.adjustStock.movements[0]).toMatchObject({ kind: 'ADJUSTMENT', delta: -3, reason: 'broken' });
    const tooMuch = await inventory.execute(`mutation { adjustStock(input: { idempotencyKey: "${key()}", sku: "MUG", location: "north", delta: -2, reason: "lost" }) { replayed } }`);
    expect(tooMuch.errors?.[0]?.extensions?.code).toBe('INSUFFICIENT_STOCK');
    expect(await level('MUG', 'north')).toMatchObject({ onHand: 1 });
  });

  it('sets an absolute quantity with compare-and-set, failing on a stale expectation', async () => {
    await receive('CAP', 'north', 7);
    const stale = await inventory.execute(`mutation { setStock(input: { idempotencyKey: "${key()}", sku: "CAP", location: "north", quantity: 3, changeFromQuantity: 6 }) { replayed } }`);
    expect(stale.errors?.[0]?.extensions).toMatchObject({ code: 'CHANGE_FROM_QUANTITY_STALE', onHand: 7 });
    expect(await level('CAP', 'north')).toMatchObject({ onHand: 7 });
    const fresh = await inventory.execute(`mutation { setStock(input: { idempotencyKey: "${key()}", sku: "CAP", location: "north", quantity: 3, changeFromQuantity: 7, reason: "cycle count" }) { ${STOCK_CHANGE} } }`);
    expect(fresh.data!.setStock.movements[0]).toMatchObject({ kind: 'COUNT', delta: -4 });
    expect(fresh.data!.setStock.levels[0]).toMatchObject({ onHand: 3 });
  });

  it('transfers between locations and refuses to move units that are not available', async () => {
    await receive('BAG', 'north', 5);
    const moved = await inventory.execute(`mutation { transferStock(input: { idempotencyKey: "${key()}", sku: "BAG", fromLocation: "north", toLocation: "south", quantity: 2 }) { ${STOCK_CHANGE} } }`);
    expect(moved.data!.transferStock.movements.map((m: { kind: string; delta: number }) => [m.kind, m.delta])).toEqual([['TRANSFER_OUT', -2], ['TRANSFER_IN', 2]]);
    expect(await level('BAG', 'north')).toMatchObject({ onHand: 3 });
    expect(await level('BAG', 'south')).toMatchObject({ onHand: 2 });
    const tooMany = await inventory.execute(`mutation { transferStock(input: { idempotencyKey: "${key()}", sku: "BAG", fromLocation: "north", toLocation: "south", quantity: 4 }) { replayed } }`);
    expect(tooMany.errors?.[0]?.extensions).toMatchObject({ code: 'INSUFFICIENT_STOCK', available: 3 });
  });

  it('tracks incoming units and settles them on receipt', async () => {
    const ordered = await inventory.execute(`mutation { recordIncomingStock(input: { idempotencyKey: "${key()}", sku: "SOCK", location: "north", delta: 12, reference: "PO-9" }) { levels { incoming onHand } } }`);
    expect(ordered.data!.recordIncomingStock.levels[0]).toEqual({ incoming: 12, onHand: 0 });
    const received = await inventory.execute(`mutation { receiveStock(input: { idempotencyKey: "${key()}", sku: "SOCK", location: "north", quantity: 10, fromIncoming: true }) { levels { incoming onHand } } }`);
    expect(received.data!.receiveStock.levels[0]).toEqual({ incoming: 2, onHand: 10 });
  });

  it('holds safety stock back from available', async () => {
    await receive('BELT', 'north', 10);
    const result = await inventory.execute(`mutation { setSafetyStock(input: { idempotencyKey: "${key()}", sku: "BELT", location: "north", quantity: 4 }) { levels { onHand safetyStock available } } }`);
    expect(result.data!.setSafetyStock.levels[0]).toEqual({ onHand: 10, safetyStock: 4, available: 6 });
  });
});

describe('reservations', () => {
  it('reserves at the highest-priority location that can take the whole line, then the next', async () => {
    await receive('TEE-L', 'north', 2);
    await receive('TEE-L', 'south', 5);
    const first = await inventory.execute(`mutation { reserveStock(input: { idempotencyKey: "${key()}", channel: "web", orderReference: "order-1", lines: [{ sku: "TEE-L", quantity: 2, lineReference: "line-a" }] }) { ${RESERVATION} } }`);
    expect(first.errors).toBeUndefined();
    expect(first.data!.reserveStock.reservation).toMatchObject({ status: 'OPEN', orderReference: 'order-1', channel: { id: 'web' }, lines: [{ sku: 'TEE-L', quantity: 2, lineReference: 'line-a', location: { id: 'north' } }] });
    const second = await inventory.execute(`mutation { reserveStock(input: { idempotencyKey: "${key()}", channel: "web", orderReference: "order-2", lines: [{ sku: "TEE-L", quantity: 3 }] }) { ${RESERVATION} } }`);
    expect(second.data!.reserveStock.reservation.lines[0].location.id).toBe('south');
    expect(await level('TEE-L', 'south')).toMatchObject({ onHand: 5, committed: 3, available: 2 });
  });

  it('reserves all lines or none', async () => {
    await receive('HAT', 'north', 3);
    const before = await ledgerSnapshot(inventory.subgraph.db);
    const result = await inventory.execute(`mutation { reserveStock(input: { idempotencyKey: "${key()}", channel: "web", orderReference: "order-3", lines: [{ sku: "HAT", quantity: 1 }, { sku: "TEE-M", quantity: 500 }] }) { replayed } }`);
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'INSUFFICIENT_STOCK', sku: 'TEE-M', channel: 'web', requested: 500 });
    expect(await ledgerSnapshot(inventory.subgraph.db)).toEqual(before);
  });

  it('commits on fulfilment and releases on cancellation, once each', async () => {
    await receive('HAT', 'south', 4);
    const reserve = (order: string) => inventory.execute(`mutation { reserveStock(input: { idempotencyKey: "${key()}", channel: "store", orderReference: "${order}", lines: [{ sku: "HAT", quantity: 2 }] }) { reservation { id } } }`);
    const shipped = (await reserve('pos-1')).data!.reserveStock.reservation.id;
    const cancelled = (await reserve('pos-2')).data!.reserveStock.reservation.id;
    expect(await level('HAT', 'south')).toMatchObject({ onHand: 4, committed: 4, available: 0 });

    const fulfil = await inventory.execute(`mutation { fulfilReservation(input: { idempotencyKey: "${key()}", reservationId: "${shipped}" }) { ${RESERVATION} } }`);
    expect(fulfil.data!.fulfilReservation.reservation.status).toBe('FULFILLED');
    expect(fulfil.data!.fulfilReservation.movements).toEqual([{ kind: 'FULFILMENT', delta: -2, committedDelta: -2 }]);
    const release = await inventory.execute(`mutation { releaseReservation(input: { idempotencyKey: "${key()}", reservationId: "${cancelled}", reason: "customer cancelled" }) { ${RESERVATION} } }`);
    expect(release.data!.releaseReservation.reservation.status).toBe('RELEASED');
    expect(await level('HAT', 'south')).toMatchObject({ onHand: 2, committed: 0, available: 2 });

    const again = await inventory.execute(`mutation { releaseReservation(input: { idempotencyKey: "${key()}", reservationId: "${shipped}" }) { replayed } }`);
    expect(again.errors?.[0]?.extensions).toMatchObject({ code: 'RESERVATION_NOT_OPEN', status: 'FULFILLED' });
    const unknown = await inventory.execute(`mutation { fulfilReservation(input: { idempotencyKey: "${key()}", reservationId: "999999" }) { replayed } }`);
    expect(unknown.errors?.[0]?.extensions?.code).toBe('UNKNOWN_RESERVATION');
  });

  it('lets a backorder channel reserve past zero, and no other', async () => {
    const store = await inventory.execute(`mutation { reserveStock(input: { idempotencyKey: "${key()}", channel: "store", orderReference: "pos-3", lines: [{ sku: "SOCK", quantity: 3 }] }) { levels { onHand committed available } } }`);
    expect(store.data!.reserveStock.levels[0]).toEqual({ onHand: 0, committed: 3, available: 0 });
    const web = await inventory.execute(`mutation { reserveStock(input: { idempotencyKey: "${key()}", channel: "web", orderReference: "web-9", lines: [{ sku: "SOCK", quantity: 11 }] }) { replayed } }`);
    expect(web.errors?.[0]?.extensions?.code).toBe('INSUFFICIENT_STOCK');
  });

  it('puts returned units back on hand', async () => {
    const result = await inventory.execute(`mutation { returnStock(input: { idempotencyKey: "${key()}", sku: "HAT", location: "south", quantity: 1, reference: "pos-1" }) { ${STOCK_CHANGE} } }`);
    expect(result.data!.returnStock.movements[0]).toMatchObject({ kind: 'RETURN', delta: 1, reference: 'pos-1' });
    expect(await level('HAT', 'south')).toMatchObject({ onHand: 3 });
  });
});

describe('idempotency', () => {
  it('answers a replayed key with the original result and changes nothing', async () => {
    const input = { idempotencyKey: 'replay-me', sku: 'TEE-M', location: 'south', quantity: 4 };
    const first = await inventory.execute(`mutation($input: ReceiveStockInput!) { receiveStock(input: $input) { ${STOCK_CHANGE} } }`, { input });
    const before = await ledgerSnapshot(inventory.subgraph.db);
    const replay = await inventory.execute(`mutation($input: ReceiveStockInput!) { receiveStock(input: $input) { ${STOCK_CHANGE} } }`, { input });
    expect(replay.data!.receiveStock).toEqual({ ...first.data!.receiveStock, replayed: true });
    expect(await ledgerSnapshot(inventory.subgraph.db)).toEqual(before);
  });

  it('refuses a key reused for a different request', async () => {
    const result = await inventory.execute(`mutation { receiveStock(input: { idempotencyKey: "replay-me", sku: "TEE-M", location: "south", quantity: 5 }) { replayed } }`);
    expect(result.errors?.[0]?.extensions?.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('replays a reservation without reserving twice', async () => {
    const mutation = `mutation { reserveStock(input: { idempotencyKey: "order-77", channel: "web", orderReference: "77", lines: [{ sku: "TEE-M", quantity: 1 }] }) { ${RESERVATION} } }`;
    const first = await inventory.execute(mutation);
    const again = await inventory.execute(mutation);
    expect(again.data!.reserveStock.reservation).toEqual(first.data!.reserveStock.reservation);
    expect(again.data!.reserveStock.replayed).toBe(true);
    const orders = await inventory.execute('{ reservationsForOrder(channel: "web", orderReference: "77") { id } }');
    expect(orders.data!.reservationsForOrder).toHaveLength(1);
  });
});

describe('bad input', () => {
  const cases: Array<[string, string, string]> = [
    ['unknown SKU', 'receiveStock(input: { idempotencyKey: "bad-1", sku: "NOPE", location: "north", quantity: 1 })', 'UNKNOWN_SKU'],
    ['unknown location', 'receiveStock(input: { idempotencyKey: "bad-2", sku: "TEE-M", location: "moon", quantity: 1 })', 'UNKNOWN_LOCATION'],
    ['negative quantity', 'receiveStock(input: { idempotencyKey: "bad-3", sku: "TEE-M", location: "north", quantity: -1 })', 'INVALID_QUANTITY'],
    ['zero quantity', 'receiveStock(input: { idempotencyKey: "bad-4", sku: "TEE-M", location: "north", quantity: 0 })', 'INVALID_QUANTITY'],
    ['non-integer quantity', 'receiveStock(input: { idempotencyKey: "bad-5", sku: "TEE-M", location: "north", quantity: 1.5 })', 'GRAPHQL_VALIDATION_FAILED'],
    ['zero delta', 'adjustStock(input: { idempotencyKey: "bad-6", sku: "TEE-M", location: "north", delta: 0, reason: "x" })', 'INVALID_QUANTITY'],
    ['empty reason', 'adjustStock(input: { idempotencyKey: "bad-7", sku: "TEE-M", location: "north", delta: 1, reason: " " })', 'BAD_USER_INPUT'],
    ['empty idempotency key', 'receiveStock(input: { idempotencyKey: "", sku: "TEE-M", location: "north", quantity: 1 })', 'BAD_USER_INPUT'],
    ['unknown channel', 'reserveStock(input: { idempotencyKey: "bad-8", channel: "fax", orderReference: "1", lines: [{ sku: "TEE-M", quantity: 1 }] })', 'UNKNOWN_CHANNEL'],
    ['more than available', 'reserveStock(input: { idempotencyKey: "bad-9", channel: "web", orderReference: "1", lines: [{ sku: "TEE-M", quantity: 100000 }] })', 'INSUFFICIENT_STOCK'],
    ['no lines', 'reserveStock(input: { idempotencyKey: "bad-10", channel: "web", orderReference: "1", lines: [] })', 'BAD_USER_INPUT'],
    ['unknown SKU in an order', 'reserveStock(input: { idempotencyKey: "bad-11", channel: "web", orderReference: "1", lines: [{ sku: "TEE-M", quantity: 1 }, { sku: "GHOST", quantity: 1 }] })', 'UNKNOWN_SKU'],
    ['same location transfer', 'transferStock(input: { idempotencyKey: "bad-12", sku: "TEE-M", fromLocation: "north", toLocation: "north", quantity: 1 })', 'BAD_USER_INPUT'],
    ['invalid SKU to register', 'registerProducts(input: { idempotencyKey: "bad-13", skus: ["has space"] })', 'BAD_USER_INPUT'],
  ];

  it.each(cases)('%s gets a typed error and changes nothing', async (_name, field, code) => {
    const before = await ledgerSnapshot(inventory.subgraph.db);
    const result = await inventory.execute(`mutation { ${field} { replayed } }`);
    expect(result.data?.[field.slice(0, field.indexOf('('))] ?? null).toBeNull();
    expect(result.errors?.[0]?.extensions?.code).toBe(code);
    expect(result.errors?.[0]?.message).toBeTruthy();
    expect(await ledgerSnapshot(inventory.subgraph.db)).toEqual(before);
  });

  it('lets a corrected request reuse the key of a refused one', async () => {
    const refused = await inventory.execute('mutation { receiveStock(input: { idempotencyKey: "fix-me", sku: "TEE-M", location: "moon", quantity: 1 }) { replayed } }');
    expect(refused.errors?.[0]?.extensions?.code).toBe('UNKNOWN_LOCATION');
    const accepted = await inventory.execute('mutation { receiveStock(input: { idempotencyKey: "fix-me", sku: "TEE-M", location: "north", quantity: 1 }) { replayed } }');
    expect(accepted.data!.receiveStock.replayed).toBe(false);
  });
});

describe('ledger', () => {
  it('balances: every level equals the sum of its movements', async () => {
    expect(await ledgerImbalances(inventory.subgraph.db)).toEqual([]);
  });

  it('lists movements newest first, per SKU and overall', async () => {
    const result = await inventory.execute('{ product(sku: "BAG") { movements(first: 5) { kind delta location { id } } } stockMovements(sku: "BAG", first: 1) { kind } }');
    expect(result.data!.product.movements.map((m: { kind: string }) => m.kind)).toEqual(['TRANSFER_IN', 'TRANSFER_OUT', 'RECEIPT']);
    expect(result.data!.stockMovements).toEqual([{ kind: 'TRANSFER_IN' }]);
  });

  it('orders the ledger by movement id as a number, across the 9 → 10 and 99 → 100 boundaries', async () => {
    // Enough movements that ids reach three digits: compared as text, "99" sorts above "150".
    for (let i = 0; i < 110; i++) await receive('HAT', i % 2 === 0 ? 'north' : 'south', 1);
    const result = await inventory.execute('{ stockMovements(first: 5) { id } product(sku: "HAT") { movements(first: 12) { id } } }');
    const ids = (rows: Array<{ id: string }>) => rows.map((row) => Number(row.id));
    const [newest] = await inventory.subgraph.db.query<{ id: string }>('SELECT max(id)::text AS id FROM stock_movements');
    const top = Number(newest!.id);
    expect(ids(result.data!.stockMovements)).toEqual([top, top - 1, top - 2, top - 3, top - 4]);
    const perSku = ids(result.data!.product.movements);
    expect(perSku).toHaveLength(12);
    expect(perSku).toEqual([...perSku].sort((a, b) => b - a));
    expect(perSku[0]).toBe(top);
  });

  it('registers new SKUs idempotently', async () => {
    const mutation = 'mutation { registerProducts(input: { idempotencyKey: "register-1", skus: ["NEW-1", "NEW-2", "NEW-1"] }) { products { sku totalAvailable } replayed } }';
    const first = await inventory.execute(mutation);
    expect(first.data!.registerProducts).toEqual({ products: [{ sku: 'NEW-1', totalAvailable: 0 }, { sku: 'NEW-2', totalAvailable: 0 }], replayed: false });
    expect((await inventory.execute(mutation)).data!.registerProducts.replayed).toBe(true);
  });
});
