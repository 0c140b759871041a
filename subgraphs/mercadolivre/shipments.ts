import type { ClaimedShipment, ConfirmOutcome, ShipmentConfirmer } from '../platform-common/shipment-confirmations.ts';
import { MercadoLivreApiError, MercadoLivreUnavailable, type MercadoLivreClient } from './client.ts';

/** Modes where the seller ships and informs the buyer: ME1 and custom shipping. */
const SELLER_SHIPPED = new Set(['me1', 'custom']);

/**
 * Tells Mercado Livre a seller-shipped order went out, as the ME1 status page documents
 * (https://developers.mercadolivre.com.br/status-de-pedidos-rastreamento ; custom shipping:
 * https://developers.mercadolivre.com.br/en_us/custom-shipping): the order's shipment from
 * `GET /orders/{id}/shipments`, then `POST /shipments/{id}/seller_notifications` with status
 * shipped and the tracking number and link, which the buyer is shown. A Mercado Envios (me2)
 * shipment is Mercado Livre's own to report: refused here with the reason, never retried.
 * Seller notifications take no idempotency key; the shipment is read first, and one already
 * shipped with this tracking number is not notified again.
 */
export class MercadoLivreShipmentConfirmer implements ShipmentConfirmer {
  readonly #client: MercadoLivreClient;

  constructor(options: { client: MercadoLivreClient }) {
    this.#client = options.client;
  }

  async confirm(shipment: ClaimedShipment): Promise<ConfirmOutcome> {
    try {
      return await this.#confirm(shipment);
    } catch (error) {
      if (error instanceof MercadoLivreUnavailable) return { outcome: 'RETRY', error: error.message, retryAfterMs: error.retryAfterMs };
      if (error instanceof MercadoLivreApiError) {
        if (error.status === 404) return { outcome: 'FAILED', error: `Mercado Livre has no order ${shipment.orderId}` };
        return { outcome: 'FAILED', error: error.message };
      }
      throw error;
    }
  }

  async #confirm(shipment: ClaimedShipment): Promise<ConfirmOutcome> {
    const current = await this.#client.orderShipment(shipment.orderId);
    const mode = current.logistic?.mode ?? current.mode;
    if (!SELLER_SHIPPED.has(mode)) {
      return { outcome: 'REFUSED', reason: `Mercado Livre order ${shipment.orderId} ships by Mercado Envios (${mode}): Mercado Livre carries it and tells the buyer itself` };
    }
    if (current.status === 'shipped' || current.status === 'delivered') {
      if (current.tracking_number === shipment.trackingCode) return { outcome: 'CONFIRMED', reference: `shipment ${current.id}` };
      return { outcome: 'FAILED', error: `Mercado Livre shipment ${current.id} of order ${shipment.orderId} is already ${current.status} with tracking ${current.tracking_number ?? '(none)'}: an order has one shipment there` };
    }
    if (current.status === 'cancelled' || current.status === 'not_delivered') return { outcome: 'FAILED', error: `Mercado Livre shipment ${current.id} of order ${shipment.orderId} is ${current.status}` };
    await this.#client.notifyShipment(current.id, { status: 'shipped', trackingNumber: shipment.trackingCode, trackingUrl: shipment.trackingUrl, comment: shipment.carrier, date: shipment.shippedAt });
    return { outcome: 'CONFIRMED', reference: `shipment ${current.id}` };
  }
}
