import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../kit/database.ts';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.ts';
import { migrate } from '../../kit/migrate.ts';
import { fileURLToPath } from 'node:url';
import { recordOrderFact, recordOrderFacts, type OrderFact } from './ingest.ts';

let testDb: TestDatabase;
let db: Database;

beforeAll(async () => {
  testDb = await createTestDatabase('insights');
  db = testDb.db;
  await migrate(db, fileURLToPath(new URL('./migrations', import.meta.url)));
});
beforeEach(async () => {
  await db.exec('TRUNCATE order_facts, order_line_facts, daily_channel_sales, daily_sku_sales, customer_summaries, customer_later_channels');
});
afterAll(async () => {
  await testDb?.drop();
});

function version(updatedAt: string, changes: Partial<OrderFact> = {}): OrderFact {
  return {
    id: 'order-1', channel: 'shopify-br', placedAt: '2026-03-01T13:00:00Z', updatedAt, status: 'OPEN', currency: 'BRL', customerId: 'c1',
    lines: [{ sku: 'A', quantity: 2, unitPriceCents: 1000, discountCents: 100 }, { sku: 'B', quantity: 1, unitPriceCents: 5000, discountCents: 0 }],
    totals: { subtotalCents: 7000, discountCents: 100, shippingCents: 990, taxCents: 0, totalCents: 7890 },
    ...changes,
  };
}

/** The rollups, read back. */
async function rollups() {
  return {
    channel: await db.query(`SELECT to_char(day, 'YYYY-MM-DD') AS day, channel, orders, units, gross_cents AS gross, discount_cents AS discount FROM daily_channel_sales ORDER BY day, channel`),
    sku: await db.query(`SELECT to_char(day, 'YYYY-MM-DD') AS day, channel, sku, orders, units, gross_cents AS gross, discount_cents AS discount FROM daily_sku_sales ORDER BY day, channel, sku`),
    customers: await db.query(`SELECT customer_id AS id, first_channel AS "firstChannel", orders, net_cents AS net FROM customer_summaries ORDER BY customer_id`),
  };
}

/** What the rollups must hold, recomputed from the facts: the incremental upkeep never drifts from it. */
async function rollupsFromFacts() {
  return {
    channel: await db.query(`SELECT to_char(day, 'YYYY-MM-DD') AS day, channel, count(*)::int AS orders, sum(units)::int AS units, sum(subtotal_cents)::bigint AS gross, sum(discount_cents)::bigint AS discount
      FROM order_facts WHERE status <> 'CANCELLED' GROUP BY day, channel ORDER BY day, channel`),
    sku: await db.query(`SELECT to_char(day, 'YYYY-MM-DD') AS day, channel, sku, count(*)::int AS orders, sum(units)::int AS units, sum(gross_cents)::bigint AS gross, sum(discount_cents)::bigint AS discount
      FROM order_line_facts GROUP BY day, channel, sku ORDER BY day, channel, sku`),
  };
}

async function expectRollupsConsistent() {
  const { channel, sku } = await rollups();
  expect({ channel, sku }).toEqual(await rollupsFromFacts());
}

