import type { ChannelOrder } from './order-sync.ts';
import { ServiceClient, type ServiceClientOptions } from './service-client.ts';

/** The orders subgraph refused the order as sent (BAD_USER_INPUT): sending it again cannot help. */
export class OrdersRejection extends Error {
  readonly code: string;
  readonly details: Record<string, unknown>;

  constructor(code: string, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'OrdersRejection';
    this.code = code;
    this.details = details;
  }
}

/** The orders subgraph could not be reached, failed, or refused this service (a key without orders:write): try again later. */
export class OrdersUnavailable extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'OrdersUnavailable';
  }
}

export type OrdersClientOptions = ServiceClientOptions;

/** A channel order as the platform subgraph records it: its own reading of the platform, plus what it applied. */
export interface RecordedChannelOrder {
  order: ChannelOrder;
  channel: string;
  platform: string;
  /** The inventory's reservation of each line, by platform line id (from channel_order_lines). */
  reservations: ReadonlyMap<string, string>;
}

// FORBIDDEN is a deployment's mistake (a service key without orders:write), fixed without touching the order: retried.
const EXPECTED_FAILURES = new Set(['BAD_USER_INPUT']);

const RECORD = `mutation RecordChannelOrder($input: RecordChannelOrderInput!) { recordChannelOrder(input: $input) { outcome order { id status } } }`;

/**
 * How a platform subgraph records its channel's orders in the canonical order book (the orders
 * subgraph's `recordChannelOrder`, service to service with its own key). Recording is idempotent
 * on the orders side, so a retry after a failure or a crash is always safe.
 */
export class OrdersClient extends ServiceClient {
  constructor(options: OrdersClientOptions) {
    if (!options.url) throw new Error('OrdersClient needs the orders URL');
    super('orders', options, {
      expected: EXPECTED_FAILURES,
      rejection: (code, message, details) => new OrdersRejection(code, message, details),
      unavailable: (message, cause) => new OrdersUnavailable(message, cause === undefined ? undefined : { cause }),
    });
  }

  async record({ order, channel, platform, reservations }: RecordedChannelOrder): Promise<{ orderId: string; status: string; outcome: string }> {
    const input = {
      channel,
      platform,
      platformOrderId: order.orderId,
      status: order.status,
      lines: order.lines.map((line) => ({
        lineId: line.lineId,
        sku: line.sku,
        quantity: line.quantity,
        ...(line.status ? { status: line.status } : {}),
        ...(line.unitPriceCents !== undefined ? { unitPriceCents: line.unitPriceCents } : {}),
        ...(line.discountCents !== undefined ? { discountCents: line.discountCents } : {}),
        reservationId: reservations.get(line.lineId) ?? null,
      })),
      placedAt: order.placedAt ?? null,
      updatedAt: order.updatedAt ?? null,
      currency: order.currency ?? null,
      totals: order.totals ?? null,
      shipTo: order.shipTo?.postalCode ? { postalCode: order.shipTo.postalCode } : null,
      // Personal data: over this internal hop only, to the customer directory; the orders subgraph keeps none of it.
      customer: order.customer ?? null,
    };
    const data = await this.request<{ recordChannelOrder: { outcome: string; order: { id: string; status: string } } }>(RECORD, { input });
    return { orderId: data.recordChannelOrder.order.id, status: data.recordChannelOrder.order.status, outcome: data.recordChannelOrder.outcome };
  }
}
