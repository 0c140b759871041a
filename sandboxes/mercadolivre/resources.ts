/** Mercado Livre JSON representations of items and orders, with its field names. */
import { itemQuantity, itemSoldQuantity } from './store.ts';
import type { MlItem, MlOrder, MlShipment } from './store.ts';

export function itemJson(item: MlItem, sellerId: number, options: { includeAttributes: boolean }): Record<string, unknown> {
  const slug = item.title
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return {
    id: item.id,
    site_id: 'MLB',
    title: item.title,
    seller_id: sellerId,
    category_id: item.categoryId,
    price: item.price,
    base_price: item.price,
    original_price: null,
    currency_id: 'BRL',
    initial_quantity: item.initialQuantity,
    available_quantity: itemQuantity(item),
    sold_quantity: itemSoldQuantity(item),
    buying_mode: 'buy_it_now',
    listing_type_id: 'gold_special',
    condition: 'new',
    permalink: `https://produto.mercadolivre.com.br/${item.id.slice(0, 3)}-${item.id.slice(3)}-${slug}-_JM`,
    thumbnail: '',
    pictures: [],
    seller_custom_field: null,
    attributes: item.attributes,
    variations: item.variations.map((variation) => ({
      id: variation.id,
      price: variation.price,
      attribute_combinations: variation.attributeCombinations,
      available_quantity: variation.availableQuantity,
      sold_quantity: variation.soldQuantity,
      sale_terms: [],
      picture_ids: [],
      catalog_product_id: null,
      seller_custom_field: null,
      // Mercado Livre leaves variation attributes (SELLER_SKU among them) out unless asked for.
      ...(options.includeAttributes ? { attributes: variation.attributes } : {}),
    })),
    status: item.status,
    sub_status: item.subStatus,
    tags: [],
    date_created: item.dateCreated,
    last_updated: item.lastUpdated,
  };
}

export function orderJson(order: MlOrder, sellerId: number, shipment?: MlShipment): Record<string, unknown> {
  const total = order.orderItems.reduce((sum, line) => sum + line.unitPrice * line.quantity, 0);
  return {
    id: order.id,
    status: order.status,
    status_detail: null,
    date_created: order.dateCreated,
    date_closed: order.dateClosed,
    last_updated: order.lastUpdated,
    order_items: order.orderItems.map((line) => ({
      item: {
        id: line.itemId,
        title: line.title,
        category_id: line.categoryId,
        variation_id: line.variationId,
        seller_custom_field: null,
        variation_attributes: line.variationAttributes,
        seller_sku: line.sellerSku,
        warranty: null,
        condition: 'new',
      },
      quantity: line.quantity,
      requested_quantity: { value: line.quantity, measure: 'unit' },
      unit_price: line.unitPrice,
      full_unit_price: line.unitPrice,
      currency_id: 'BRL',
      sale_fee: Math.round(line.unitPrice * line.quantity * 16) / 100,
      listing_type_id: 'gold_special',
    })),
    total_amount: Math.round(total * 100) / 100,
    paid_amount: Math.round(total * 100) / 100,
    currency_id: 'BRL',
    buyer: { id: order.buyerId, nickname: `COMPRADOR${order.buyerId}` },
    seller: { id: sellerId },
    payments: [{ id: order.id + 7, status: order.status === 'cancelled' ? 'refunded' : 'approved', transaction_amount: Math.round(total * 100) / 100, currency_id: 'BRL' }],
    shipping: { id: order.shippingId },
    pack_id: null,
    fulfilled: order.delivered ? true : null,
    tags: order.status === 'cancelled' ? ['not_delivered'] : ['paid', order.delivered ? 'delivered' : shipment?.status === 'shipped' ? 'shipped' : 'not_delivered'],
  };
}

/**
 * Where a shipment goes, from the order's shopper: Mercado Livre's address object (zip_code as digits,
 * state and country as ids and names). The receiver's phone only for custom shipping, as Mercado
 * Livre shows it (https://developers.mercadolivre.com.br/pt_br/gerenciamento-de-envios).
 */
function receiverAddress(shipment: MlShipment, order: MlOrder): Record<string, unknown> {
  const { address } = order.shopper;
  return {
    id: order.buyerId,
    address_line: `${address.street} ${address.number}`,
    street_name: address.street,
    street_number: address.number,
    comment: null,
    zip_code: address.postalCode.replace(/\D/g, ''),
    city: { id: null, name: address.city },
    state: { id: `BR-${address.state}`, name: address.state },
    country: { id: 'BR', name: 'Brasil' },
    neighborhood: { id: null, name: address.district },
    receiver_name: `${order.shopper.firstName} ${order.shopper.lastName}`,
    receiver_phone: shipment.mode === 'custom' ? order.shopper.phone : null,
  };
}

/**
 * `GET /shipments/{id}` and `GET /orders/{id}/shipments`, the fields the status page shows. The
 * buyer's address is `destination.shipping_address` in the JSON `x-format-new: true` asks for, and
 * `receiver_address` in the older one (its equivalent): https://developers.mercadolivre.com.br/pt_br/gerenciamento-de-envios ,
 * https://developers.mercadolibre.com.ar/devsite/manage-shipments
 */
export function shipmentJson(shipment: MlShipment, order: MlOrder | undefined, options: { formatNew?: boolean } = {}): Record<string, unknown> {
  const address = order ? receiverAddress(shipment, order) : null;
  const { receiver_name: receiverName, receiver_phone: receiverPhone, ...shippingAddress } = address ?? {};
  return {
    ...(options.formatNew
      ? { destination: address ? { type: 'buying_address', receiver_id: order!.buyerId, receiver_name: receiverName, receiver_phone: receiverPhone, comments: null, shipping_address: shippingAddress } : null }
      : { receiver_id: order?.buyerId ?? null, receiver_address: address }),
    id: shipment.id,
    mode: shipment.mode,
    created_by: 'receiver',
    order_id: shipment.orderId,
    order_cost: order ? Math.round(order.orderItems.reduce((sum, line) => sum + line.unitPrice * line.quantity, 0) * 100) / 100 : null,
    site_id: 'MLB',
    status: shipment.status,
    substatus: shipment.substatus,
    tracking_number: shipment.trackingNumber,
    tracking_method: shipment.mode === 'me2' ? 'Correios' : shipment.trackingNumber ? 'Otros' : null,
    tracking_url: shipment.trackingUrl,
    service_id: shipment.serviceId,
    status_history: { date_shipped: shipment.dateShipped },
    last_updated: shipment.lastUpdated,
    logistic: { direction: 'forward', mode: shipment.mode, type: shipment.mode === 'me2' ? 'drop_off' : 'default' },
  };
}
