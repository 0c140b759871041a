import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPonteError } from '../../kit/errors.ts';
import { addFixtures, ledgerImbalances, ledgerSnapshot, startInventory, type InventoryHarness } from './test-fixtures.ts';

/**
 * Routing through the inventory's own GraphQL and service: which location each line ships
 * from for a delivery CEP, what is recorded about why, and that routing never oversells.
 * Locations: São Paulo (priority 3), Rio (1), Curitiba (2), Porto Alegre (4) and one without a CEP.
 */
let inventory: InventoryHarness;
const actor = { name: 'routing-test' };
let keys = 0;
const key = (name: string) => `routing-${name}-${++keys}`;

const LOCATIONS = [
  { id: 'sp', priority: 3, postalCode: '04543-011' },
  { id: 'rio', priority: 1, postalCode: '20040-002' },
  { id: 'curitiba', priority: 2, postalCode: '80010-000' },
  { id: 'porto-alegre', priority: 4, postalCode: '90010-000' },
  { id: 'no-cep', priority: 0, postalCode: null },
];

/** Statements that undid a routing attempt (a level changed between read and write). */
let reroutes = 0;

beforeAll(async () => {
  inventory = await startInventory({ onQuery: (sql) => void (sql.startsWith('ROLLBACK TO SAVEPOINT routing') && reroutes++) });
  const db = inventory.subgraph.db;
  await addFixtures(db, { locations: LOCATIONS.map(({ id, priority }) => ({ id, priority })), skus: ['TEE', 'MUG', 'CAP', 'BAG', 'RACE', 'RACE-2', 'HAT', 'APRON'] });
  for (const location of LOCATIONS) await db.query('UPDATE locations SET postal_code = $2 WHERE id = $1', [location.id, location.postalCode]);
  await addFixtures(db, { channel: { id: 'web', locations: ['sp', 'rio', 'curitiba', 'porto-alegre'] } });
  await addFixtures(db, { channel: { id: 'marketplace', locations: ['sp', 'rio', 'curitiba', 'porto-alegre'] } });
  await addFixtures(db, { channel: { id: 'legacy', locations: ['no-cep', 'rio', 'sp'] } });
});
afterAll(async () => {
  await inventory?.close();
});

async function receive(sku: string, stock: Record<string, number>) {
  for (const [location, quantity] of Object.entries(stock)) {
    await inventory.subgraph.service.receiveStock({ idempotencyKey: key(`receive-${sku}-${location}`), sku, location, quantity }, actor);
  }
}

const RESERVE = `mutation($input: ReserveStockInput!) { reserveStock(input: $input) {
  replayed
  reservation { id deliverTo { postalCode } routingPreference
    lines { sku quantity orderLine lineReference location { id } routing { location { id } quantity reason distanceKm } } }
} }`;

type Line = { sku: string; quantity: number; orderLine: number; lineReference: string | null; location: { id: string }; routing: { location: { id: string }; quantity: number; reason: string; distanceKm: number | null } };
type Reserved = { reserveStock: { replayed: boolean; reservation: { id: string; deliverTo: { postalCode: string } | null; routingPreference: string; lines: Line[] } } | null };

function reserve(channel: string, lines: Array<{ sku: string; quantity: number; lineReference?: string }>, postalCode?: string, idempotencyKey = key('reserve')) {
  return inventory.execute<Reserved>(RESERVE, { input: { idempotencyKey, channel, orderReference: idempotencyKey, lines, ...(postalCode === undefined ? {} : { deliverTo: { postalCode } }) } });
}

const placed = (lines: Line[]) => lines.map((line) => `${line.orderLine}:${line.sku}@${line.location.id}x${line.quantity}`);

async function committed(sku: string) {
  const rows = await inventory.subgraph.db.query<{ locationId: string; committed: number }>(
    `SELECT location_id AS "locationId", committed FROM stock_levels WHERE sku = $1 AND committed > 0 ORDER BY location_id`,
    [sku],
  );
  return Object.fromEntries(rows.map((row) => [row.locationId, row.committed]));
}

