import type { Database, SqlClient } from '../../kit/database.ts';
import { ErrorCode, PonteError } from '../../kit/errors.ts';

/**
 * The canonical order as the orders subgraph publishes it on its `orderChanged` feed, reduced to
 * what the figures need. A customer is an opaque id (the customers subgraph's), never a person.
 */
export interface OrderFact {
  /** The canonical order id (unique across channels). */
  id: string;
  /** The channel it was sold on, e.g. `shopify-br`. */
  channel: string;
  /** When the shopper placed it (ISO 8601). */
  placedAt: string;
  /** When this version of the order was made (ISO 8601): a version older than the one stored is ignored. */
  updatedAt: string;
  status: 'OPEN' | 'CANCELLED' | 'FULFILLED';
  /** ISO 4217 code of every amount on the order. */
  currency: string;
  /** The customers subgraph's id, or null while the shopper is unknown (or after an erasure). */
  customerId: string | null;
  lines: OrderFactLine[];
  totals: OrderFactTotals;
}

export interface OrderFactLine {
  /** Canonical SKU; null for a line the platform named no SKU for (counted in the channel's totals only). */
  sku: string | null;
  quantity: number;
  /** One unit before discounts, in cents. */
  unitPriceCents: number;
  /** Discount on the whole line, in cents. */
  discountCents: number;
}

/** In the currency's minor unit (cents). */
export interface OrderFactTotals {
  subtotalCents: number;
  discountCents: number;
  shippingCents: number;
  taxCents: number;
  totalCents: number;
}

export type IngestOutcome = 'RECORDED' | 'REPLACED' | 'UNCHANGED' | 'STALE';

/** Where the merchant's days begin and end. @default America/Sao_Paulo */
export const DEFAULT_TIME_ZONE = 'America/Sao_Paulo';

interface StoredOrder {
  status: OrderFact['status'];
  customerId: string | null;
  updatedAt: Date;
}

interface LineAggregate {
  sku: string;
  units: number;
  grossCents: number;
  discountCents: number;
}

/** The calendar day (YYYY-MM-DD) an instant falls on in `timeZone`. */
export function dayIn(instant: Date, timeZone: string): string {
  // en-CA formats as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(instant);
}

function checkOrderFact(order: OrderFact): { placedAt: Date; updatedAt: Date } {
  const placedAt = new Date(order.placedAt);
  const updatedAt = new Date(order.updatedAt);
  const problem = !order.id ? 'has no id'
    : !order.channel ? 'has no channel'
    : Number.isNaN(placedAt.getTime()) ? `has an invalid placedAt "${order.placedAt}"`
    : Number.isNaN(updatedAt.getTime()) ? `has an invalid updatedAt "${order.updatedAt}"`
    : !['OPEN', 'CANCELLED', 'FULFILLED'].includes(order.status) ? `has an unknown status "${order.status}"`
    : !/^[A-Z]{3}$/.test(order.currency) ? `has an invalid currency "${order.currency}"`
    : order.lines.some((line) => !Number.isInteger(line.quantity) || line.quantity < 0 || !Number.isInteger(line.unitPriceCents) || !Number.isInteger(line.discountCents)) ? 'has a line with a quantity or amount that is not a whole, non-negative number'
    : undefined;
  if (problem) throw new PonteError(ErrorCode.BAD_USER_INPUT, `Order fact ${order.id || '(no id)'} ${problem}`, { orderId: order.id });
  return { placedAt, updatedAt };
}

/** Lines of the same SKU merged: an order counts once per SKU in "orders per product". */
function linesBySku(order: OrderFact): LineAggregate[] {
  const bySku = new Map<string, LineAggregate>();
  for (const line of order.lines) {
    if (line.sku === null || line.quantity === 0) continue;
    const aggregate = bySku.get(line.sku) ?? { sku: line.sku, units: 0, grossCents: 0, discountCents: 0 };
    aggregate.units += line.quantity;
    aggregate.grossCents += line.quantity * line.unitPriceCents;
    aggregate.discountCents += line.discountCents;
    bySku.set(line.sku, aggregate);
  }
  return [...bySku.values()].sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0));
}

