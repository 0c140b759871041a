import { GraphQLError } from 'graphql';
import type { Database } from '../../kit/database.ts';
import { ErrorCode, PonteError } from '../../kit/errors.ts';
import type { Logger } from '../../kit/logger.ts';
import type { Principal } from '../../kit/principal.ts';
import { UnprocessableMessage } from './inbox.ts';
import { formatCep, parseCep } from '../inventory/routing/cep.ts';
import { InventoryRejection, type InventoryClient } from './inventory-client.ts';
import type { PlatformMetrics } from './metrics.ts';
import { OrdersRejection, type OrdersClient } from './orders-client.ts';

/** An order as the platform's data dictionary maps it: what Ponte needs to know, nothing more. */
export interface ChannelOrder {
  /** The platform's order id. */
  orderId: string;
  /** OPEN: placed and paid (reserve); CANCELLED: release; FULFILLED: shipped (commit). */
  status: 'OPEN' | 'CANCELLED' | 'FULFILLED';
  lines: ChannelOrderLine[];
  /** When the shopper placed it (ISO 8601), as the platform says. */
  placedAt?: string | undefined;
  /** The platform's own time of this version of the order: a later one wins, an earlier one is stale. */
  updatedAt?: string | undefined;
  /** ISO 4217 code of every amount on the order. */
  currency?: string | undefined;
  totals?: ChannelOrderTotals | undefined;
  /** Where it ships. The CEP is all routing needs; nothing else of the address travels with the order. */
  shipTo?: { postalCode: string } | null | undefined;
  /**
   * The shopper as the platform names them: handed to the customers subgraph, which keeps it
   * sealed. Never stored in clear, never logged, never part of the canonical order.
   */
  customer?: ShopperContact | null | undefined;
}

/** An order's amounts in the currency's minor unit (cents). */
export interface ChannelOrderTotals {
  /** Lines at their unit prices, before discounts. */
  subtotalCents: number;
  discountCents: number;
  shippingCents: number;
  taxCents: number;
  /** What the shopper paid. */
  totalCents: number;
}

export interface ChannelOrderLine {
  /** The platform's line id, stable across events for the same order. */
  lineId: string;
  /** Canonical SKU, or null when the platform's line names no SKU Ponte can map. */
  sku: string | null;
  quantity: number;
  /** Price of one unit before discounts, in cents. */
  unitPriceCents?: number | undefined;
  /** Discount on the whole line, in cents. */
  discountCents?: number | undefined;
  /**
   * The line's own status, where the platform ships line by line (a Shopify or Amazon order partly
   * shipped): it wins over the order's, except that a cancelled order cancels every line.
   */
  status?: ChannelOrder['status'] | undefined;
}

/** Personal data of the shopper on one channel's order (LGPD: sealed at rest, never logged). */
export interface ShopperContact {
  /** The platform's own customer (buyer) id, when it has one. */
  platformCustomerId?: string | null | undefined;
  name?: string | null | undefined;
  email?: string | null | undefined;
  phone?: string | null | undefined;
  /** Brazilian taxpayer number, as given (normalised and check-digit validated by the customers subgraph). */
  cpf?: string | null | undefined;
  address?: ShopperAddress | null | undefined;
}

export interface ShopperAddress {
  street?: string | null | undefined;
  number?: string | null | undefined;
  complement?: string | null | undefined;
  district?: string | null | undefined;
  city?: string | null | undefined;
  /** Two-letter state (UF). */
  state?: string | null | undefined;
  postalCode?: string | null | undefined;
  /** ISO 3166-1 alpha-2. */
  country?: string | null | undefined;
}

export type LineState = 'RESERVED' | 'EXCEPTION' | 'RELEASED' | 'FULFILLED';

export interface OrderException {
  id: string;
  orderId: string;
  lineId: string;
  sku: string | null;
  quantity: number;
  code: string;
  message: string;
  occurredAt: string;
  resolvedAt: string | null;
  resolution: string | null;
  /** The operator (principal name) who resolved, dismissed or retried it into a reservation; null for the platform's own cancellation. */
  resolvedBy: string | null;
}

/** Who acts on an exception: the operator's principal as the gateway verified it. */
export type ExceptionOperator = Pick<Principal, 'id' | 'name'>;

