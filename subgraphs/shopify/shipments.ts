import type { Logger } from '../../kit/logger.ts';
import type { ClaimedShipment, ConfirmOutcome, ShipmentConfirmer } from '../platform-common/shipment-confirmations.ts';
import { ShopifyApiError, ShopifyUnavailable, type ShopifyClient } from './client.ts';

/**
 * Page sizes kept under Shopify's single-query cost limit of 1000 points (connections cost their
 * `first` times their nodes): an order of up to 20 lines at up to 5 locations, 10 shipments.
 * The order's shipments so far and what is left to fulfil, per fulfillment order. Fulfillments
 * are made against fulfillment orders (one per assigned location), not the order:
 * https://shopify.dev/docs/api/admin-graphql/latest/objects/FulfillmentOrder
 */
const SHIPMENT_STATE = `query PonteShipmentState($id: ID!) {
  order(id: $id) {
    id cancelledAt displayFulfillmentStatus
    fulfillments(first: 10) { id status trackingInfo(first: 5) { number } fulfillmentLineItems(first: 20) { nodes { quantity lineItem { id } } } }
    fulfillmentOrders(first: 5) { nodes { id status assignedLocation { location { id } } lineItems(first: 20) { nodes { id remainingQuantity lineItem { id } } } } }
  }
}`;

/**
 * `fulfillmentCreate` (fulfillmentCreateV2 is its deprecated name since 2024-10:
 * https://shopify.dev/changelog/removing-v2-suffix-from-fulfillmentcreatev2-and-fulfillmenttrackinginfoupdatev2),
 * input as https://shopify.dev/docs/api/admin-graphql/unstable/input-objects/FulfillmentInput. It
 * takes no `@idempotent` key (the directive is for inventory and refund mutations:
 * https://shopify.dev/changelog/adding-idempotency-for-inventory-adjustments-and-refund-mutations),
 * so a repeat is recognised before creating: by the fulfillments already carrying our tracking number.
 */
const FULFILLMENT_CREATE = `mutation PonteFulfillmentCreate($fulfillment: FulfillmentInput!) {
  fulfillmentCreate(fulfillment: $fulfillment) { fulfillment { id } userErrors { field message } }
}`;

interface ShipmentState {
  order: {
    id: string;
    cancelledAt: string | null;
    displayFulfillmentStatus: string;
    fulfillments: Array<{ id: string; status: string; trackingInfo: Array<{ number: string | null }>; fulfillmentLineItems: { nodes: Array<{ quantity: number | null; lineItem: { id: string } }> } }>;
    fulfillmentOrders: { nodes: Array<{ id: string; status: string; assignedLocation: { location: { id: string } | null }; lineItems: { nodes: Array<{ id: string; remainingQuantity: number; lineItem: { id: string } }> } }> };
  } | null;
}

const FULFILLABLE = new Set(['OPEN', 'IN_PROGRESS']);

/**
 * Tells Shopify a shipment: a fulfillment, with its tracking (company, number, URL) and the
 * shopper notified, of the fulfillment order line items the shipped lines stand for.
 */
export class ShopifyShipmentConfirmer implements ShipmentConfirmer {
  readonly #client: ShopifyClient;
  readonly #log: Logger;

  constructor(options: { client: ShopifyClient; log: Logger }) {
    this.#client = options.client;
    this.#log = options.log.child({ component: 'shipment-confirmer' });
  }

  async confirm(shipment: ClaimedShipment): Promise<ConfirmOutcome> {
    try {
      return await this.#confirm(shipment);
    } catch (error) {
      if (error instanceof ShopifyUnavailable) return { outcome: 'RETRY', error: error.message };
      if (error instanceof ShopifyApiError && error.code !== 'UNAUTHORIZED') return { outcome: 'FAILED', error: error.message };
      throw error;
    }
  }

  async #confirm(shipment: ClaimedShipment): Promise<ConfirmOutcome> {
    const orderId = orderGid(shipment.orderId);
    const { order } = await this.#client.request<ShipmentState>(SHIPMENT_STATE, { variables: { id: orderId } });
    if (!order) return { outcome: 'FAILED', error: `Shopify has no order ${orderId}` };
    if (order.cancelledAt) return { outcome: 'FAILED', error: `Shopify order ${orderId} was cancelled at ${order.cancelledAt}; nothing to ship` };