/**
 * Records one version of an order into the analytical store; what the orders feed calls for every
 * `orderChanged` event. Idempotent: the same version again changes nothing; a newer version (a
 * cancellation, a fulfilment, changed lines) replaces the order's facts; an older version than the
 * one stored (a late redelivery) is ignored. The daily rollups and the customer's summary change
 * in the same transaction, so every report sees either the old order or the new one, never half.
 */
export async function recordOrderFact(db: Database, order: OrderFact, options: { timeZone?: string } = {}): Promise<IngestOutcome> {
  checkOrderFact(order);
  return db.transaction((tx) => applyOrderFact(tx, order, options.timeZone ?? DEFAULT_TIME_ZONE));
}

/**
 * Many versions of orders at once (seeding, replaying the feed from its start, a consumer that
 * drains its backlog in batches), in one transaction, to the same end state as `recordOrderFact`
 * applied to each in turn: per order, its latest version counts; one older than or equal to the
 * stored one changes nothing. Orders new to the store go in with a handful of set-based
 * statements for the whole batch; the rare replacement of a stored order goes one by one.
 * Resolves to the number of orders whose facts changed.
 */
export async function recordOrderFacts(db: Database, orders: readonly OrderFact[], options: { timeZone?: string } = {}): Promise<number> {
  const timeZone = options.timeZone ?? DEFAULT_TIME_ZONE;
  const latest = new Map<string, { order: OrderFact; placedAt: Date; updatedAt: Date }>();
  for (const order of orders) {
    const times = checkOrderFact(order);
    const seen = latest.get(order.id);
    if (!seen || seen.updatedAt.getTime() < times.updatedAt.getTime()) latest.set(order.id, { order, ...times });
  }
  if (latest.size === 0) return 0;
  const ids = [...latest.keys()].sort();
  return db.transaction(async (tx) => {
    await lockOrders(tx, ids);
    const stored = new Map((await tx.query<StoredOrder & { id: string }>(
      `SELECT order_id AS id, status, customer_id AS "customerId", updated_at AS "updatedAt" FROM order_facts WHERE order_id = ANY($1::text[])`,
      [ids],
    )).map((row) => [row.id, row]));
    let changed = 0;
    const fresh: Array<{ order: OrderFact; placedAt: Date; updatedAt: Date; day: string }> = [];
    for (const id of ids) {
      const version = latest.get(id)!;
      const previous = stored.get(id);
      if (!previous) fresh.push({ ...version, day: dayIn(version.placedAt, timeZone) });
      else if (previous.updatedAt.getTime() < version.updatedAt.getTime()) {
        await applyOrderFact(tx, version.order, timeZone);
        changed++;
      }
    }
    if (fresh.length === 0) return changed;
    await insertNewOrders(tx, fresh);
    await summariseCustomers(tx, [...new Set(fresh.map(({ order }) => order.customerId).filter((id): id is string => id !== null))].sort());
    return changed + fresh.length;
  });
}

/**
 * Serialises every writer of the same orders, new ones included (a row lock cannot hold a row not
 * yet inserted): without it two first versions of one order arriving at once would both count.
 * Taken in id order, so two batches never wait on each other in a circle.
 */
async function lockOrders(tx: SqlClient, ids: readonly string[]): Promise<void> {
  await tx.query(`SELECT pg_advisory_xact_lock(hashtext('insights-order:' || id)) FROM unnest($1::text[]) AS id ORDER BY id`, [ids]);
}

