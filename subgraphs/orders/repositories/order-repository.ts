import type { SqlClient } from '../../../kit/database.ts';
import { ErrorCode, PonteError } from '../../../kit/errors.ts';
import { currentTraceparent } from '../../../kit/telemetry.ts';
import type { ChannelFulfilmentRow, FulfilmentRow, OrderChangeKind, OrderEvent, OrderLineRow, OrderPage, OrderRow, OrderStatus, OrderStatusChangeRow } from '../models.ts';

const iso = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
/** To the microsecond: a cursor must name the exact row it stopped at. */
const exact = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

export const ORDER_COLUMNS = `o.id::text AS id, o.channel_id AS "channelId", o.platform, o.platform_order_id AS "platformOrderId", o.status,
  ${iso('o.placed_at')} AS "placedAt", ${iso('o.platform_updated_at')} AS "updatedAt", o.currency,
  o.subtotal_cents AS "subtotalCents", o.discount_cents AS "discountCents", o.shipping_cents AS "shippingCents",
  o.tax_cents AS "taxCents", o.total_cents AS "totalCents", o.ship_to_postal_code AS "shipToPostalCode",
  o.customer_id AS "customerId", ${iso('o.recorded_at')} AS "recordedAt", ${iso('o.changed_at')} AS "changedAt", ${exact('o.placed_at')} AS "placedAtKey"`;

/** The largest page a client may ask for. */
export const MAX_PAGE_SIZE = 100;

export async function ordersByIds(db: SqlClient, ids: readonly string[]): Promise<OrderRow[]> {
  const numeric = ids.filter((id) => /^\d{1,18}$/.test(id));
  if (numeric.length === 0) return [];
  return db.query<OrderRow>(`SELECT ${ORDER_COLUMNS} FROM orders o WHERE o.id = ANY($1::bigint[])`, [numeric]);
}

export async function orderOnChannel(db: SqlClient, channelId: string, platformOrderId: string): Promise<OrderRow | undefined> {
  const [row] = await db.query<OrderRow>(`SELECT ${ORDER_COLUMNS} FROM orders o WHERE o.channel_id = $1 AND o.platform_order_id = $2`, [channelId, platformOrderId]);
  return row;
}

export async function linesForOrders(db: SqlClient, orderIds: readonly string[]): Promise<OrderLineRow[]> {
  return db.query<OrderLineRow>(
    `SELECT l.order_id::text AS "orderId", l.line_id AS "lineId", l.sku, l.quantity, l.status, l.unit_price_cents AS "unitPriceCents",
            l.discount_cents AS "discountCents", l.reservation_id AS "reservationId", o.currency
       FROM order_lines l JOIN orders o ON o.id = l.order_id
      WHERE l.order_id = ANY($1::bigint[]) ORDER BY l.order_id, l.position`,
    [orderIds],
  );
}

export async function statusChangesForOrders(db: SqlClient, orderIds: readonly string[]): Promise<OrderStatusChangeRow[]> {
  return db.query<OrderStatusChangeRow>(
    `SELECT order_id::text AS "orderId", status, ${iso('at')} AS at, source FROM order_status_changes WHERE order_id = ANY($1::bigint[]) ORDER BY order_id, id`,
    [orderIds],
  );
}

export async function fulfilmentsForOrders(db: SqlClient, orderIds: readonly string[]): Promise<FulfilmentRow[]> {
  return db.query<FulfilmentRow>(
    `SELECT id::text AS id, order_id::text AS "orderId", carrier, tracking_code AS "trackingCode", tracking_url AS "trackingUrl", lines, ${iso('at')} AS at, source
       FROM fulfilments WHERE order_id = ANY($1::bigint[]) ORDER BY order_id, at, id`,
    [orderIds],
  );
}

/** The order each reservation holds a line of. */
export async function ordersByReservation(db: SqlClient, reservationIds: readonly string[]): Promise<Array<OrderRow & { reservationId: string }>> {
  return db.query<OrderRow & { reservationId: string }>(
    `SELECT DISTINCT ON (l.reservation_id) l.reservation_id AS "reservationId", ${ORDER_COLUMNS}
       FROM order_lines l JOIN orders o ON o.id = l.order_id WHERE l.reservation_id = ANY($1::text[]) ORDER BY l.reservation_id, o.id`,
    [reservationIds],
  );
}

// Pages -------------------------------------------------------------------------------------

export interface OrderFilterValue {
  channel?: string | null | undefined;
  status?: OrderStatus | null | undefined;
  customerId?: string | null | undefined;
  sku?: string | null | undefined;
  placedFrom?: string | null | undefined;
  placedTo?: string | null | undefined;
}

