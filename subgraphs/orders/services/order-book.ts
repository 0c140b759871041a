import { createHash } from 'node:crypto';
import type { Database, SqlClient } from '../../../kit/database.ts';
import { ErrorCode, PonteError } from '../../../kit/errors.ts';
import type { Logger } from '../../../kit/logger.ts';
import type { Principal } from '../../../kit/principal.ts';
import type { ShopperContact } from '../../platform-common/order-sync.ts';
import type { CustomerDirectory } from '../customer-directory.ts';
import type { FulfilmentRow, FulfilResult, OrderChangeKind, OrderLineStatus, OrderRow, OrderStatus, RecordResult } from '../models.ts';
import { appendOrderEvent, fulfilmentsForOrders, ORDER_COLUMNS, orderOnChannel } from '../repositories/order-repository.ts';

/**
 * Commits a reservation's units in the inventory (its `fulfilReservation`, called with the orders
 * service's own key). Idempotent by key; a reservation already closed (the platform's FULFILLED
 * webhook got there first) is no failure: its units left on hand once.
 */
export interface StockCommitter {
  commit(input: { idempotencyKey: string; reservationId: string; reason: string }): Promise<void>;
}

/** No inventory configured (a unit test of the book alone): nothing to commit. */
export const NO_STOCK_COMMITTER: StockCommitter = { commit: async () => {} };

/** The `fulfilOrder` input. */
export interface FulfilOrderInput {
  orderId: string;
  idempotencyKey: string;
  carrier: string;
  trackingCode: string;
  trackingUrl?: string | null | undefined;
  lines: Array<{ lineId: string; quantity: number }>;
}

export type ChannelOrderStatus = 'OPEN' | 'FULFILLED' | 'CANCELLED';

/** A channel's order as a platform subgraph records it (the `recordChannelOrder` input). */
export interface RecordChannelOrderInput {
  channel: string;
  platform: string;
  platformOrderId: string;
  status: ChannelOrderStatus;
  lines: Array<{
    lineId: string;
    sku?: string | null | undefined;
    quantity: number;
    status?: ChannelOrderStatus | null | undefined;
    unitPriceCents?: number | null | undefined;
    discountCents?: number | null | undefined;
    reservationId?: string | null | undefined;
  }>;
  placedAt?: string | null | undefined;
  updatedAt?: string | null | undefined;
  currency?: string | null | undefined;
  totals?: { subtotalCents: number; discountCents: number; shippingCents: number; taxCents: number; totalCents: number } | null | undefined;
  shipTo?: { postalCode: string } | null | undefined;
  customer?: ShopperContact | null | undefined;
}

const MAX_ID_LENGTH = 200;
const MAX_LINES = 500;
const DEFAULT_CURRENCY = 'BRL';

/**
 * The canonical orders: records each channel's order once per (channel, platform order id), and
 * each newer version of it, in one transaction with its status timeline and its outbox event.
 */
export class OrderBook {
  readonly #db: Database;
  readonly #log: Logger;
  readonly #customers: CustomerDirectory;

  readonly #stock: StockCommitter;

  constructor(db: Database, log: Logger, customers: CustomerDirectory, stock: StockCommitter = NO_STOCK_COMMITTER) {
    this.#db = db;
    this.#log = log.child({ component: 'order-book' });
    this.#customers = customers;
    this.#stock = stock;
  }