/** Orders not in the store yet: their facts and their share of the rollups, for the whole batch at once. */
async function insertNewOrders(tx: SqlClient, fresh: ReadonlyArray<{ order: OrderFact; placedAt: Date; updatedAt: Date; day: string }>): Promise<void> {
  const column = <T>(pick: (entry: (typeof fresh)[number]) => T) => fresh.map(pick);
  const sum = (order: OrderFact, pick: (line: OrderFactLine) => number) => order.lines.reduce((total, line) => total + pick(line), 0);
  await tx.query(
    `INSERT INTO order_facts (order_id, channel, placed_at, day, status, currency, customer_id, units, subtotal_cents, discount_cents, total_cents, updated_at)
     SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::date[], $5::text[], $6::text[], $7::text[], $8::int[], $9::bigint[], $10::bigint[], $11::bigint[], $12::timestamptz[])`,
    [
      column(({ order }) => order.id), column(({ order }) => order.channel), column(({ placedAt }) => placedAt), column(({ day }) => day),
      column(({ order }) => order.status), column(({ order }) => order.currency), column(({ order }) => order.customerId),
      column(({ order }) => sum(order, (line) => line.quantity)), column(({ order }) => sum(order, (line) => line.quantity * line.unitPriceCents)),
      column(({ order }) => sum(order, (line) => line.discountCents)), column(({ order }) => order.totals.totalCents), column(({ updatedAt }) => updatedAt),
    ],
  );
  const counted = fresh.filter(({ order }) => order.status !== 'CANCELLED');
  const lines = counted.flatMap(({ order, day }) => linesBySku(order).map((line) => ({ ...line, orderId: order.id, day, channel: order.channel, currency: order.currency })));
  if (lines.length > 0) {
    const parameters = [lines.map((l) => l.orderId), lines.map((l) => l.sku), lines.map((l) => l.day), lines.map((l) => l.channel), lines.map((l) => l.currency), lines.map((l) => l.units), lines.map((l) => l.grossCents), lines.map((l) => l.discountCents)];
    const unnestLines = `unnest($1::text[], $2::text[], $3::date[], $4::text[], $5::text[], $6::int[], $7::bigint[], $8::bigint[]) AS l (order_id, sku, day, channel, currency, units, gross, discount)`;
    await tx.query(`INSERT INTO order_line_facts (order_id, sku, day, channel, currency, units, gross_cents, discount_cents) SELECT * FROM ${unnestLines}`, parameters);
    await tx.query(
      `INSERT INTO daily_sku_sales AS s (day, channel, sku, currency, orders, units, gross_cents, discount_cents)
       SELECT day, channel, sku, currency, count(*), sum(units), sum(gross), sum(discount) FROM ${unnestLines} GROUP BY day, channel, sku, currency
       ON CONFLICT (day, channel, sku, currency) DO UPDATE SET orders = s.orders + EXCLUDED.orders, units = s.units + EXCLUDED.units,
         gross_cents = s.gross_cents + EXCLUDED.gross_cents, discount_cents = s.discount_cents + EXCLUDED.discount_cents`,
      parameters,
    );
  }
  if (counted.length > 0) {
    await tx.query(
      `INSERT INTO daily_channel_sales AS s (day, channel, currency, orders, units, gross_cents, discount_cents)
       SELECT day, channel, currency, count(*), sum(units), sum(subtotal_cents), sum(discount_cents)
         FROM order_facts WHERE order_id = ANY($1::text[]) GROUP BY day, channel, currency
       ON CONFLICT (day, channel, currency) DO UPDATE SET orders = s.orders + EXCLUDED.orders, units = s.units + EXCLUDED.units,
         gross_cents = s.gross_cents + EXCLUDED.gross_cents, discount_cents = s.discount_cents + EXCLUDED.discount_cents`,
      [counted.map(({ order }) => order.id)],
    );
  }
}

