import type { Logger } from '../../kit/logger.ts';
import type { ClaimedShipment, ConfirmOutcome, ShipmentConfirmer } from '../platform-common/shipment-confirmations.ts';
import { WooCommerceApiError, type WooCommerceClient } from './client.ts';

/** Statuses an order cannot ship from. https://woocommerce.github.io/woocommerce-rest-api-docs/#order-properties */
const NOT_SHIPPABLE = new Set(['cancelled', 'refunded', 'failed', 'trash']);

/**
 * Tells a WooCommerce store a shipment, as a merchant with the Shipment Tracking extension does:
 * a tracking item on the order (the extension's REST API; WooCommerce core has no tracking field),
 * a customer note with the carrier, code and link (core: e-mailed to the shopper and on their
 * order page, so the shopper sees it even where the extension is not installed), and the order
 * completed once every line has shipped (WooCommerce completes orders whole, and the Completed
 * Order e-mail carries the tracking). Nothing here takes an idempotency key, so each step checks
 * before it writes: a tracking item or note with this tracking code is not added twice, and
 * completing a completed order changes nothing.
 */
export class WooCommerceShipmentConfirmer implements ShipmentConfirmer {
  readonly #client: WooCommerceClient;
  readonly #log: Logger;

  constructor(options: { client: WooCommerceClient; log: Logger }) {
    this.#client = options.client;
    this.#log = options.log.child({ component: 'shipment-confirmer' });
  }

  async confirm(shipment: ClaimedShipment): Promise<ConfirmOutcome> {
    try {
      return await this.#confirm(shipment);
    } catch (error) {
      if (!(error instanceof WooCommerceApiError)) throw error;
      if (error.unavailable) return { outcome: 'RETRY', error: error.message, retryAfterMs: error.retryAfterMs };
      if (error.code === 'woocommerce_rest_shop_order_invalid_id') return { outcome: 'FAILED', error: `WooCommerce has no order ${shipment.orderId}` };
      return { outcome: 'FAILED', error: error.message };
    }
  }

  async #confirm(shipment: ClaimedShipment): Promise<ConfirmOutcome> {
    const order = await this.#client.order(shipment.orderId);
    if (NOT_SHIPPABLE.has(order.status)) return { outcome: 'FAILED', error: `WooCommerce order ${shipment.orderId} is ${order.status}; nothing to ship` };
    const references: string[] = [];

    let tracked = true;
    try {
      const items = await this.#client.shipmentTrackings(shipment.orderId);
      const existing = items.find((item) => item.tracking_number === shipment.trackingCode);
      const item = existing ?? (await this.#client.addShipmentTracking(shipment.orderId, { carrier: shipment.carrier, trackingNumber: shipment.trackingCode, trackingUrl: shipment.trackingUrl, dateShipped: shipment.shippedAt.slice(0, 10) }));
      references.push(`tracking ${item.tracking_id}`);
    } catch (error) {
      // No such route: the store runs without the extension; the customer note carries the tracking alone.
      if (!(error instanceof WooCommerceApiError && error.code === 'rest_no_route')) throw error;
      tracked = false;
    }

    const notes = await this.#client.customerNotes(shipment.orderId);
    const note = notes.find((candidate) => candidate.note.includes(shipment.trackingCode)) ?? (await this.#client.addCustomerNote(shipment.orderId, customerNote(shipment)));
    references.push(`note ${note.id}`);

    const shipped = new Map<string, number>();
    for (const line of [...shipment.confirmedLines, ...shipment.lines]) shipped.set(line.lineId, (shipped.get(line.lineId) ?? 0) + line.quantity);
    const whole = order.line_items.every((line) => (shipped.get(String(line.id)) ?? 0) >= line.quantity);
    if (whole && order.status !== 'completed') await this.#client.setOrderStatus(shipment.orderId, 'completed');
    if (!tracked) this.#log.info({ orderId: shipment.orderId }, 'the store has no Shipment Tracking extension; the tracking went in a customer note only');
    return { outcome: 'CONFIRMED', reference: references.join(', ') };
  }
}

/** The shopper reads it in Portuguese, on the order page and in the e-mail WooCommerce sends for a customer note. */
function customerNote(shipment: ClaimedShipment): string {
  return `Seu pedido foi enviado por ${shipment.carrier}. Código de rastreio: ${shipment.trackingCode}.${shipment.trackingUrl ? ` Acompanhe a entrega: ${shipment.trackingUrl}` : ''}`;
}