  /**
   * Records a parcel for an order and moves the order on, in one transaction with its timeline and
   * its FULFILMENT_ADDED outbox event (which the order's platform subgraph follows to tell the
   * platform). Validated under the order's row lock, so two parcels at once never ship more than the
   * line has. Then each line now shipped in full commits its reservation in the inventory; a replay
   * of the same key commits again what a failed call left open (the inventory's key makes it once).
   */
  async fulfil(input: FulfilOrderInput, principal: Principal | undefined): Promise<FulfilResult> {
    requireScope(principal, 'orders:write', 'fulfil orders');
    const parcel = normaliseParcel(input);
    const source = principal?.name ?? 'ponte';
    const result = await this.#db.transaction((tx) => this.#fulfil(tx, parcel, principal, source));
    if (!result.replayed) this.#log.info({ orderId: result.order.id, fulfilmentId: result.fulfilment.id, carrier: parcel.carrier, status: result.order.status }, 'order fulfilled');
    await this.#commitStock(result.order.id, result.fulfilment);
    return { order: result.order, fulfilment: result.fulfilment, replayed: result.replayed };
  }

  async #fulfil(tx: SqlClient, parcel: NormalisedParcel, principal: Principal | undefined, source: string): Promise<FulfilResult> {
    const [order] = await tx.query<{ id: string; channelId: string; status: OrderStatus }>(
      'SELECT id::text AS id, channel_id AS "channelId", status FROM orders WHERE id = $1 FOR UPDATE',
      [parcel.orderId],
    );
    // A partner unknown to a channel learns nothing about its orders, not even that one exists.
    if (!order || (principal?.channels && !principal.channels.includes(order.channelId))) {
      throw new PonteError(ErrorCode.UNKNOWN_ORDER, `no order ${parcel.orderId}`, { orderId: parcel.orderId });
    }
    const [earlier] = await tx.query<{ id: string; carrier: string; trackingCode: string; lines: Array<{ lineId: string; quantity: number }> }>(
      'SELECT id::text AS id, carrier, tracking_code AS "trackingCode", lines FROM fulfilments WHERE order_id = $1 AND idempotency_key = $2',
      [order.id, parcel.idempotencyKey],
    );
    if (earlier) {
      const same = earlier.carrier === parcel.carrier && earlier.trackingCode === parcel.trackingCode && JSON.stringify(earlier.lines) === JSON.stringify(parcel.lines);
      if (!same) throw new PonteError(ErrorCode.IDEMPOTENCY_KEY_REUSED, 'this idempotency key recorded another parcel', { idempotencyKey: parcel.idempotencyKey });
      return { order: await readOrder(tx, order.id), fulfilment: await readFulfilment(tx, order.id, earlier.id), replayed: true };
    }
    if (order.status === 'CANCELLED') throw new PonteError(ErrorCode.ORDER_CANCELLED, `order ${order.id} was cancelled: nothing ships`, { orderId: order.id });
    const lines = await tx.query<{ lineId: string; quantity: number; fulfilledQuantity: number; status: OrderLineStatus }>(
      'SELECT line_id AS "lineId", quantity, fulfilled_quantity AS "fulfilledQuantity", status FROM order_lines WHERE order_id = $1 AND line_id = ANY($2::text[])',
      [order.id, parcel.lines.map((line) => line.lineId)],
    );
    for (const wanted of parcel.lines) {
      const line = lines.find((candidate) => candidate.lineId === wanted.lineId);
      if (!line) throw new PonteError(ErrorCode.UNKNOWN_ORDER_LINE, `order ${order.id} has no line ${wanted.lineId}`, { orderId: order.id, lineId: wanted.lineId });
      // A line the platform says shipped (or cancelled) has nothing left to ship through Ponte.
      const remaining = line.status === 'OPEN' ? Math.max(0, line.quantity - line.fulfilledQuantity) : 0;
      if (wanted.quantity > remaining) {
        throw new PonteError(ErrorCode.FULFILMENT_EXCEEDS_ORDER, `line ${wanted.lineId} has ${remaining} unit(s) left to ship, not ${wanted.quantity}`, { orderId: order.id, lineId: wanted.lineId, remaining });
      }
    }
    const [fulfilment] = await tx.query<{ id: string }>(
      `INSERT INTO fulfilments (order_id, carrier, tracking_code, tracking_url, lines, at, source, idempotency_key) VALUES ($1, $2, $3, $4, $5::jsonb, now(), $6, $7)
       ON CONFLICT DO NOTHING RETURNING id::text AS id`,
      [order.id, parcel.carrier, parcel.trackingCode, parcel.trackingUrl, JSON.stringify(parcel.lines), source, parcel.idempotencyKey],
    );
    if (!fulfilment) throw new PonteError(ErrorCode.BAD_USER_INPUT, `tracking code ${parcel.trackingCode} of ${parcel.carrier} is already on order ${order.id}`, { field: 'trackingCode' });
    await tx.query(
      `UPDATE order_lines l SET fulfilled_quantity = l.fulfilled_quantity + p.quantity,
              status = CASE WHEN l.fulfilled_quantity + p.quantity >= l.quantity THEN 'FULFILLED' ELSE l.status END
         FROM (SELECT x->>'lineId' AS line_id, (x->>'quantity')::int AS quantity FROM jsonb_array_elements($2::jsonb) AS x) AS p
        WHERE l.order_id = $1 AND l.line_id = p.line_id`,
      [order.id, JSON.stringify(parcel.lines)],
    );
    const status = await settleStatus(tx, order.id, order.status, source);
    await appendOrderEvent(tx, this.#db.schema, { orderId: order.id, channelId: order.channelId, kind: 'FULFILMENT_ADDED', status, fulfilmentId: fulfilment.id });
    return { order: await readOrder(tx, order.id), fulfilment: await readFulfilment(tx, order.id, fulfilment.id), replayed: false };
  }

