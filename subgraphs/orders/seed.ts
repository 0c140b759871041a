import { demoOrders } from '../../demo/orders.ts';
import type { Database } from '../../kit/database.ts';
import { canonicalStatus, type OrderBook } from './services/order-book.ts';

const SEED_SOURCE = 'demo-seed';

/**
 * Loads the demo order history (demo/orders.ts: 120 days on every channel) on first start, in one
 * transaction of set-based inserts: recording 2,000 orders one by one through the order book would
 * add half a minute to `npm start` on the embedded database. History goes to no subscriber (no
 * outbox events): `orderChanged` is for changes from now on. A database that has any order keeps it.
 */
export async function seedDemoOrders(_orders: OrderBook, db: Database, options: { until?: Date } = {}): Promise<{ seeded: boolean; orders: number }> {
  const [{ count }] = (await db.query<{ count: number }>('SELECT count(*)::int AS count FROM orders')) as [{ count: number }];
  if (count > 0) return { seeded: false, orders: 0 };
  const history = demoOrders(options.until ? { until: options.until } : {}).map((order) => ({
    ...order,
    canonicalStatus: canonicalStatus(order.status, order.lines.map(() => (order.status === 'CANCELLED' ? 'CANCELLED' : order.status === 'FULFILLED' ? 'FULFILLED' : 'OPEN'))),
  }));
  await db.transaction(async (tx) => {
    await tx.query(
      `WITH input AS (SELECT o FROM jsonb_array_elements($1::jsonb) AS t(o)),
       inserted AS (
         INSERT INTO orders (channel_id, platform, platform_order_id, status, placed_at, platform_updated_at, currency, subtotal_cents, discount_cents,
                             shipping_cents, tax_cents, total_cents, ship_to_postal_code, customer_id, content_hash, recorded_at)
         SELECT o->>'channel', o->>'platform', o->>'platformOrderId', o->>'canonicalStatus', (o->>'placedAt')::timestamptz, (o->>'updatedAt')::timestamptz, o->>'currency',
                (o#>>'{totals,subtotalCents}')::bigint, (o#>>'{totals,discountCents}')::bigint, (o#>>'{totals,shippingCents}')::bigint,
                (o#>>'{totals,taxCents}')::bigint, (o#>>'{totals,totalCents}')::bigint, o#>>'{shipTo,postalCode}', o->>'customerId', 'demo-seed', (o->>'placedAt')::timestamptz
           FROM input
         ON CONFLICT (channel_id, platform_order_id) DO NOTHING
         RETURNING id, channel_id, platform_order_id),
       seeded AS (SELECT inserted.id, input.o FROM inserted JOIN input ON input.o->>'channel' = inserted.channel_id AND input.o->>'platformOrderId' = inserted.platform_order_id),
       lines AS (
         INSERT INTO order_lines (order_id, line_id, position, sku, quantity, status, unit_price_cents, discount_cents)
         SELECT seeded.id, l->>'lineId', (position - 1)::int, l->>'sku', (l->>'quantity')::int,
                CASE seeded.o->>'status' WHEN 'CANCELLED' THEN 'CANCELLED' WHEN 'FULFILLED' THEN 'FULFILLED' ELSE 'OPEN' END,
                (l->>'unitPriceCents')::bigint, (l->>'discountCents')::bigint
           FROM seeded CROSS JOIN LATERAL jsonb_array_elements(seeded.o->'lines') WITH ORDINALITY AS t(l, position)
         RETURNING 1),
       placed AS (
         INSERT INTO order_status_changes (order_id, status, at, source)
         SELECT id, 'OPEN', (o->>'placedAt')::timestamptz, o->>'platform' FROM seeded
         UNION ALL
         SELECT id, o->>'canonicalStatus', (o->>'updatedAt')::timestamptz, o->>'platform' FROM seeded WHERE o->>'canonicalStatus' <> 'OPEN'
         RETURNING 1),
       shipped AS (
         INSERT INTO fulfilments (order_id, carrier, tracking_code, tracking_url, lines, at, source)
         SELECT id, o#>>'{fulfilment,carrier}', o#>>'{fulfilment,trackingCode}', o#>>'{fulfilment,trackingUrl}',
                (SELECT jsonb_agg(jsonb_build_object('lineId', l->>'lineId', 'quantity', (l->>'quantity')::int)) FROM jsonb_array_elements(o->'lines') AS l),
                (o#>>'{fulfilment,at}')::timestamptz, $2
           FROM seeded WHERE o->'fulfilment' IS NOT NULL AND jsonb_typeof(o->'fulfilment') = 'object'
         RETURNING 1)
       SELECT (SELECT count(*) FROM lines) + (SELECT count(*) FROM placed) + (SELECT count(*) FROM shipped) AS written`,
      [JSON.stringify(history), SEED_SOURCE],
    );
  });
  return { seeded: true, orders: history.length };
}