/** The longest dismissal reason kept (the inventory's ledger reason has the same bound). */
export const MAX_DISMISS_REASON_LENGTH = 500;
const MAX_SKU_LENGTH = 100;
const MAX_IDEMPOTENCY_KEY_LENGTH = 200;

export interface OrderSyncOptions {
  db: Database;
  inventory: InventoryClient;
  /** Short platform name, the prefix of every idempotency key (`shopify`). */
  platform: string;
  /** Canonical channel id whose policy routes the reservation (`shopify-br`). */
  channel: string;
  log: Logger;
  /** Counts the exceptions recorded (`ponte_platform_order_exceptions_total`). */
  metrics?: PlatformMetrics;
  /**
   * The canonical order book (the orders subgraph): each order is recorded there once its lines are
   * applied, in the same apply, so a failure is retried with the inbox message. Absent: not recorded.
   */
  orders?: OrdersClient | undefined;
}

const EXCEPTION_COLUMNS = `id::text AS id, order_id AS "orderId", line_id AS "lineId", sku, quantity, code, message,
  to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "occurredAt",
  to_char(resolved_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "resolvedAt", resolution, resolved_by AS "resolvedBy"`;

/**
 * Where the order ships, for the inventory's routing: the ship-to CEP when it is one (platforms
 * write it `01310-100`, `01310100` or `01.310-100`). One that is not a CEP of any state is left out
 * rather than sent: the line is then reserved by location priority instead of refused.
 */
function deliveryOf(order: Pick<ChannelOrder, 'shipTo'>): { deliverTo: { postalCode: string } } | Record<string, never> {
  const cep = parseCep(order.shipTo?.postalCode?.replace(/[\s.]/g, ''));
  return cep ? { deliverTo: { postalCode: formatCep(cep) } } : {};
}

const TERMINAL: ReadonlySet<LineState> = new Set(['RELEASED', 'FULFILLED']);
/** The largest GraphQL Int (https://spec.graphql.org/October2021/#sec-Int), as the line tables' integer. */
const MAX_STORABLE_QUANTITY = 2_147_483_647;

/**
 * Applies channel orders to the canonical inventory, per line and idempotently:
 * OPEN → reserve, CANCELLED → release, FULFILLED → commit. Line states only move forward,
 * so duplicates and out-of-order deliveries converge on the same result (a cancellation that
 * arrives before the order leaves a tombstone, and the late order is then not reserved).
 * Every inventory call uses a key made of (platform, order, line, action): a retry after a
 * crash repeats the call and the inventory answers with the original result.
 */
export class OrderSync {
  readonly #options: OrderSyncOptions;
  readonly #log: Logger;
  /** Per-order queue, so two events for one order do not interleave in this process. */
  readonly #orderQueues = new Map<string, Promise<unknown>>();

  constructor(options: OrderSyncOptions) {
    this.#options = options;
    this.#log = options.log.child({ component: 'order-sync', platform: options.platform });
  }