  /** Commits the reservation of every line of the parcel that has now shipped in full. */
  async #commitStock(orderId: string, fulfilment: FulfilmentRow): Promise<void> {
    const shipped = await this.#db.query<{ lineId: string; reservationId: string }>(
      `SELECT line_id AS "lineId", reservation_id AS "reservationId" FROM order_lines
        WHERE order_id = $1 AND line_id = ANY($2::text[]) AND reservation_id IS NOT NULL AND fulfilled_quantity >= quantity`,
      [orderId, fulfilment.lines.map((line) => line.lineId)],
    );
    for (const line of shipped) {
      await this.#stock.commit({ idempotencyKey: `order-fulfilment:${line.reservationId}`, reservationId: line.reservationId, reason: `order ${orderId} shipped (fulfilment ${fulfilment.id})` });
    }
  }

  /**
   * Idempotent: the same version again (a redelivery, a second replica applying the same message)
   * is UNCHANGED; a version whose `updatedAt` is older than the one recorded is STALE; either way
   * nothing is written. Two callers recording the same order at once record it once: the insert
   * is guarded by the (channel, platform order id) key and every update holds the order's row lock.
   */
  async record(input: RecordChannelOrderInput, principal: Principal | undefined): Promise<RecordResult> {
    requireScope(principal, 'orders:write', 'record orders');
    // A partner's orders:write is for shipping its channels' orders; the channel's orders come from its platform's intake.
    if (principal?.role === 'partner') throw new PonteError(ErrorCode.FORBIDDEN, `${principal.name} may not record channel orders (orders:write lets a partner fulfil them)`, { scope: 'orders:write' });
    if (principal?.channels && !principal.channels.includes(input.channel)) {
      throw new PonteError(ErrorCode.FORBIDDEN, `${principal.name} may not record orders of channel ${input.channel}`, { channel: input.channel });
    }
    const order = normalise(input);
    // Asked before the transaction (a call to another service holds no lock); the contact goes no further.
    const observation = { channel: order.channel, orderReference: order.platformOrderId, observedAt: order.updatedAt ?? order.placedAt ?? new Date().toISOString() };
    const customerId = input.customer ? await this.#customers.identify(input.customer, observation) : null;
    const source = principal?.name ?? order.platform;
    const result = await this.#db.transaction((tx) => this.#record(tx, order, customerId, source));
    if (result.outcome !== 'UNCHANGED') this.#log.info({ orderId: result.order.id, channel: order.channel, platformOrderId: order.platformOrderId, status: result.order.status, outcome: result.outcome }, 'channel order recorded');
    return result;
  }

  async #record(tx: SqlClient, order: NormalisedOrder, customerId: string | null, source: string): Promise<RecordResult> {
    const versionAt = order.updatedAt ?? null;
    const [created] = await tx.query<{ id: string }>(
      `INSERT INTO orders (channel_id, platform, platform_order_id, status, placed_at, platform_updated_at, currency, subtotal_cents, discount_cents,
                           shipping_cents, tax_cents, total_cents, ship_to_postal_code, customer_id, content_hash)
       VALUES ($1, $2, $3, $4, coalesce($5::timestamptz, now()), coalesce($6::timestamptz, $5::timestamptz, now()), $7, $8, $9, $10, $11, $12, $13, $14, $15)
       ON CONFLICT (channel_id, platform_order_id) DO NOTHING RETURNING id::text AS id`,
      [order.channel, order.platform, order.platformOrderId, order.status, order.placedAt, versionAt, order.currency, order.totals.subtotalCents, order.totals.discountCents,
        order.totals.shippingCents, order.totals.taxCents, order.totals.totalCents, order.postalCode, customerId, order.hash],
    );
    if (created) {
      await writeLines(tx, created.id, order);
      await tx.query(
        'INSERT INTO order_status_changes (order_id, status, at, source) SELECT id, status, platform_updated_at, $2 FROM orders WHERE id = $1',
        [created.id, source],
      );
      await appendOrderEvent(tx, this.#db.schema, { orderId: created.id, channelId: order.channel, kind: 'PLACED', status: order.status });
      return { order: await readOrder(tx, created.id), outcome: 'CREATED' };
    }

    const [current] = await tx.query<{ id: string; status: OrderStatus; contentHash: string; customerId: string | null; postalCode: string | null; stale: boolean }>(
      `SELECT id::text AS id, status, content_hash AS "contentHash", customer_id AS "customerId", ship_to_postal_code AS "postalCode", ($3::timestamptz < platform_updated_at) AS stale
         FROM orders WHERE channel_id = $1 AND platform_order_id = $2 FOR UPDATE`,
      [order.channel, order.platformOrderId, versionAt],
    );
    if (!current) throw new Error(`order ${order.channel}/${order.platformOrderId} vanished while being recorded`);
    if (current.stale) return { order: await readOrder(tx, current.id), outcome: 'STALE' };
    // A version sent without a ship-to keeps the one recorded (a platform subgraph reads it once,
    // when it first reserves the order's lines): the same version, not a change.
    if (order.postalCode === null && current.postalCode !== null) order = withHash({ ...order, postalCode: current.postalCode });
    // A directory that cannot name the shopper now never unlinks an order it named before.
    const customerChanged = customerId !== null && customerId !== current.customerId;
    if (current.contentHash === order.hash && !customerChanged) return { order: await readOrder(tx, current.id), outcome: 'UNCHANGED' };

    // changed_at strictly increases per order (to the millisecond Order.changedAt shows), even for two
    // writers whose transactions began in the other order: services keeping a copy version by it.
    await tx.query(
      `UPDATE orders SET status = $2, placed_at = coalesce($3::timestamptz, placed_at), platform_updated_at = coalesce($4::timestamptz, platform_updated_at),
              currency = $5, subtotal_cents = $6, discount_cents = $7, shipping_cents = $8, tax_cents = $9, total_cents = $10,
              ship_to_postal_code = coalesce($11, ship_to_postal_code), customer_id = coalesce($12, customer_id), content_hash = $13,
              changed_at = greatest(clock_timestamp(), changed_at + interval '1 millisecond')
        WHERE id = $1`,
      [current.id, order.status, order.placedAt, versionAt, order.currency, order.totals.subtotalCents, order.totals.discountCents, order.totals.shippingCents,
        order.totals.taxCents, order.totals.totalCents, order.postalCode, customerId, order.hash],
    );
    await writeLines(tx, current.id, order);
    // A version the platform wrote before it heard of Ponte's parcels still says OPEN: what shipped
    // through Ponte stays shipped.
    const status = order.status === 'CANCELLED' ? order.status : ((await statusFromShipments(tx, current.id)) ?? order.status);
    if (status !== order.status) await tx.query('UPDATE orders SET status = $2 WHERE id = $1', [current.id, status]);
    let kind: OrderChangeKind = 'UPDATED';
    if (current.status !== status) {
      kind = 'STATUS_CHANGED';
      await tx.query(
        'INSERT INTO order_status_changes (order_id, status, at, source) SELECT id, status, coalesce($2::timestamptz, now()), $3 FROM orders WHERE id = $1',
        [current.id, versionAt, source],
      );
    }
    await appendOrderEvent(tx, this.#db.schema, { orderId: current.id, channelId: order.channel, kind, status });
    return { order: await readOrder(tx, current.id), outcome: 'UPDATED' };
  }

  /**
   * Records a parcel sent for an order, once per (carrier, tracking code). For the fulfilment
   * workflow and the demo data; the platform subgraphs' intake records no tracking.
   */
  async recordFulfilment(orderId: string, fulfilment: { carrier: string; trackingCode: string; trackingUrl?: string | null; lines: Array<{ lineId: string; quantity: number }>; at: string; source: string }): Promise<boolean> {
    return this.#db.transaction(async (tx) => {
      const inserted = await tx.query<{ channelId: string; status: OrderStatus }>(
        `WITH added AS (
           INSERT INTO fulfilments (order_id, carrier, tracking_code, tracking_url, lines, at, source) VALUES ($1, $2, $3, $4, $5::jsonb, $6::timestamptz, $7)
           ON CONFLICT (order_id, carrier, tracking_code) DO NOTHING RETURNING order_id)
         SELECT o.channel_id AS "channelId", o.status FROM orders o JOIN added ON added.order_id = o.id`,
        [orderId, fulfilment.carrier, fulfilment.trackingCode, fulfilment.trackingUrl ?? null, JSON.stringify(fulfilment.lines), fulfilment.at, fulfilment.source],
      );
      const order = inserted[0];
      if (!order) return false;
      await appendOrderEvent(tx, this.#db.schema, { orderId, channelId: order.channelId, kind: 'FULFILMENT_ADDED', status: order.status });
      return true;
    });
  }

  orderOnChannel(channel: string, platformOrderId: string): Promise<OrderRow | undefined> {
    return orderOnChannel(this.#db, channel, platformOrderId);
  }
}