async function applyOrderFact(tx: SqlClient, order: OrderFact, timeZone: string): Promise<IngestOutcome> {
  const { placedAt, updatedAt } = checkOrderFact(order);
  const day = dayIn(placedAt, timeZone);
  await lockOrders(tx, [order.id]);
  const [stored] = await tx.query<StoredOrder>(
    `SELECT status, customer_id AS "customerId", updated_at AS "updatedAt" FROM order_facts WHERE order_id = $1`,
    [order.id],
  );
  if (stored && stored.updatedAt.getTime() > updatedAt.getTime()) return 'STALE';
  if (stored && stored.updatedAt.getTime() === updatedAt.getTime()) return 'UNCHANGED';
  if (stored) await withdrawOrder(tx, order.id, stored.status);
  const lines = linesBySku(order);
  const counts = order.status !== 'CANCELLED';
  const units = order.lines.reduce((sum, line) => sum + line.quantity, 0);
  const grossCents = order.lines.reduce((sum, line) => sum + line.quantity * line.unitPriceCents, 0);
  const discountCents = order.lines.reduce((sum, line) => sum + line.discountCents, 0);
  await tx.query(
    `INSERT INTO order_facts (order_id, channel, placed_at, day, status, currency, customer_id, units, subtotal_cents, discount_cents, total_cents, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
     ON CONFLICT (order_id) DO UPDATE SET channel = EXCLUDED.channel, placed_at = EXCLUDED.placed_at, day = EXCLUDED.day,
       status = EXCLUDED.status, currency = EXCLUDED.currency, customer_id = EXCLUDED.customer_id, units = EXCLUDED.units,
       subtotal_cents = EXCLUDED.subtotal_cents, discount_cents = EXCLUDED.discount_cents, total_cents = EXCLUDED.total_cents,
       updated_at = EXCLUDED.updated_at`,
    [order.id, order.channel, placedAt, day, order.status, order.currency, order.customerId, units, grossCents, discountCents, order.totals.totalCents, updatedAt],
  );
  if (counts) {
    if (lines.length > 0) {
      await tx.query(
        `INSERT INTO order_line_facts (order_id, sku, day, channel, currency, units, gross_cents, discount_cents)
         SELECT $1, l.sku, $2, $3, $4, l.units, l.gross, l.discount
           FROM unnest($5::text[], $6::int[], $7::bigint[], $8::bigint[]) AS l (sku, units, gross, discount)`,
        [order.id, day, order.channel, order.currency, lines.map((l) => l.sku), lines.map((l) => l.units), lines.map((l) => l.grossCents), lines.map((l) => l.discountCents)],
      );
      await tx.query(
        `INSERT INTO daily_sku_sales AS s (day, channel, sku, currency, orders, units, gross_cents, discount_cents)
         SELECT $1, $2, l.sku, $3, 1, l.units, l.gross, l.discount
           FROM unnest($4::text[], $5::int[], $6::bigint[], $7::bigint[]) AS l (sku, units, gross, discount)
         ON CONFLICT (day, channel, sku, currency) DO UPDATE SET orders = s.orders + 1, units = s.units + EXCLUDED.units,
           gross_cents = s.gross_cents + EXCLUDED.gross_cents, discount_cents = s.discount_cents + EXCLUDED.discount_cents`,
        [day, order.channel, order.currency, lines.map((l) => l.sku), lines.map((l) => l.units), lines.map((l) => l.grossCents), lines.map((l) => l.discountCents)],
      );
    }
    await tx.query(
      `INSERT INTO daily_channel_sales AS s (day, channel, currency, orders, units, gross_cents, discount_cents)
       VALUES ($1, $2, $3, 1, $4, $5, $6)
       ON CONFLICT (day, channel, currency) DO UPDATE SET orders = s.orders + 1, units = s.units + EXCLUDED.units,
         gross_cents = s.gross_cents + EXCLUDED.gross_cents, discount_cents = s.discount_cents + EXCLUDED.discount_cents`,
      [day, order.channel, order.currency, units, grossCents, discountCents],
    );
  }
  await summariseCustomers(tx, [...new Set([stored?.customerId, order.customerId].filter((id): id is string => typeof id === 'string'))].sort());
  return stored ? 'REPLACED' : 'RECORDED';
}