  apply(order: ChannelOrder): Promise<void> {
    const previous = this.#orderQueues.get(order.orderId) ?? Promise.resolve();
    const next = previous.catch(() => {}).then(() => this.#applyNow(order));
    this.#orderQueues.set(order.orderId, next);
    void next.finally(() => {
      if (this.#orderQueues.get(order.orderId) === next) this.#orderQueues.delete(order.orderId);
    }).catch(() => {});
    return next;
  }

  async exceptions(options: { unresolvedOnly?: boolean; limit?: number } = {}): Promise<OrderException[]> {
    return this.#options.db.query<OrderException>(
      `SELECT ${EXCEPTION_COLUMNS} FROM order_exceptions WHERE ($1::boolean IS FALSE OR resolved_at IS NULL) ORDER BY order_exceptions.id DESC LIMIT $2`,
      [options.unresolvedOnly ?? true, options.limit ?? 100],
    );
  }

  /**
   * An operator applies an exception's line to a canonical SKU they chose (a SKU the platform
   * names differently, a product the catalog lacks): the line is reserved for that SKU, with a
   * ledger reason naming the operator and the exception, and the exception is closed.
   * Repeating the request with the same idempotency key answers the closed exception again.
   * An inventory refusal (unknown SKU, not enough stock) is the caller's error; the exception
   * stays open as it was.
   */
  async resolveException(input: { id: string; sku: string; idempotencyKey: string }, operator: ExceptionOperator): Promise<OrderException> {
    const sku = input.sku.trim();
    if (sku.length === 0 || sku.length > MAX_SKU_LENGTH || /\p{Cc}/u.test(sku)) {
      throw new PonteError(ErrorCode.BAD_USER_INPUT, `sku must be 1 to ${MAX_SKU_LENGTH} characters without control characters`, { field: 'sku' });
    }
    requireKey(input.idempotencyKey);
    const exception = await this.#exception(input.id);
    if (exception.resolvedAt) {
      if (exception.resolutionKey === input.idempotencyKey) return publicException(exception);
      throw closed(exception);
    }
    const line = await this.#openLine(exception);
    const reason = `order exception ${exception.id} (${this.#options.platform} order ${exception.orderId} line ${exception.lineId}) applied as ${sku} by ${operator.name}`;
    let reservationId: string;
    try {
      ({ reservationId } = await this.#reserveForException(exception, sku, line.quantity, reason));
    } catch (error) {
      if (error instanceof InventoryRejection) throw new GraphQLError(error.message, { extensions: { ...error.details, code: error.code } });
      throw error;
    }
    return this.#closeWithReservation(exception, { sku, reservationId, resolution: `applied as ${sku} (reservation ${reservationId})`, operator, key: input.idempotencyKey });
  }

  /**
   * An operator tries the line again as the platform sent it (stock arrived, the SKU was
   * registered since). Reserved: the exception is closed. Still impossible: it stays open with
   * the inventory's new code and message, and is answered as it now stands.
   */
  async retryException(id: string, operator: ExceptionOperator): Promise<OrderException> {
    const exception = await this.#exception(id);
    if (exception.resolvedAt) return publicException(exception);
    const line = await this.#openLine(exception);
    if (!line.sku) {
      return this.#reopenWith(exception, ErrorCode.UNKNOWN_SKU, `Line ${exception.lineId} of order ${exception.orderId} still has no SKU Ponte knows (retried by ${operator.name}); apply it to a SKU or dismiss it`);
    }
    const reason = `order exception ${exception.id} (${this.#options.platform} order ${exception.orderId} line ${exception.lineId}) retried by ${operator.name}`;
    try {
      const { reservationId } = await this.#reserveForException(exception, line.sku, line.quantity, reason);
      return await this.#closeWithReservation(exception, { sku: line.sku, reservationId, resolution: `retried: reserved (reservation ${reservationId})`, operator, key: null });
    } catch (error) {
      if (!(error instanceof InventoryRejection)) throw error;
      return this.#reopenWith(exception, error.code, error.message);
    }
  }

  /** An operator closes an exception without touching stock (a test order, a line handled by hand), saying why. */
  async dismissException(input: { id: string; reason: string }, operator: ExceptionOperator): Promise<OrderException> {
    const reason = input.reason.trim();
    if (reason.length === 0 || reason.length > MAX_DISMISS_REASON_LENGTH || reason.includes('\u0000')) {
      throw new PonteError(ErrorCode.BAD_USER_INPUT, `reason must be 1 to ${MAX_DISMISS_REASON_LENGTH} characters`, { field: 'reason' });
    }
    const exception = await this.#exception(input.id);
    const resolution = `dismissed: ${reason}`;
    if (exception.resolvedAt) {
      if (exception.resolution === resolution && exception.resolvedBy === operator.name) return publicException(exception);
      throw closed(exception);
    }
    const [dismissed] = await this.#options.db.query<StoredException>(
      `UPDATE order_exceptions SET resolved_at = now(), resolution = $2, resolved_by = $3 WHERE id = $1 AND resolved_at IS NULL
       RETURNING ${EXCEPTION_COLUMNS}, resolution_key AS "resolutionKey"`,
      [exception.id, resolution, operator.name],
    );
    // Closed by someone else between the read and the update.
    if (!dismissed) throw closed(await this.#exception(exception.id));
    this.#log.info({ exceptionId: exception.id, orderId: exception.orderId, lineId: exception.lineId, operator: operator.id }, 'order exception dismissed');
    return publicException(dismissed);
  }

  async #exception(id: string): Promise<StoredException> {
    const [row] = /^\d{1,18}$/.test(id)
      ? await this.#options.db.query<StoredException>(`SELECT ${EXCEPTION_COLUMNS}, resolution_key AS "resolutionKey" FROM order_exceptions WHERE id = $1`, [id])
      : [];
    if (!row) throw new PonteError(ErrorCode.UNKNOWN_ORDER_EXCEPTION, `No ${this.#options.platform} order exception ${id}`, { id });
    return row;
  }

  /**
   * The line an exception is about, when it was never reserved. A conflict about a line already
   * applied (ORDER_LINE_CONFLICT) has nothing to reserve: it is dismissed once reviewed.
   */
  async #openLine(exception: StoredException): Promise<{ sku: string | null; quantity: number }> {
    const line = await this.#state(exception.orderId, exception.lineId);
    if (!line || line.state !== 'EXCEPTION') {
      throw new PonteError(ErrorCode.BAD_USER_INPUT, `Order ${exception.orderId} line ${exception.lineId} is ${line?.state ?? 'unknown'}, not waiting for a reservation: dismiss exception ${exception.id} once reviewed`, { id: exception.id, lineState: line?.state ?? null });
    }
    return { sku: line.sku, quantity: line.quantity };
  }