interface NormalisedParcel {
  orderId: string;
  idempotencyKey: string;
  carrier: string;
  trackingCode: string;
  trackingUrl: string | null;
  lines: Array<{ lineId: string; quantity: number }>;
}

function normaliseParcel(input: FulfilOrderInput): NormalisedParcel {
  const orderId = text(input.orderId, 'orderId');
  if (!/^\d{1,18}$/.test(orderId)) throw new PonteError(ErrorCode.UNKNOWN_ORDER, `no order ${orderId}`, { orderId });
  if (input.lines.length === 0) throw new PonteError(ErrorCode.BAD_USER_INPUT, 'a fulfilment ships at least one line', { field: 'lines' });
  if (input.lines.length > MAX_LINES) throw new PonteError(ErrorCode.BAD_USER_INPUT, `a fulfilment has at most ${MAX_LINES} lines`, { field: 'lines' });
  const seen = new Set<string>();
  const lines = input.lines.map((line, index) => {
    const lineId = text(line.lineId, `lines[${index}].lineId`);
    if (seen.has(lineId)) throw new PonteError(ErrorCode.BAD_USER_INPUT, `line ${lineId} appears twice`, { field: `lines[${index}].lineId` });
    seen.add(lineId);
    if (!Number.isInteger(line.quantity) || line.quantity < 1) throw new PonteError(ErrorCode.INVALID_QUANTITY, `lines[${index}].quantity must be a whole number, at least 1`, { field: `lines[${index}].quantity` });
    return { lineId, quantity: line.quantity };
  });
  let trackingUrl: string | null = null;
  if (input.trackingUrl) {
    const url = URL.canParse(input.trackingUrl) ? new URL(input.trackingUrl) : null;
    if (!url || !['http:', 'https:'].includes(url.protocol) || input.trackingUrl.length > 2000) throw new PonteError(ErrorCode.BAD_USER_INPUT, 'trackingUrl must be an http(s) URL', { field: 'trackingUrl' });
    trackingUrl = url.toString();
  }
  return { orderId, idempotencyKey: text(input.idempotencyKey, 'idempotencyKey'), carrier: text(input.carrier, 'carrier', 100), trackingCode: text(input.trackingCode, 'trackingCode', 100), trackingUrl, lines };
}