    // What an earlier attempt already fulfilled under this tracking number (it reached Shopify and
    // the answer was lost): not sent again.
    const ours = order.fulfillments.filter((fulfillment) => fulfillment.status === 'SUCCESS' && fulfillment.trackingInfo.some((info) => info.number === shipment.trackingCode));
    const alreadyShipped = new Map<string, number>();
    for (const line of ours.flatMap((fulfillment) => fulfillment.fulfillmentLineItems.nodes)) alreadyShipped.set(line.lineItem.id, (alreadyShipped.get(line.lineItem.id) ?? 0) + (line.quantity ?? 0));

    const open = order.fulfillmentOrders.nodes.filter((fulfillmentOrder) => FULFILLABLE.has(fulfillmentOrder.status));
    // Fulfillment order line items to fulfil, grouped by the location their fulfillment order is
    // assigned to: one fulfillmentCreate takes fulfillment orders of one location only.
    const byLocation = new Map<string, Map<string, Array<{ id: string; quantity: number }>>>();
    for (const line of shipment.lines) {
      const lineItemId = lineItemGid(line.lineId);
      const covered = Math.min(alreadyShipped.get(lineItemId) ?? 0, line.quantity);
      alreadyShipped.set(lineItemId, (alreadyShipped.get(lineItemId) ?? 0) - covered);
      let wanted = line.quantity - covered;
      for (const fulfillmentOrder of open) {
        for (const item of fulfillmentOrder.lineItems.nodes) {
          if (wanted === 0) break;
          if (item.lineItem.id !== lineItemId || item.remainingQuantity === 0) continue;
          const quantity = Math.min(wanted, item.remainingQuantity);
          const location = fulfillmentOrder.assignedLocation.location?.id ?? '';
          const orders = byLocation.get(location) ?? new Map<string, Array<{ id: string; quantity: number }>>();
          orders.set(fulfillmentOrder.id, [...(orders.get(fulfillmentOrder.id) ?? []), { id: item.id, quantity }]);
          byLocation.set(location, orders);
          wanted -= quantity;
        }
      }
      if (wanted > 0) {
        return { outcome: 'FAILED', error: `Shopify order ${orderId} has ${line.quantity - covered - wanted} of line ${line.lineId} left to fulfil, ${line.quantity - covered} shipped (fulfilled elsewhere, or not this order's line?)` };
      }
    }
    const created: string[] = ours.map((fulfillment) => fulfillment.id);
    for (const orders of byLocation.values()) {
      const result = await this.#client.request<{ fulfillmentCreate: { fulfillment: { id: string } | null; userErrors: Array<{ field: string[] | null; message: string }> } }>(FULFILLMENT_CREATE, {
        variables: {
          fulfillment: {
            lineItemsByFulfillmentOrder: [...orders].map(([fulfillmentOrderId, fulfillmentOrderLineItems]) => ({ fulfillmentOrderId, fulfillmentOrderLineItems })),
            trackingInfo: { company: shipment.carrier, number: shipment.trackingCode, ...(shipment.trackingUrl ? { url: shipment.trackingUrl } : {}) },
            // Shopify e-mails the shopper the shipping confirmation with the tracking link.
            notifyCustomer: true,
          },
        },
      });
      const { fulfillment, userErrors } = result.fulfillmentCreate;
      if (userErrors.length > 0 || !fulfillment) return { outcome: 'FAILED', error: `Shopify refused the fulfillment of order ${orderId}: ${userErrors.map((error) => error.message).join('; ')}` };
      created.push(fulfillment.id);
    }
    if (byLocation.size === 0) this.#log.info({ orderId, fulfilmentId: shipment.fulfilmentId }, 'Shopify already had this shipment (an earlier attempt reached it)');
    return { outcome: 'CONFIRMED', reference: created.join(' ') };
  }
}

function orderGid(orderId: string): string {
  return orderId.startsWith('gid://') ? orderId : `gid://shopify/Order/${orderId}`;
}

/** The intake keys lines by the numeric id (the GID's last part): subgraphs/shopify/dictionary.ts. */
function lineItemGid(lineId: string): string {
  return lineId.startsWith('gid://') ? lineId : `gid://shopify/LineItem/${lineId}`;
}
