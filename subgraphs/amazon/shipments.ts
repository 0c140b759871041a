import type { ClaimedShipment, ConfirmOutcome, ShipmentConfirmer } from '../platform-common/shipment-confirmations.ts';
import { AmazonApiError, type AmazonClient } from './client.ts';

/**
 * Tells Amazon a merchant-fulfilled (MFN) order shipped: confirmShipment with one package per Ponte
 * shipment (https://developer-docs.amazon.com/sp-api/reference/confirmshipment ,
 * https://developer-docs.amazon.com/sp-api/docs/confirm-the-shipment-status). The
 * packageReferenceId is the confirmation's own number, so a repeat after a lost answer edits the
 * package Amazon already has instead of adding a second one: Amazon's own idempotency. An FBA
 * (AFN) order is Amazon's to ship: refused with the reason, never retried.
 */
export class AmazonShipmentConfirmer implements ShipmentConfirmer {
  readonly #client: AmazonClient;

  constructor(options: { client: AmazonClient }) {
    this.#client = options.client;
  }

  async confirm(shipment: ClaimedShipment): Promise<ConfirmOutcome> {
    try {
      const order = await this.#client.order(shipment.orderId);
      const fulfilledBy = order.fulfillment?.fulfilledBy;
      if (fulfilledBy === 'AMAZON') return { outcome: 'REFUSED', reason: `Amazon order ${shipment.orderId} is fulfilled by Amazon (FBA): Amazon ships it and tells the buyer itself` };
      if (order.fulfillment?.fulfillmentStatus === 'CANCELLED') return { outcome: 'FAILED', error: `Amazon order ${shipment.orderId} is cancelled; nothing to ship` };
      // A positive number, unique within the order: the queue's row id is both, and stays the same on every retry.
      const packageReferenceId = shipment.id;
      await this.#client.confirmShipment(shipment.orderId, {
        packageReferenceId,
        // Carriers outside Amazon's CarrierCode list go as Other with their name (the buyer sees the name).
        carrierCode: 'Other',
        carrierName: shipment.carrier,
        trackingNumber: shipment.trackingCode,
        shipDate: shipment.shippedAt,
        orderItems: shipment.lines.map((line) => ({ orderItemId: line.lineId, quantity: line.quantity })),
      });
      return { outcome: 'CONFIRMED', reference: `package ${packageReferenceId}` };
    } catch (error) {
      if (!(error instanceof AmazonApiError)) throw error;
      if (error.status === undefined || error.status === 429 || error.status >= 500) return { outcome: 'RETRY', error: error.message, retryAfterMs: error.retryAfterMs };
      if (error.status === 404) return { outcome: 'FAILED', error: `Amazon has no order ${shipment.orderId}` };
      return { outcome: 'FAILED', error: error.message };
    }
  }
}