/**
 * The order's status from its lines once Ponte has shipped some of them: a line shipped in part
 * makes the order PARTIALLY_FULFILLED. Records the change in the timeline; returns the status.
 */
async function settleStatus(tx: SqlClient, orderId: string, current: OrderStatus, source: string): Promise<OrderStatus> {
  if (current === 'CANCELLED') return current;
  const status = (await statusFromShipments(tx, orderId)) ?? current;
  if (status !== current) {
    await tx.query('UPDATE orders SET status = $2, changed_at = now() WHERE id = $1', [orderId, status]);
    await tx.query('INSERT INTO order_status_changes (order_id, status, at, source) VALUES ($1, $2, now(), $3)', [orderId, status, source]);
  }
  return status;
}

/** The order's status from its lines, when Ponte has shipped any unit of it; undefined when it has not. */
async function statusFromShipments(tx: SqlClient, orderId: string): Promise<OrderStatus | undefined> {
  const [counts] = await tx.query<{ live: number; shipped: number; started: number; ponte: number }>(
    `SELECT count(*) FILTER (WHERE status <> 'CANCELLED')::int AS live, count(*) FILTER (WHERE status = 'FULFILLED')::int AS shipped,
            count(*) FILTER (WHERE status = 'OPEN' AND fulfilled_quantity > 0)::int AS started,
            (SELECT count(*) FROM fulfilments f WHERE f.order_id = $1 AND f.idempotency_key IS NOT NULL)::int AS ponte
       FROM order_lines WHERE order_id = $1`,
    [orderId],
  );
  if (!counts || Number(counts.ponte) === 0) return undefined;
  const live = Number(counts.live);
  const shipped = Number(counts.shipped);
  if (live > 0 && shipped === live) return 'FULFILLED';
  return shipped > 0 || Number(counts.started) > 0 ? 'PARTIALLY_FULFILLED' : 'OPEN';
}