  /**
   * One key per exception, whoever acts and however often: two operators acting at once, or a
   * retry after a crash, can never reserve the line twice (the inventory answers the first
   * reservation again, or refuses a different one as IDEMPOTENCY_KEY_REUSED).
   */
  #reserveForException(exception: StoredException, sku: string, quantity: number, reason: string): Promise<{ reservationId: string }> {
    return this.#options.inventory.reserve({
      idempotencyKey: `${this.#options.platform}:${exception.orderId}:${exception.lineId}:exception-${exception.id}:reserve`,
      channel: this.#options.channel,
      orderReference: exception.orderId,
      lines: [{ sku, quantity, lineReference: exception.lineId }],
      reason,
    });
  }

  async #closeWithReservation(
    exception: StoredException,
    outcome: { sku: string; reservationId: string; resolution: string; operator: ExceptionOperator; key: string | null },
  ): Promise<OrderException> {
    const closedRow = await this.#options.db.transaction(async (tx) => {
      const moved = await tx.query(
        `UPDATE channel_order_lines SET state = 'RESERVED', reservation_id = $3, applied_sku = $4, updated_at = now()
          WHERE order_id = $1 AND line_id = $2 AND state = 'EXCEPTION' RETURNING line_id`,
        [exception.orderId, exception.lineId, outcome.reservationId, outcome.sku],
      );
      if (moved.length === 0) return undefined;
      const [row] = await tx.query<StoredException>(
        `UPDATE order_exceptions SET resolved_at = now(), resolution = $2, resolved_by = $3, resolution_key = $4 WHERE id = $1
         RETURNING ${EXCEPTION_COLUMNS}, resolution_key AS "resolutionKey"`,
        [exception.id, outcome.resolution, outcome.operator.name, outcome.key],
      );
      return row;
    });
    if (!closedRow) {
      const line = await this.#state(exception.orderId, exception.lineId);
      const now = await this.#exception(exception.id);
      // Another request closed it with this very reservation (the inventory answered both with
      // the same one): it stands. Repeating that request's key answers it again.
      if (line?.reservationId === outcome.reservationId) {
        if (outcome.key !== null && now.resolutionKey === outcome.key) return publicException(now);
        throw closed(now);
      }
      // The platform cancelled the order meanwhile (the line is RELEASED): the new reservation must not hold stock.
      await this.#settle(() => this.#options.inventory.release({ idempotencyKey: `${this.#options.platform}:${exception.orderId}:${exception.lineId}:exception-${exception.id}:release`, reservationId: outcome.reservationId, reason: 'order cancelled on the channel while an operator resolved it' }));
      throw closed(now);
    }
    this.#log.info({ exceptionId: exception.id, orderId: exception.orderId, lineId: exception.lineId, sku: outcome.sku, reservationId: outcome.reservationId, operator: outcome.operator.id }, 'order exception resolved');
    return publicException(closedRow);
  }

  async #reopenWith(exception: StoredException, code: string, message: string): Promise<OrderException> {
    const [row] = await this.#options.db.query<StoredException>(
      `UPDATE order_exceptions SET code = $2, message = $3 WHERE id = $1 AND resolved_at IS NULL RETURNING ${EXCEPTION_COLUMNS}, resolution_key AS "resolutionKey"`,
      [exception.id, code, message],
    );
    return publicException(row ?? (await this.#exception(exception.id)));
  }

  async lineStates(orderId: string): Promise<Array<{ lineId: string; sku: string | null; state: LineState; reservationId: string | null }>> {
    return this.#options.db.query(
      `SELECT line_id AS "lineId", sku, state, reservation_id AS "reservationId" FROM channel_order_lines WHERE order_id = $1 ORDER BY line_id`,
      [orderId],
    );
  }

  async #applyNow(order: ChannelOrder): Promise<void> {
    for (const line of order.lines) await this.#applyLine(order, line);
    if (this.#options.orders) await this.#record(this.#options.orders, order);
  }

  /**
   * Records the order in the canonical order book with each line's reservation. Unreachable: thrown,
   * so the inbox retries the whole message (every step before is idempotent). Refused as sent:
   * retrying cannot help, so the message is set aside for review with the reason.
   */
  async #record(orders: OrdersClient, order: ChannelOrder): Promise<void> {
    const reservations = new Map<string, string>();
    for (const line of await this.lineStates(order.orderId)) if (line.reservationId) reservations.set(line.lineId, line.reservationId);
    try {
      const recorded = await orders.record({ order, channel: this.#options.channel, platform: this.#options.platform, reservations });
      if (recorded.outcome !== 'UNCHANGED') this.#log.info({ orderId: order.orderId, canonicalOrderId: recorded.orderId, status: recorded.status, outcome: recorded.outcome }, 'order recorded');
    } catch (error) {
      if (!(error instanceof OrdersRejection)) throw error;
      throw new UnprocessableMessage(`the orders subgraph refused order ${order.orderId}: ${error.message}`);
    }
  }

  async #applyLine(channelOrder: ChannelOrder, received: ChannelOrderLine): Promise<void> {
    const order = { orderId: channelOrder.orderId, shipTo: channelOrder.shipTo, status: channelOrder.status === 'CANCELLED' ? channelOrder.status : (received.status ?? channelOrder.status) };
    const current = await this.#state(order.orderId, received.lineId);
    // A quantity that is not a whole number a GraphQL Int (and the line tables' integer) can
    // hold would fail every retry, in the inventory or here: the line is kept with 0 units and,
    // unless it is cancelled, becomes an exception for review naming what the platform sent.
    const storable = Number.isInteger(received.quantity) && Math.abs(received.quantity) <= MAX_STORABLE_QUANTITY;
    const line = storable ? received : { ...received, quantity: 0 };
    // The same order and line id with another SKU or quantity: a platform reused an id (a sandbox
    // restarted, an edited order). Never silently ignored: kept as an exception for review.
    if (current && (current.sku !== line.sku || current.quantity !== line.quantity)) return this.#recordConflict(order.orderId, line, current);
    if (current && TERMINAL.has(current.state)) return;
    if (!storable && !current && order.status !== 'CANCELLED') {
      await this.#recordException(order.orderId, line, 'INVALID_QUANTITY', `Line ${line.lineId} of order ${order.orderId} asks for ${received.quantity} units, not a whole number Ponte can hold`);
      return;
    }

    if (order.status === 'CANCELLED') {
      if (!current) {
        // Cancelled before we saw it placed: remember, so the late "placed" event reserves nothing.
        if (await this.#insert(order.orderId, line, 'RELEASED', null)) return;
        return this.#applyLine(channelOrder, line);
      }
      if (current.state === 'RESERVED') {
        await this.#settle(() => this.#options.inventory.release({ idempotencyKey: this.#key(order.orderId, line.lineId, 'release'), reservationId: current.reservationId!, reason: 'order cancelled on the channel' }));
      } else {
        await this.#resolveException(order.orderId, line.lineId, 'order cancelled on the channel');
      }
      await this.#advance(order.orderId, line.lineId, current.state, 'RELEASED');
      return;
    }

    let reserved: { state: LineState; reservationId: string | null } | undefined = current;
    if (!reserved) {
      reserved = await this.#reserve(order, line);
      if (!reserved) return;
    }
    if (order.status === 'FULFILLED' && reserved.state === 'RESERVED') {
      await this.#settle(() => this.#options.inventory.fulfil({ idempotencyKey: this.#key(order.orderId, line.lineId, 'fulfil'), reservationId: reserved.reservationId!, reason: 'shipped by the channel' }));
      await this.#advance(order.orderId, line.lineId, 'RESERVED', 'FULFILLED');
    }
  }

  /** Reserves one line; returns its new state, or undefined if another event got there first and was applied. */
  async #reserve(order: Pick<ChannelOrder, 'orderId' | 'shipTo'>, line: ChannelOrderLine): Promise<{ state: LineState; reservationId: string | null } | undefined> {
    if (!line.sku) {
      await this.#recordException(order.orderId, line, 'UNKNOWN_SKU', `Line ${line.lineId} of order ${order.orderId} has no SKU Ponte knows`);
      return { state: 'EXCEPTION', reservationId: null };
    }
    let reservationId: string;
    try {
      ({ reservationId } = await this.#options.inventory.reserve({
        idempotencyKey: this.#key(order.orderId, line.lineId, 'reserve'),
        channel: this.#options.channel,
        orderReference: order.orderId,
        lines: [{ sku: line.sku, quantity: line.quantity, lineReference: line.lineId }],
        ...deliveryOf(order),
      }));
    } catch (error) {
      if (!(error instanceof InventoryRejection)) throw error;
      await this.#recordException(order.orderId, line, error.code, error.message);
      return { state: 'EXCEPTION', reservationId: null };
    }
    if (await this.#insert(order.orderId, line, 'RESERVED', reservationId)) {
      this.#log.info({ orderId: order.orderId, lineId: line.lineId, sku: line.sku, reservationId }, 'order line reserved');
      return { state: 'RESERVED', reservationId };
    }
    // Someone recorded this line meanwhile (another replica, or a cancellation): settle on theirs.
    const winner = await this.#state(order.orderId, line.lineId);
    if (winner?.state === 'RELEASED') {
      await this.#options.inventory.release({ idempotencyKey: this.#key(order.orderId, line.lineId, 'release'), reservationId, reason: 'order cancelled on the channel' });
    }
    return winner && winner.state === 'RESERVED' ? winner : undefined;
  }

  /** A reservation already closed elsewhere (a partner shipped it by hand) is not a retryable failure. */
  async #settle(action: () => Promise<void>): Promise<void> {
    try {
      await action();
    } catch (error) {
      if (!(error instanceof InventoryRejection && error.code === 'RESERVATION_NOT_OPEN')) throw error;
      this.#log.warn({ err: error }, 'reservation was already closed');
    }
  }

  async #recordException(orderId: string, line: ChannelOrderLine, code: string, message: string): Promise<void> {
    const recorded = await this.#options.db.transaction(async (tx) => {
      const inserted = await tx.query(
        `INSERT INTO channel_order_lines (order_id, line_id, sku, quantity, state) VALUES ($1, $2, $3, $4, 'EXCEPTION')
         ON CONFLICT (order_id, line_id) DO NOTHING RETURNING line_id`,
        [orderId, line.lineId, line.sku, line.quantity],
      );
      if (inserted.length === 0) return false;
      const exception = await tx.query(
        `INSERT INTO order_exceptions (order_id, line_id, sku, quantity, code, message) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (order_id, line_id) WHERE resolved_at IS NULL DO NOTHING RETURNING id`,
        [orderId, line.lineId, line.sku, line.quantity, code, message],
      );
      return exception.length > 0;
    });
    if (recorded) this.#options.metrics?.orderException(code);
    this.#log.warn({ orderId, lineId: line.lineId, sku: line.sku, code }, 'order line needs review');
  }

  /**
   * The platform sent a line Ponte already applied, with another SKU or quantity: an order id the
   * platform reused (a sandbox restarted with its memory wiped) or an order edited after the fact.
   * Applying it would guess; ignoring it silently would hide a sale. It is kept for review.
   */
  async #recordConflict(orderId: string, line: ChannelOrderLine, applied: { sku: string | null; quantity: number; state: LineState }): Promise<void> {
    const message =
      `Order ${orderId} line ${line.lineId} arrived as ${line.quantity} × ${line.sku ?? '(no SKU)'}, but Ponte already applied it as ` +
      `${applied.quantity} × ${applied.sku ?? '(no SKU)'} (${applied.state}); the new content was not applied. Was the order id reused, or the order edited?`;
    // A conflict an operator already dismissed stays dismissed: the sweep sends the same content every minute.
    const recorded = await this.#options.db.query(
      `INSERT INTO order_exceptions (order_id, line_id, sku, quantity, code, message)
       SELECT $1, $2, $3, $4, 'ORDER_LINE_CONFLICT', $5
        WHERE NOT EXISTS (SELECT 1 FROM order_exceptions WHERE order_id = $1 AND line_id = $2 AND code = 'ORDER_LINE_CONFLICT'
                             AND sku IS NOT DISTINCT FROM $3 AND quantity = $4 AND resolved_at IS NOT NULL)
       ON CONFLICT (order_id, line_id) WHERE resolved_at IS NULL DO NOTHING RETURNING id`,
      [orderId, line.lineId, line.sku, line.quantity, message],
    );
    // Logged (and counted) once per open exception: a reconciliation sweep sees the same order every minute.
    if (recorded.length > 0) {
      this.#options.metrics?.orderException('ORDER_LINE_CONFLICT');
      this.#log.warn({ orderId, lineId: line.lineId, sku: line.sku, quantity: line.quantity, appliedSku: applied.sku, appliedQuantity: applied.quantity, code: 'ORDER_LINE_CONFLICT' }, 'order line conflicts with the one already applied; kept for review');
    }
  }

  async #resolveException(orderId: string, lineId: string, resolution: string): Promise<void> {
    await this.#options.db.query(
      'UPDATE order_exceptions SET resolved_at = now(), resolution = $3 WHERE order_id = $1 AND line_id = $2 AND resolved_at IS NULL',
      [orderId, lineId, resolution],
    );
  }

  async #state(orderId: string, lineId: string): Promise<{ state: LineState; reservationId: string | null; sku: string | null; quantity: number } | undefined> {
    const [row] = await this.#options.db.query<{ state: LineState; reservationId: string | null; sku: string | null; quantity: number }>(
      'SELECT state, reservation_id AS "reservationId", sku, quantity FROM channel_order_lines WHERE order_id = $1 AND line_id = $2',
      [orderId, lineId],
    );
    return row;
  }

  async #insert(orderId: string, line: ChannelOrderLine, state: LineState, reservationId: string | null): Promise<boolean> {
    const rows = await this.#options.db.query(
      `INSERT INTO channel_order_lines (order_id, line_id, sku, quantity, state, reservation_id) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (order_id, line_id) DO NOTHING RETURNING line_id`,
      [orderId, line.lineId, line.sku, line.quantity, state, reservationId],
    );
    return rows.length === 1;
  }

  async #advance(orderId: string, lineId: string, from: LineState, to: LineState): Promise<void> {
    await this.#options.db.query(
      'UPDATE channel_order_lines SET state = $4, updated_at = now() WHERE order_id = $1 AND line_id = $2 AND state = $3',
      [orderId, lineId, from, to],
    );
  }

  #key(orderId: string, lineId: string, action: 'reserve' | 'release' | 'fulfil'): string {
    return `${this.#options.platform}:${orderId}:${lineId}:${action}`;
  }
}