describe('routing by delivery CEP', () => {
  it('ships from the nearest location with stock, not the first by priority, and records why', async () => {
    await receive('TEE', { sp: 10, rio: 10, curitiba: 10 });
    const result = await reserve('web', [{ sku: 'TEE', quantity: 2, lineReference: 'L1' }], '01310-100');
    expect(result.errors).toBeUndefined();
    const reservation = result.data!.reserveStock!.reservation;
    expect(reservation.deliverTo).toEqual({ postalCode: '01310-100' });
    expect(reservation.routingPreference).toBe('NEAREST');
    expect(reservation.lines).toEqual([
      { sku: 'TEE', quantity: 2, orderLine: 1, lineReference: 'L1', location: { id: 'sp' }, routing: { location: { id: 'sp' }, quantity: 2, reason: 'nearest location with stock to CEP 01310-100 (15 km)', distanceKm: 15 } },
    ]);
    // Read back later, the explanation is the stored one.
    const read = await inventory.execute(`{ reservation(id: "${reservation.id}") { lines { routing { reason distanceKm } } } }`);
    expect(read.data).toEqual({ reservation: { lines: [{ routing: { reason: 'nearest location with stock to CEP 01310-100 (15 km)', distanceKm: 15 } }] } });
  });

  it('sends Porto Alegre to Curitiba before São Paulo', async () => {
    const result = await reserve('web', [{ sku: 'TEE', quantity: 1 }], '90010000');
    expect(result.data!.reserveStock!.reservation.lines[0]).toMatchObject({ location: { id: 'curitiba' }, routing: { distanceKm: 547 } });
    expect(result.data!.reserveStock!.reservation.deliverTo).toEqual({ postalCode: '90010-000' });
  });

  it('splits a line no single location has, nearest first, and says what each had', async () => {
    await receive('MUG', { sp: 2, rio: 2, curitiba: 3 });
    const result = await reserve('web', [{ sku: 'MUG', quantity: 5, lineReference: 'mug-line' }], '01310-100');
    expect(result.errors).toBeUndefined();
    const lines = result.data!.reserveStock!.reservation.lines;
    // From São Paulo: Curitiba (~340 km) is nearer than Rio (~360 km).
    expect(placed(lines)).toEqual(['1:MUG@spx2', '1:MUG@curitibax3']);
    expect(lines.map((line) => line.lineReference)).toEqual(['mug-line', 'mug-line']);
    expect(lines.map((line) => line.routing.reason)).toEqual([
      'split: sp had 2 of 5 (15 km to CEP 01310-100); no single location had all',
      expect.stringMatching(/^split: curitiba had 3 of 5 \(3\d\d km to CEP 01310-100\); no single location had all$/),
    ]);
    expect(await committed('MUG')).toEqual({ sp: 2, curitiba: 3 });
    expect(await ledgerImbalances(inventory.subgraph.db)).toEqual([]);
  });

  it('breaks a tie in distance by location priority, then id, and explains it', async () => {
    // Three locations in the buyer's own sub-sector divider: equally near by the CEP table.
    await inventory.subgraph.db.query(`INSERT INTO locations (id, name, kind, priority, postal_code) VALUES ('sp-east', 'sp-east', 'WAREHOUSE', 3, '04543-900'), ('sp-west', 'sp-west', 'WAREHOUSE', 3, '04543-800')`);
    await addFixtures(inventory.subgraph.db, { channel: { id: 'twins', locations: ['sp-west', 'sp-east', 'sp'] } });
    await receive('CAP', { 'sp-east': 5, 'sp-west': 5, sp: 5 });
    const result = await reserve('twins', [{ sku: 'CAP', quantity: 1 }], '04543-100');
    const line = result.data!.reserveStock!.reservation.lines[0]!;
    // All three are 1 km from 04543-100 (same sub-sector divider); same priority: by id.
    expect(line.location.id).toBe('sp');
    expect(line.routing.reason).toBe('nearest location with stock to CEP 04543-100 (1 km); tied at 1 km with sp-east, sp-west, chosen by location priority, then id');
  });

  it('refuses an order no location can serve, naming the line, and reserves nothing', async () => {
    await receive('BAG', { sp: 1, rio: 1 });
    const before = await ledgerSnapshot(inventory.subgraph.db);
    const result = await reserve('web', [{ sku: 'TEE', quantity: 1 }, { sku: 'BAG', quantity: 3 }], '01310-100', 'cannot-serve');
    expect(result.data?.reserveStock).toBeNull();
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'INSUFFICIENT_STOCK', sku: 'BAG', channel: 'web', requested: 3, available: 2 });
    expect(result.errors?.[0]?.message).toBe('Not enough stock available for BAG on channel web: requested 3, at most 2 across its locations');
    expect(await ledgerSnapshot(inventory.subgraph.db)).toEqual(before);
    expect(await inventory.subgraph.db.query(`SELECT id FROM reservations WHERE order_reference = 'cannot-serve'`)).toEqual([]);
  });

  it('prefers fewer parcels when the channel is set to, even from farther away', async () => {
    await receive('HAT', { sp: 1, 'porto-alegre': 1 });
    const lines = [{ sku: 'HAT', quantity: 1 }, { sku: 'TEE', quantity: 1 }];
    await receive('TEE', { 'porto-alegre': 1 });
    const nearest = await reserve('web', lines, '01310-100');
    expect(placed(nearest.data!.reserveStock!.reservation.lines)).toEqual(['1:HAT@spx1', '2:TEE@spx1']);

    const set = await inventory.execute(`mutation { setChannelRoutingPreference(input: { idempotencyKey: "fewest-marketplace", channel: "marketplace", routingPreference: FEWEST_PARCELS }) {
      replayed channel { id allocationPolicy { routingPreference } } } }`);
    expect(set.data).toEqual({ setChannelRoutingPreference: { replayed: false, channel: { id: 'marketplace', allocationPolicy: { routingPreference: 'FEWEST_PARCELS' } } } });
    await receive('HAT', { sp: 1 });
    // sp has HAT and TEE: one parcel from the nearest. Take sp's TEE away so no near location has both.
    await inventory.subgraph.service.adjustStock({ idempotencyKey: key('empty-sp-tee'), sku: 'TEE', location: 'sp', delta: -((await inventory.subgraph.db.query<{ a: number }>(`SELECT on_hand - committed AS a FROM stock_levels WHERE sku = 'TEE' AND location_id = 'sp'`))[0]!.a), reason: 'test' }, actor);
    await inventory.subgraph.service.adjustStock({ idempotencyKey: key('empty-curitiba-tee'), sku: 'TEE', location: 'curitiba', delta: -((await inventory.subgraph.db.query<{ a: number }>(`SELECT on_hand - committed AS a FROM stock_levels WHERE sku = 'TEE' AND location_id = 'curitiba'`))[0]!.a), reason: 'test' }, actor);
    await inventory.subgraph.service.adjustStock({ idempotencyKey: key('empty-rio-tee'), sku: 'TEE', location: 'rio', delta: -((await inventory.subgraph.db.query<{ a: number }>(`SELECT on_hand - committed AS a FROM stock_levels WHERE sku = 'TEE' AND location_id = 'rio'`))[0]!.a), reason: 'test' }, actor);

    const nearestNow = await reserve('web', lines, '01310-100', key('nearest-two-parcels'));
    expect(placed(nearestNow.data!.reserveStock!.reservation.lines)).toEqual(['1:HAT@spx1', '2:TEE@porto-alegrex1']);
    await receive('HAT', { sp: 1 });
    await receive('TEE', { 'porto-alegre': 1 });
    const fewest = await reserve('marketplace', lines, '01310-100');
    const reservation = fewest.data!.reserveStock!.reservation;
    expect(reservation.routingPreference).toBe('FEWEST_PARCELS');
    expect(placed(reservation.lines)).toEqual(['1:HAT@porto-alegrex1', '2:TEE@porto-alegrex1']);
    expect(reservation.lines[0]!.routing.reason).toBe('fewest parcels: one location has all 2 lines: porto-alegre (852 km to CEP 01310-100); nearer sp, curitiba, rio would add a parcel');
  });

  it('without a delivery CEP keeps reserving as before: first location by priority with all of the line, no split', async () => {
    await receive('RACE-2', { 'no-cep': 1, rio: 4, sp: 4 });
    const result = await reserve('legacy', [{ sku: 'RACE-2', quantity: 3 }]);
    const line = result.data!.reserveStock!.reservation.lines[0]!;
    expect(line).toMatchObject({ location: { id: 'rio' }, routing: { reason: 'no delivery CEP: location priority; no-cep had 1', distanceKm: null } });
    expect(result.data!.reserveStock!.reservation.deliverTo).toBeNull();
    const tooMuch = await reserve('legacy', [{ sku: 'RACE-2', quantity: 5 }]);
    expect(tooMuch.errors?.[0]?.extensions).toMatchObject({ code: 'INSUFFICIENT_STOCK', available: 4 });
    // With a CEP, the locations without one rank last, after those measured.
    const routed = await reserve('legacy', [{ sku: 'RACE-2', quantity: 1 }], '01310-100');
    expect(routed.data!.reserveStock!.reservation.lines[0]!.location.id).toBe('sp');
  });

  it('refuses a bad CEP with BAD_USER_INPUT and changes nothing', async () => {
    const before = await ledgerSnapshot(inventory.subgraph.db);
    for (const postalCode of ['1234', '01310-1000', '00100-000', 'abcde-fgh', '']) {
      const result = await reserve('web', [{ sku: 'TEE', quantity: 1 }], postalCode, `bad-cep-${postalCode}`);
      expect(result.errors?.[0]?.extensions, postalCode).toMatchObject({ code: 'BAD_USER_INPUT', field: 'deliverTo.postalCode' });
    }
    const sale = await inventory.execute(`mutation { recordSale(input: { idempotencyKey: "bad-cep-sale", channel: "web", orderReference: "x", lines: [{ sku: "TEE", quantity: 1 }], deliverTo: { postalCode: "9" } }) { replayed } }`);
    expect(sale.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(await ledgerSnapshot(inventory.subgraph.db)).toEqual(before);
    expect(await inventory.subgraph.db.query(`SELECT id FROM reservations WHERE order_reference LIKE 'bad-cep-%'`)).toEqual([]);
    // A corrected retry may reuse the key: the refusal claimed nothing.
    const corrected = await reserve('web', [{ sku: 'HAT', quantity: 1 }], '01310-100', 'bad-cep-1234');
    expect(corrected.errors).toBeUndefined();
  });

  it('treats the CEP with and without the hyphen as the same request under one key', async () => {
    await receive('TEE', { sp: 2 });
    const first = await reserve('web', [{ sku: 'TEE', quantity: 1 }], '01310-100', 'same-cep');
    const again = await reserve('web', [{ sku: 'TEE', quantity: 1 }], '01310100', 'same-cep');
    expect(again.data!.reserveStock).toMatchObject({ replayed: true, reservation: { id: first.data!.reserveStock!.reservation.id } });
    const other = await reserve('web', [{ sku: 'TEE', quantity: 1 }], '20040-002', 'same-cep');
    expect(other.errors?.[0]?.extensions?.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('routes a sale at the till the same way, and records it', async () => {
    await receive('CAP', { curitiba: 2 });
    const sale = await inventory.execute<{ recordSale: { reservation: { status: string; lines: Line[] } } }>(
      `mutation { recordSale(input: { idempotencyKey: "sale-poa", channel: "web", orderReference: "sale-poa", lines: [{ sku: "CAP", quantity: 1 }], deliverTo: { postalCode: "90010-000" } }) {
        reservation { status lines { sku quantity orderLine lineReference location { id } routing { location { id } quantity reason distanceKm } } } } }`,
    );
    expect(sale.errors).toBeUndefined();
    expect(sale.data!.recordSale.reservation.status).toBe('FULFILLED');
    expect(sale.data!.recordSale.reservation.lines[0]).toMatchObject({ location: { id: 'curitiba' }, routing: { reason: 'nearest location with all 1 to CEP 90010-000 (547 km); nearer porto-alegre (0 km) had 0 of 1' } });
  });

  it('refuses a routing preference for a channel that does not exist, or one a partner is not held to', async () => {
    const unknown = await inventory.execute(`mutation { setChannelRoutingPreference(input: { idempotencyKey: "pref-unknown", channel: "nope", routingPreference: NEAREST }) { replayed } }`);
    expect(unknown.errors?.[0]?.extensions?.code).toBe('UNKNOWN_CHANNEL');
    const held = await inventory.subgraph.service.setChannelRoutingPreference({ idempotencyKey: 'pref-held', channel: 'web', routingPreference: 'FEWEST_PARCELS' }, { name: 'store-till', id: 'key:till', channels: ['legacy'] }).catch((error: unknown) => error);
    expect(isPonteError(held) && held.code).toBe('FORBIDDEN');
    const [web] = await inventory.subgraph.db.query<{ routingPreference: string }>(`SELECT routing_preference AS "routingPreference" FROM channels WHERE id = 'web'`);
    expect(web!.routingPreference).toBe('NEAREST');
  });
});

describe('routing under concurrency', () => {
  it('never oversells when many routed reservations race, splits included', async () => {
    await receive('RACE', { sp: 20, rio: 15, curitiba: 10, 'porto-alegre': 5 });
    const ceps = ['01310-100', '20040-002', '80010-000', '90010-000', '30130-010'];
    const outcomes = await Promise.allSettled(
      Array.from({ length: 80 }, (_, index) =>
        inventory.subgraph.service.reserveStock(
          { idempotencyKey: `race-${index}`, channel: 'web', orderReference: `race-${index}`, lines: [{ sku: 'RACE', quantity: (index % 3) + 1 }], deliverTo: { postalCode: ceps[index % ceps.length]! } },
          actor,
        ),
      ),
    );
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected') expect(isPonteError(outcome.reason) && outcome.reason.code).toBe('INSUFFICIENT_STOCK');
    }
    const levels = await inventory.subgraph.db.query<{ onHand: number; committed: number }>(`SELECT on_hand AS "onHand", committed FROM stock_levels WHERE sku = 'RACE'`);
    for (const level of levels) expect(level.committed).toBeLessThanOrEqual(level.onHand);
    const total = levels.reduce((sum, level) => sum + level.committed, 0);
    const [reserved] = await inventory.subgraph.db.query<{ units: number }>(`SELECT coalesce(sum(quantity), 0)::int AS units FROM reservation_lines WHERE sku = 'RACE'`);
    expect(reserved!.units).toBe(total);
    // 80 orders of 1 to 3 units want 159 units; with splitting allowed, all 50 go.
    expect(total).toBe(50);
    expect(await ledgerImbalances(inventory.subgraph.db)).toEqual([]);
  });

  it('routes again when a level drops between its read and its write, undoing the parts already written', async () => {
    await receive('RACE-2', { curitiba: 5, 'porto-alegre': 5 });
    await receive('APRON', { curitiba: 1 });
    reroutes = 0;
    const db = inventory.subgraph.db;
    // A writer that does not take the SKU's lock (an adjustment lowering stock) holds Curitiba's
    // row while the reservation reads the levels and routes there; when it commits, the
    // reservation's conditional write is refused and it routes again, to Porto Alegre. On PGlite
    // (one connection) the two simply run one after the other, with the same outcome.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const lockTaken = new Promise<void>((resolve) => (locked = resolve));
    const adjustment = db.transaction(async (tx) => {
      await tx.query(`UPDATE stock_levels SET on_hand = on_hand - 5 WHERE sku = 'RACE-2' AND location_id = 'curitiba'`);
      await tx.query(`INSERT INTO stock_movements (kind, sku, location_id, on_hand_delta, actor, idempotency_key) VALUES ('ADJUSTMENT', 'RACE-2', 'curitiba', -5, 'test', 'lost-race')`);
      locked();
      await held;
    });
    await Promise.race([lockTaken, new Promise((resolve) => setTimeout(resolve, 500))]);
    const reservation = inventory.subgraph.service.reserveStock({ idempotencyKey: 'lost-race', channel: 'web', orderReference: 'lost-race', lines: [{ sku: 'RACE-2', quantity: 5 }, { sku: 'APRON', quantity: 1 }], deliverTo: { postalCode: '80010-000' } }, actor);
    await new Promise((resolve) => setTimeout(resolve, 300));
    release();
    await adjustment;
    const result = await reservation;
    // On a server the race is real: the first routing (Curitiba, the nearest) lost it.
    if (process.env['DATABASE_URL']) expect(reroutes).toBe(1);
    expect(result.reservation.lines.map((line) => `${line.sku}@${line.locationId}x${line.quantity}`)).toEqual(['RACE-2@porto-alegrex5', 'APRON@curitibax1']);
    // APRON was written first (SKU order), then undone with the refused part, then written again: once.
    expect(await committed('APRON')).toEqual({ curitiba: 1 });
    expect(await committed('RACE-2')).toMatchObject({ 'porto-alegre': 5 });
    expect(await ledgerImbalances(db)).toEqual([]);
  });
});