async function readFulfilment(tx: SqlClient, orderId: string, fulfilmentId: string): Promise<FulfilmentRow> {
  const found = (await fulfilmentsForOrders(tx, [orderId])).find((row) => row.id === fulfilmentId);
  if (!found) throw new Error(`fulfilment ${fulfilmentId} not found after recording it`);
  return found;
}

/**
 * Refuses a caller without `scope`. The gateway checks `@requiresScopes` first; this holds for a
 * Ponte service calling the subgraph directly with its own key. No principal: no gateway secret is
 * configured (local development), where the subgraph trusts its caller.
 */
export function requireScope(principal: Principal | undefined, scope: string, what: string): void {
  if (principal && !principal.scopes.includes(scope)) {
    throw new PonteError(ErrorCode.FORBIDDEN, `${principal.name} may not ${what} (${scope})`, { scope });
  }
}

interface NormalisedOrder {
  channel: string;
  platform: string;
  platformOrderId: string;
  status: OrderStatus;
  lines: Array<{ lineId: string; sku: string | null; quantity: number; status: OrderLineStatus; unitPriceCents: number; discountCents: number; reservationId: string | null }>;
  placedAt: string | null;
  updatedAt: string | null;
  currency: string;
  totals: { subtotalCents: number; discountCents: number; shippingCents: number; taxCents: number; totalCents: number };
  postalCode: string | null;
  hash: string;
}