describe('recordOrderFact', () => {
  it('records an order once: the same version again changes nothing', async () => {
    expect(await recordOrderFact(db, version('2026-03-01T13:00:00Z'))).toBe('RECORDED');
    const before = await rollups();
    expect(await recordOrderFact(db, version('2026-03-01T13:00:00Z'))).toBe('UNCHANGED');
    expect(await rollups()).toEqual(before);
    expect(before.channel).toEqual([{ day: '2026-03-01', channel: 'shopify-br', orders: 1, units: 3, gross: 7000, discount: 100 }]);
    expect(before.customers).toEqual([{ id: 'c1', firstChannel: 'shopify-br', orders: 1, net: 6900 }]);
  });

  it('a later cancellation takes the order out of every figure; an older version arriving after it is ignored', async () => {
    await recordOrderFact(db, version('2026-03-01T13:00:00Z'));
    await recordOrderFact(db, version('2026-03-02T09:00:00Z', { status: 'CANCELLED' }));
    expect(await rollups()).toEqual({ channel: [], sku: [], customers: [] });
    expect(await recordOrderFact(db, version('2026-03-01T20:00:00Z', { status: 'FULFILLED' }))).toBe('STALE');
    expect(await rollups()).toEqual({ channel: [], sku: [], customers: [] });
    const [stored] = await db.query<{ status: string }>(`SELECT status FROM order_facts WHERE order_id = 'order-1'`);
    expect(stored?.status).toBe('CANCELLED');
  });

  it('a newer version with other lines, another customer and another day replaces the old facts', async () => {
    await recordOrderFact(db, version('2026-03-01T13:00:00Z'));
    await recordOrderFact(db, version('2026-02-20T10:00:00Z', { id: 'order-0', customerId: 'c1', channel: 'mercado-livre', placedAt: '2026-02-20T10:00:00Z' }));
    expect((await rollups()).customers).toEqual([{ id: 'c1', firstChannel: 'mercado-livre', orders: 2, net: 13800 }]);
    expect(await recordOrderFact(db, version('2026-03-03T10:00:00Z', {
      placedAt: '2026-03-02T13:00:00Z', customerId: 'c2', status: 'FULFILLED',
      lines: [{ sku: 'A', quantity: 5, unitPriceCents: 900, discountCents: 0 }],
    }))).toBe('REPLACED');
    const after = await rollups();
    expect(after.sku.filter((row) => row['day'] !== '2026-02-20')).toEqual([{ day: '2026-03-02', channel: 'shopify-br', sku: 'A', orders: 1, units: 5, gross: 4500, discount: 0 }]);
    expect(after.customers).toEqual([
      { id: 'c1', firstChannel: 'mercado-livre', orders: 1, net: 6900 },
      { id: 'c2', firstChannel: 'shopify-br', orders: 1, net: 4500 },
    ]);
    await expectRollupsConsistent();
  });

  it('keeps the rollups equal to the facts through a shuffled stream of versions, redeliveries and cancellations, one by one or in batches', async () => {
    // Deterministic: 40 orders × 3 versions each, delivered out of order and some twice.
    let state = 7;
    const random = () => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648);
    const versions: OrderFact[] = [];
    for (let n = 0; n < 40; n++) {
      for (let v = 0; v < 3; v++) {
        versions.push(version(`2026-03-0${1 + v}T1${n % 10}:00:00Z`, {
          id: `order-${n}`, channel: ['shopify-br', 'mercado-livre', 'amazon-br'][n % 3]!, customerId: `c${n % 7}`,
          placedAt: `2026-02-${String(1 + (n % 20)).padStart(2, '0')}T12:00:00Z`,
          status: v === 2 && n % 4 === 0 ? 'CANCELLED' : v === 2 ? 'FULFILLED' : 'OPEN',
          lines: [{ sku: `S${(n + v) % 5}`, quantity: 1 + v, unitPriceCents: 1000 + n, discountCents: v * 10 }],
        }));
      }
    }
    const shuffled = [...versions, ...versions.slice(0, 30)].sort(() => random() - 0.5);
    // One by one, as the feed delivers them.
    for (const each of shuffled) await recordOrderFact(db, each);
    await expectRollupsConsistent();
    const oneByOne = { ...(await rollups()), migration: await db.query('SELECT * FROM customer_later_channels ORDER BY customer_id, channel') };
    // In batches (seeding, replay): the same end state.
    await db.exec('TRUNCATE order_facts, order_line_facts, daily_channel_sales, daily_sku_sales, customer_summaries, customer_later_channels');
    for (let start = 0; start < shuffled.length; start += 25) await recordOrderFacts(db, shuffled.slice(start, start + 25));
    await expectRollupsConsistent();
    expect({ ...(await rollups()), migration: await db.query('SELECT * FROM customer_later_channels ORDER BY customer_id, channel') }).toEqual(oneByOne);
    // Whatever the order of arrival, the latest version of each order is what stands.
    const stored = await db.query<{ id: string; status: string }>(`SELECT order_id AS id, status FROM order_facts ORDER BY order_id`);
    expect(stored).toHaveLength(40);
    for (const { id, status } of stored) expect(status, id).toBe(Number(id.split('-')[1]) % 4 === 0 ? 'CANCELLED' : 'FULFILLED');
  });

  it('counts an order once when its versions arrive at the same time (on the server: concurrent transactions)', async () => {
    const outcomes = await Promise.all([
      recordOrderFact(db, version('2026-03-01T13:00:00Z')),
      recordOrderFact(db, version('2026-03-01T13:00:00Z')),
      recordOrderFacts(db, [version('2026-03-01T14:00:00Z', { status: 'FULFILLED' })]),
      recordOrderFact(db, version('2026-03-01T13:00:00Z')),
    ]);
    expect(outcomes.filter((outcome) => outcome === 'RECORDED' || outcome === 1).length).toBeGreaterThanOrEqual(1);
    expect((await rollups()).channel).toEqual([{ day: '2026-03-01', channel: 'shopify-br', orders: 1, units: 3, gross: 7000, discount: 100 }]);
    await expectRollupsConsistent();
  });

  it('refuses a malformed fact with BAD_USER_INPUT and records nothing', async () => {
    await expect(recordOrderFact(db, version('not a time'))).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    await expect(recordOrderFact(db, version('2026-03-01T13:00:00Z', { lines: [{ sku: 'A', quantity: -1, unitPriceCents: 1, discountCents: 0 }] }))).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(await db.query('SELECT * FROM order_facts')).toEqual([]);
  });
});