/** Takes an order's previous version out of the lines and the rollups (it is about to be replaced). */
async function withdrawOrder(tx: SqlClient, orderId: string, previousStatus: OrderFact['status']): Promise<void> {
  if (previousStatus === 'CANCELLED') return;
  await tx.query(
    `UPDATE daily_sku_sales AS s SET orders = s.orders - 1, units = s.units - l.units,
       gross_cents = s.gross_cents - l.gross_cents, discount_cents = s.discount_cents - l.discount_cents
       FROM order_line_facts AS l
      WHERE l.order_id = $1 AND s.day = l.day AND s.channel = l.channel AND s.sku = l.sku AND s.currency = l.currency`,
    [orderId],
  );
  await tx.query(
    `UPDATE daily_channel_sales AS s SET orders = s.orders - 1, units = s.units - o.units,
       gross_cents = s.gross_cents - o.subtotal_cents, discount_cents = s.discount_cents - o.discount_cents
       FROM order_facts AS o
      WHERE o.order_id = $1 AND s.day = o.day AND s.channel = o.channel AND s.currency = o.currency`,
    [orderId],
  );
  // A rollup row no order contributes to any more is gone, as if the order had never been seen.
  await tx.query(`DELETE FROM daily_sku_sales AS s USING order_line_facts AS l WHERE l.order_id = $1 AND s.day = l.day AND s.channel = l.channel AND s.sku = l.sku AND s.currency = l.currency AND s.orders = 0`, [orderId]);
  await tx.query(`DELETE FROM daily_channel_sales AS s USING order_facts AS o WHERE o.order_id = $1 AND s.day = o.day AND s.channel = o.channel AND s.currency = o.currency AND s.orders = 0`, [orderId]);
  await tx.query('DELETE FROM order_line_facts WHERE order_id = $1', [orderId]);
}

/**
 * Customers' acquisition channel (their first order's), value and order dates, and the channels
 * they bought on afterwards, from their orders that count. A customer's orders are few (an index
 * on customer_id), so recomputing is cheaper to get right than adjusting.
 */
async function summariseCustomers(tx: SqlClient, customerIds: readonly string[]): Promise<void> {
  if (customerIds.length === 0) return;
  // Their later channels go with them (ON DELETE CASCADE).
  await tx.query('DELETE FROM customer_summaries WHERE customer_id = ANY($1::text[])', [customerIds]);
  await tx.query(
    `WITH orders AS (
       SELECT customer_id, order_id, channel, day, placed_at, currency,
              row_number() OVER (PARTITION BY customer_id ORDER BY placed_at, order_id) AS n,
              count(*) OVER (PARTITION BY customer_id) AS orders,
              max(placed_at) OVER (PARTITION BY customer_id) AS last_placed_at,
              max(day) OVER (PARTITION BY customer_id) AS last_day,
              sum(subtotal_cents - discount_cents) OVER (PARTITION BY customer_id, currency) AS net_cents
         FROM order_facts WHERE customer_id = ANY($1::text[]) AND status <> 'CANCELLED'
     )
     INSERT INTO customer_summaries (customer_id, first_order_id, first_channel, first_day, first_placed_at, last_placed_at, last_day, orders, currency, net_cents)
     SELECT customer_id, order_id, channel, day, placed_at, last_placed_at, last_day, orders, currency, net_cents FROM orders WHERE n = 1`,
    [customerIds],
  );
  await tx.query(
    `INSERT INTO customer_later_channels (customer_id, channel, orders)
     SELECT customer_id, channel, count(*) FROM (
       SELECT customer_id, channel, row_number() OVER (PARTITION BY customer_id ORDER BY placed_at, order_id) AS n
         FROM order_facts WHERE customer_id = ANY($1::text[]) AND status <> 'CANCELLED'
     ) AS o WHERE n > 1 GROUP BY customer_id, channel`,
    [customerIds],
  );
}