/** The canonical status of a channel order whose lines may each have their own (Shopify, Amazon ship per line). */
export function canonicalStatus(status: ChannelOrderStatus, lineStatuses: readonly OrderLineStatus[]): OrderStatus {
  if (status === 'CANCELLED') return 'CANCELLED';
  const live = lineStatuses.filter((line) => line !== 'CANCELLED');
  const shipped = live.filter((line) => line === 'FULFILLED').length;
  if (live.length > 0 && shipped === live.length) return 'FULFILLED';
  if (shipped > 0) return 'PARTIALLY_FULFILLED';
  return status === 'FULFILLED' && live.length === 0 ? 'FULFILLED' : 'OPEN';
}

/** Brazilian CEP as 00000-000, or null for anything that is not eight digits. */
export function normalisePostalCode(value: string | null | undefined): string | null {
  const digits = (value ?? '').replace(/\D/g, '');
  return digits.length === 8 ? `${digits.slice(0, 5)}-${digits.slice(5)}` : null;
}

function text(value: string, field: string, max = MAX_ID_LENGTH): string {
  const trimmed = value.trim();
  if (trimmed.length === 0 || trimmed.length > max || /\p{Cc}/u.test(trimmed)) {
    throw new PonteError(ErrorCode.BAD_USER_INPUT, `${field} must be 1 to ${max} characters without control characters`, { field });
  }
  return trimmed;
}

function time(value: string | null | undefined, field: string): string | null {
  if (value === null || value === undefined) return null;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new PonteError(ErrorCode.BAD_USER_INPUT, `${field} must be an ISO 8601 time`, { field });
  return new Date(ms).toISOString();
}

function cents(value: number | null | undefined, field: string): number {
  const amount = value ?? 0;
  if (!Number.isInteger(amount) || amount < 0) throw new PonteError(ErrorCode.BAD_USER_INPUT, `${field} must be a whole, non-negative number of cents`, { field });
  return amount;
}