interface StoredException extends OrderException {
  resolutionKey: string | null;
}

function publicException({ resolutionKey: _key, ...exception }: StoredException): OrderException {
  return exception;
}

function closed(exception: StoredException): PonteError {
  return new PonteError(ErrorCode.ORDER_EXCEPTION_CLOSED, `Order exception ${exception.id} was already closed (${exception.resolution ?? 'resolved'}${exception.resolvedBy ? `, by ${exception.resolvedBy}` : ''})`, { id: exception.id });
}

function requireKey(key: string): void {
  if (key.length === 0 || key.length > MAX_IDEMPOTENCY_KEY_LENGTH || /\p{Cc}/u.test(key)) {
    throw new PonteError(ErrorCode.BAD_USER_INPUT, `idempotencyKey must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters without control characters`, { field: 'idempotencyKey' });
  }
}

/**
 * The operator acting on an exception, from the principal the gateway verified. A request with
 * no principal names no one to record as resolvedBy, so it is refused.
 */
export function exceptionOperator(principal: Principal | undefined): ExceptionOperator {
  if (!principal) throw new PonteError(ErrorCode.UNAUTHENTICATED, 'Acting on an order exception needs an authenticated operator');
  // Checked here too: a service key may reach this subgraph without the gateway.
  if (!principal.scopes.includes('platform:write')) throw new PonteError(ErrorCode.FORBIDDEN, `${principal.name} may not act on order exceptions (platform:write)`, { scope: 'platform:write' });
  return { id: principal.id, name: principal.name };
}