/** An opaque cursor: the (placedAt, id) of the last order a page showed. */
export function encodeCursor(row: Pick<OrderRow, 'placedAtKey' | 'id'>): string {
  return Buffer.from(`${row.placedAtKey}|${row.id}`, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): { placedAt: string; id: string } {
  const [placedAt, id, ...rest] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (rest.length > 0 || !placedAt || !id || !/^\d{1,18}$/.test(id) || !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/.test(placedAt)) {
    throw new PonteError(ErrorCode.BAD_USER_INPUT, 'after is not a cursor this list gave', { field: 'after' });
  }
  return { placedAt, id };
}

export function pageSize(first: number | null | undefined): number {
  const size = first ?? 20;
  if (!Number.isInteger(size) || size < 0 || size > MAX_PAGE_SIZE) {
    throw new PonteError(ErrorCode.BAD_USER_INPUT, `first must be 0 to ${MAX_PAGE_SIZE}`, { field: 'first' });
  }
  return size;
}

function timeBound(value: string | null | undefined, field: string): string | null {
  if (value === null || value === undefined) return null;
  if (Number.isNaN(Date.parse(value))) throw new PonteError(ErrorCode.BAD_USER_INPUT, `${field} must be an ISO 8601 time`, { field });
  return new Date(value).toISOString();
}

/**
 * One page of orders, newest first, by keyset on (placed_at, id): no OFFSET, so an order recorded
 * while a client pages through shifts nothing already read, and a page costs the same however deep.
 */
export async function orderPage(db: SqlClient, filter: OrderFilterValue, first: number | null | undefined, after: string | null | undefined): Promise<OrderPage> {
  const size = pageSize(first);
  const cursor = after ? decodeCursor(after) : null;
  const params: unknown[] = [];
  const where: string[] = [];
  const param = (value: unknown) => `$${params.push(value)}`;
  if (filter.channel) where.push(`o.channel_id = ${param(filter.channel)}`);
  if (filter.status) where.push(`o.status = ${param(filter.status)}`);
  if (filter.customerId) where.push(`o.customer_id = ${param(filter.customerId)}`);
  if (filter.sku) where.push(`EXISTS (SELECT 1 FROM order_lines l WHERE l.order_id = o.id AND l.sku = ${param(filter.sku)})`);
  const from = timeBound(filter.placedFrom, 'placedFrom');
  const to = timeBound(filter.placedTo, 'placedTo');
  if (from) where.push(`o.placed_at >= ${param(from)}::timestamptz`);
  if (to) where.push(`o.placed_at < ${param(to)}::timestamptz`);
  if (cursor) where.push(`(o.placed_at, o.id) < (${param(cursor.placedAt)}::timestamptz, ${param(cursor.id)}::bigint)`);
  const rows = await db.query<OrderRow>(
    `SELECT ${ORDER_COLUMNS} FROM orders o ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY o.placed_at DESC, o.id DESC LIMIT ${param(size + 1)}`,
    params,
  );
  return toPage(rows, size);
}

/** The largest page of `orderChangesSince`: a consumer catching up reads thousands of orders. */
export const MAX_CHANGE_PAGE_SIZE = 500;

function decodeChangeCursor(cursor: string): { eventId: string; orderId: string } {
  const [kind, eventId, orderId, ...rest] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (kind !== 'change' || rest.length > 0 || !/^\d{1,18}$/.test(eventId ?? '') || !/^\d{1,18}$/.test(orderId ?? '')) {
    throw new PonteError(ErrorCode.BAD_USER_INPUT, 'after is not a cursor this list gave', { field: 'after' });
  }
  return { eventId: eventId!, orderId: orderId! };
}

/**
 * Orders keyed by (their latest outbox event id, order id), after a cursor, in key order. Outbox ids
 * become visible in id order, so whatever commits after a reader's cursor gets a larger key: a
 * reader that remembers its last cursor misses no change. History seeded without events keys at 0.
 * Past the first pass only orders with events at or after the cursor's are looked at (the outbox's
 * primary key), so a caught-up reader's page costs what changed, not the whole table.
 */
export async function orderChangesPage(db: SqlClient, first: number | null | undefined, after: string | null | undefined): Promise<OrderPage> {
  const size = Math.min(Math.max(first ?? 100, 1), MAX_CHANGE_PAGE_SIZE);
  if (first !== null && first !== undefined && (!Number.isInteger(first) || first < 1)) throw new PonteError(ErrorCode.BAD_USER_INPUT, 'first must be a positive whole number', { field: 'first' });
  const cursor = after ? decodeChangeCursor(after) : { eventId: '0', orderId: '0' };
  const rows = await db.query<OrderRow & { eventId: string }>(
    `WITH changed AS (
       SELECT order_id, max(id) AS event_id FROM order_events WHERE id >= $1::bigint GROUP BY order_id
     ), keyed AS (
       SELECT order_id, event_id FROM changed
       UNION ALL
       SELECT o.id, 0 FROM orders o WHERE $1::bigint = 0 AND NOT EXISTS (SELECT 1 FROM order_events e WHERE e.order_id = o.id)
     )
     SELECT ${ORDER_COLUMNS}, k.event_id::text AS "eventId" FROM keyed k JOIN orders o ON o.id = k.order_id
      WHERE (k.event_id, k.order_id) > ($1::bigint, $2::bigint)
      ORDER BY k.event_id, k.order_id LIMIT $3`,
    [cursor.eventId, cursor.orderId, size + 1],
  );
  return {
    edges: rows.slice(0, size).map(({ eventId, ...node }) => ({ cursor: Buffer.from(`change|${eventId}|${node.id}`).toString('base64url'), node })),
    hasNextPage: rows.length > size,
  };
}

function toPage(rows: OrderRow[], size: number): OrderPage {
  return { edges: rows.slice(0, size).map((node) => ({ cursor: encodeCursor(node), node })), hasNextPage: rows.length > size };
}

/**
 * A page of orders for each of several SKUs or customers (a list of products each showing its
 * orders), in one statement: a lateral keyset read per key.
 */
export async function orderPagesFor(db: SqlClient, by: 'sku' | 'customer', keys: readonly string[], first: number, after: string | null): Promise<OrderPage[]> {
  const cursor = after ? decodeCursor(after) : null;
  const match = by === 'sku' ? 'EXISTS (SELECT 1 FROM order_lines l WHERE l.order_id = o.id AND l.sku = k.key)' : 'o.customer_id = k.key';
  const rows = await db.query<OrderRow & { key: string }>(
    `SELECT k.key, page.* FROM unnest($1::text[]) AS k(key)
       CROSS JOIN LATERAL (
         SELECT ${ORDER_COLUMNS} FROM orders o
          WHERE ${match} AND ($2::timestamptz IS NULL OR (o.placed_at, o.id) < ($2::timestamptz, $3::bigint))
          ORDER BY o.placed_at DESC, o.id DESC LIMIT $4) AS page`,
    [keys, cursor?.placedAt ?? null, cursor?.id ?? null, first + 1],
  );
  return keys.map((key) => toPage(rows.filter((row) => row.key === key).map(({ key: _key, ...row }) => row), first));
}

// Outbox ------------------------------------------------------------------------------------

export function orderOutboxChannel(schema: string): string {
  return `ponte_order_events_${schema}`;
}

/**
 * Appends one event, in the caller's transaction: it reaches order_events, with its id, as the
 * transaction commits (migration 005_outbox_ids_at_commit.sql), so ids become visible in id order
 * without a lock held across this process's round trips. NOTIFY is delivered only if it commits.
 */
export async function appendOrderEvent(tx: SqlClient, schema: string, event: { orderId: string; channelId: string; kind: OrderChangeKind; status: OrderStatus; fulfilmentId?: string }): Promise<void> {
  await tx.query(
    `WITH appended AS (
       INSERT INTO order_events_pending (order_id, channel_id, kind, status, trace_parent, fulfilment_id) VALUES ($1, $2, $3, $4, $5, $7::bigint) RETURNING 1)
     SELECT pg_notify($6, '') FROM (SELECT count(*) FROM appended) AS written`,
    [event.orderId, event.channelId, event.kind, event.status, currentTraceparent() ?? null, orderOutboxChannel(schema), event.fulfilmentId ?? null],
  );
}

/**
 * Parcels fulfilOrder recorded for a channel's orders, after an event id, oldest first: the feed a
 * platform subgraph follows to tell its platform (it keeps the last id it handled).
 */
export async function channelFulfilmentsAfter(db: SqlClient, channelId: string, afterId: number, limit: number): Promise<ChannelFulfilmentRow[]> {
  return db.query<ChannelFulfilmentRow>(
    `SELECT e.id::text AS cursor, f.id::text AS "fulfilmentId", o.id::text AS "orderId", o.platform_order_id AS "platformOrderId", f.carrier,
            f.tracking_code AS "trackingCode", f.tracking_url AS "trackingUrl", ${iso('f.at')} AS "shippedAt",
            (SELECT coalesce(jsonb_agg(jsonb_build_object('lineId', p->>'lineId', 'quantity', (p->>'quantity')::int, 'sku', l.sku) ORDER BY n), '[]'::jsonb)
               FROM jsonb_array_elements(f.lines) WITH ORDINALITY AS parcel(p, n)
               LEFT JOIN order_lines l ON l.order_id = o.id AND l.line_id = p->>'lineId') AS lines
       FROM order_events e JOIN fulfilments f ON f.id = e.fulfilment_id JOIN orders o ON o.id = e.order_id
      WHERE e.channel_id = $1 AND e.fulfilment_id IS NOT NULL AND e.id > $2
      ORDER BY e.id LIMIT $3`,
    [channelId, afterId, limit],
  );
}

export async function orderEventsAfter(db: SqlClient, afterId: number, limit: number): Promise<OrderEvent[]> {
  return db.query<OrderEvent>(
    `SELECT id::text AS id, order_id::text AS "orderId", channel_id AS "channelId", kind, status, ${iso('occurred_at')} AS "occurredAt", trace_parent AS traceparent
       FROM order_events WHERE id > $1 ORDER BY order_events.id LIMIT $2`,
    [afterId, limit],
  );
}

export async function lastOrderEventId(db: SqlClient): Promise<number> {
  const [row] = await db.query<{ id: number }>('SELECT coalesce(max(id), 0)::bigint AS id FROM order_events');
  return Number(row?.id ?? 0);
}