function normalise(input: RecordChannelOrderInput): NormalisedOrder {
  if (input.lines.length > MAX_LINES) throw new PonteError(ErrorCode.BAD_USER_INPUT, `an order has at most ${MAX_LINES} lines`, { field: 'lines' });
  const currency = (input.currency ?? DEFAULT_CURRENCY).trim().toUpperCase();
  if (!/^[A-Z]{3}$/.test(currency)) throw new PonteError(ErrorCode.BAD_USER_INPUT, 'currency must be an ISO 4217 code', { field: 'currency' });
  const seen = new Set<string>();
  const lines = input.lines.map((line, index) => {
    const lineId = text(line.lineId, `lines[${index}].lineId`);
    if (seen.has(lineId)) throw new PonteError(ErrorCode.BAD_USER_INPUT, `line ${lineId} appears twice`, { field: `lines[${index}].lineId` });
    seen.add(lineId);
    if (!Number.isInteger(line.quantity) || line.quantity < 0) throw new PonteError(ErrorCode.BAD_USER_INPUT, `lines[${index}].quantity must be a whole number, at least 0`, { field: `lines[${index}].quantity` });
    const status: OrderLineStatus = input.status === 'CANCELLED' ? 'CANCELLED' : line.quantity === 0 ? 'CANCELLED' : (line.status ?? input.status) === 'FULFILLED' ? 'FULFILLED' : line.status === 'CANCELLED' ? 'CANCELLED' : 'OPEN';
    return {
      lineId,
      sku: line.sku ? text(line.sku, `lines[${index}].sku`, 100) : null,
      quantity: line.quantity,
      status,
      unitPriceCents: cents(line.unitPriceCents, `lines[${index}].unitPriceCents`),
      discountCents: cents(line.discountCents, `lines[${index}].discountCents`),
      reservationId: line.reservationId ? text(line.reservationId, `lines[${index}].reservationId`) : null,
    };
  });
  const subtotal = lines.reduce((sum, line) => sum + line.quantity * line.unitPriceCents, 0);
  const discounts = lines.reduce((sum, line) => sum + line.discountCents, 0);
  // A platform that gives no totals (a store's till) is summed from its lines.
  const totals = input.totals
    ? {
        subtotalCents: cents(input.totals.subtotalCents, 'totals.subtotalCents'),
        discountCents: cents(input.totals.discountCents, 'totals.discountCents'),
        shippingCents: cents(input.totals.shippingCents, 'totals.shippingCents'),
        taxCents: cents(input.totals.taxCents, 'totals.taxCents'),
        totalCents: cents(input.totals.totalCents, 'totals.totalCents'),
      }
    : { subtotalCents: subtotal, discountCents: discounts, shippingCents: 0, taxCents: 0, totalCents: Math.max(0, subtotal - discounts) };
  const normalised = {
    channel: text(input.channel, 'channel'),
    platform: text(input.platform, 'platform', 50),
    platformOrderId: text(input.platformOrderId, 'platformOrderId'),
    status: canonicalStatus(input.status, lines.map((line) => line.status)),
    lines,
    placedAt: time(input.placedAt, 'placedAt'),
    updatedAt: time(input.updatedAt, 'updatedAt'),
    currency,
    totals,
    postalCode: normalisePostalCode(input.shipTo?.postalCode),
  };
  return withHash(normalised);
}

/** What the platform said, without the shopper: equal digests are the same version. */
function withHash(normalised: Omit<NormalisedOrder, 'hash'>): NormalisedOrder {
  const { hash: _previous, ...content } = normalised as NormalisedOrder;
  return { ...content, hash: createHash('sha256').update(JSON.stringify(content)).digest('base64url') };
}

async function writeLines(tx: SqlClient, orderId: string, order: NormalisedOrder): Promise<void> {
  if (order.lines.length === 0) return;
  // A reservation made after the order was first recorded (an operator resolved the line) is kept;
  // a later version without one never forgets it.
  await tx.query(
    `INSERT INTO order_lines (order_id, line_id, position, sku, quantity, status, unit_price_cents, discount_cents, reservation_id)
     SELECT $1, l->>'lineId', (position - 1)::int, l->>'sku', (l->>'quantity')::int, l->>'status', (l->>'unitPriceCents')::bigint, (l->>'discountCents')::bigint, l->>'reservationId'
       FROM jsonb_array_elements($2::jsonb) WITH ORDINALITY AS t(l, position)
     ON CONFLICT (order_id, line_id) DO UPDATE SET position = excluded.position, sku = excluded.sku, quantity = excluded.quantity,
       status = CASE WHEN excluded.status = 'OPEN' AND order_lines.fulfilled_quantity > 0 AND order_lines.fulfilled_quantity >= excluded.quantity THEN 'FULFILLED' ELSE excluded.status END,
       unit_price_cents = excluded.unit_price_cents, discount_cents = excluded.discount_cents, reservation_id = coalesce(excluded.reservation_id, order_lines.reservation_id)`,
    [orderId, JSON.stringify(order.lines)],
  );
}

async function readOrder(tx: SqlClient, id: string): Promise<OrderRow> {
  const [row] = await tx.query<OrderRow>(`SELECT ${ORDER_COLUMNS} FROM orders o WHERE o.id = $1`, [id]);
  if (!row) throw new Error(`order ${id} not found after recording it`);
  return row;
}
