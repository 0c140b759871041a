/**
 * Shopify webhooks as Shopify sends them: REST-shaped JSON bodies, the X-Shopify-* headers,
 * and X-Shopify-Hmac-Sha256 = base64(HMAC-SHA256(raw body, app client secret)).
 *
 * Identity, per https://shopify.dev/docs/apps/build/webhooks/verify-deliveries ("ignore duplicate
 * deliveries using X-Shopify-Webhook-Id") and https://shopify.dev/docs/apps/build/webhooks/delivery-structure#headers:
 * - X-Shopify-Webhook-Id names one delivery (one topic to one subscription); its retries and
 *   duplicates carry the same id. It is what a receiver deduplicates on.
 * - X-Shopify-Event-Id names the event that caused it, and is shared by every delivery that one
 *   action produces, across topics: a cancellation sends `orders/cancelled` and `orders/updated`
 *   with one event id and two webhook ids. Deduplicating on it would drop one of the two.
 */
import { createHmac, randomUUID } from 'node:crypto';
import type { OutgoingWebhook } from '../common/webhooks.ts';
import type { SandboxShopper } from '../common/shoppers.ts';
import { gid, levelGid, orderSubtotal, orderTotal } from './store.ts';
import type { ShopifyInventoryLevel, ShopifyOrder, ShopifyStore, ShopifyWebhookSubscription } from './store.ts';

export function signShopifyWebhook(rawBody: string, apiSecretKey: string): string {
  return createHmac('sha256', apiSecretKey).update(rawBody, 'utf8').digest('base64');
}

export function orderPayload(store: ShopifyStore, order: ShopifyOrder): Record<string, unknown> {
  return {
    id: order.id,
    admin_graphql_api_id: gid('Order', order.id),
    name: order.name,
    order_number: order.orderNumber,
    created_at: order.createdAt,
    updated_at: order.updatedAt,
    processed_at: order.createdAt,
    cancelled_at: order.cancelledAt,
    cancel_reason: order.cancelReason?.toLowerCase() ?? null,
    closed_at: order.closedAt,
    currency: 'BRL',
    financial_status: order.cancelledAt ? 'refunded' : 'paid',
    fulfillment_status: order.fulfillmentStatus === 'FULFILLED' ? 'fulfilled' : order.fulfillmentStatus === 'PARTIALLY_FULFILLED' ? 'partial' : null,
    // Amounts as the REST Order resource names them (https://shopify.dev/docs/api/admin-rest/latest/resources/order):
    // total_line_items_price before discounts, subtotal_price after them, shipping in total_shipping_price_set.
    total_line_items_price: orderSubtotal(order),
    subtotal_price: orderSubtotal(order),
    total_discounts: '0.00',
    total_tax: '0.00',
    taxes_included: true,
    total_shipping_price_set: { shop_money: { amount: order.shippingPrice, currency_code: 'BRL' }, presentment_money: { amount: order.shippingPrice, currency_code: 'BRL' } },
    shipping_lines: Number(order.shippingPrice) > 0 ? [{ id: order.id + 1, title: 'Entrega padrão', code: 'standard', price: order.shippingPrice, discounted_price: order.shippingPrice }] : [],
    total_price: orderTotal(order),
    test: false,
    fulfillments: order.fulfillments.map((fulfillment) => ({
      id: fulfillment.id,
      admin_graphql_api_id: gid('Fulfillment', fulfillment.id),
      name: fulfillment.name,
      status: fulfillment.status.toLowerCase(),
      created_at: fulfillment.createdAt,
      tracking_company: fulfillment.trackingInfo[0]?.company ?? null,
      tracking_number: fulfillment.trackingInfo[0]?.number ?? null,
      tracking_url: fulfillment.trackingInfo[0]?.url ?? null,
      line_items: fulfillment.lineItems.map((line) => ({ id: line.lineItemId, quantity: line.quantity })),
    })),

    email: order.shopper.email,
    phone: null,
    customer: { id: customerId(order.shopper.email), email: order.shopper.email, first_name: order.shopper.firstName, last_name: order.shopper.lastName, phone: order.shopper.phone },
    shipping_address: address(order.shopper),
    billing_address: address(order.shopper),
    line_items: order.lineItems.map((line) => {
      const variant = store.variants.get(line.variantId);
      const fulfilled = store.fulfilledQuantity(order, line.id);
      return {
        id: line.id,
        admin_graphql_api_id: gid('LineItem', line.id),
        variant_id: line.variantId,
        product_id: variant?.productId ?? null,
        sku: line.sku,
        title: line.title,
        variant_title: variant && variant.title !== 'Default Title' ? variant.title : null,
        name: variant && variant.title !== 'Default Title' ? `${line.title} - ${variant.title}` : line.title,
        quantity: line.quantity,
        current_quantity: order.cancelledAt ? 0 : line.quantity,
        fulfillable_quantity: order.cancelledAt ? 0 : line.quantity - fulfilled,
        // Per line, as Shopify reports it: fulfilled once every unit shipped, partial before.
        fulfillment_status: fulfilled >= line.quantity ? 'fulfilled' : fulfilled > 0 ? 'partial' : null,
        price: line.price,
        total_discount: '0.00',
        discount_allocations: [],
      };
    }),
  };
}

/** A stable Shopify customer id per shopper (the sandbox keeps no customer records of its own). */
export function customerId(email: string): number {
  let hash = 0;
  for (const char of email) hash = (Math.imul(hash, 31) + char.charCodeAt(0)) >>> 0;
  return 7_000_000_000 + (hash % 1_000_000_000);
}

/** A REST `MailingAddress` (https://shopify.dev/docs/api/admin-rest/latest/resources/order: shipping_address). */
function address(shopper: SandboxShopper): Record<string, unknown> {
  return {
    first_name: shopper.firstName, last_name: shopper.lastName, name: `${shopper.firstName} ${shopper.lastName}`,
    address1: `${shopper.address.street}, ${shopper.address.number}`, address2: shopper.address.district, city: shopper.address.city,
    province: shopper.address.state, province_code: shopper.address.state, zip: shopper.address.postalCode, country: 'Brazil', country_code: 'BR', phone: shopper.phone,
  };
}

export function inventoryLevelPayload(level: ShopifyInventoryLevel): Record<string, unknown> {
  return {
    inventory_item_id: level.inventoryItemId,
    location_id: level.locationId,
    available: level.quantities.available,
    updated_at: level.updatedAt,
    admin_graphql_api_id: levelGid(level),
  };
}

export interface ShopifyWebhookEvent {
  /** REST topic, e.g. `orders/create`. */
  topic: string;
  eventId: string;
  triggeredAt: string;
  payload: Record<string, unknown>;
}

export function newEvent(topic: string, payload: Record<string, unknown>, triggeredAt: string, eventId: string = randomUUID()): ShopifyWebhookEvent {
  return { topic, eventId, triggeredAt, payload };
}

export function shopifyWebhook(event: ShopifyWebhookEvent, subscription: ShopifyWebhookSubscription, shopDomain: string, apiSecretKey: string): OutgoingWebhook {
  // Rendered once: a retry or a duplicate sends the very same bytes and ids.
  const body = JSON.stringify(event.payload);
  const webhookId = randomUUID();
  const headers = {
    'Content-Type': 'application/json',
    'X-Shopify-Topic': event.topic,
    'X-Shopify-Hmac-Sha256': signShopifyWebhook(body, apiSecretKey),
    'X-Shopify-Shop-Domain': shopDomain,
    'X-Shopify-API-Version': subscription.apiVersion,
    'X-Shopify-Webhook-Id': webhookId,
    'X-Shopify-Event-Id': event.eventId,
    'X-Shopify-Triggered-At': event.triggeredAt,
  };
  // The dispatcher's delivery log is per delivery, hence the webhook id there.
  return { eventId: webhookId, topic: event.topic, url: subscription.uri, render: () => ({ body, headers }) };
}

/**
 * Bodies of Shopify's mandatory compliance webhooks, as documented at
 * https://shopify.dev/docs/apps/build/compliance/privacy-law-compliance
 */
export function compliancePayload(
  topic: 'customers/data_request' | 'customers/redact' | 'shop/redact',
  shop: { id: number; domain: string },
  request: { customer?: { id: string | number; email?: string; phone?: string }; orders?: Array<string | number>; dataRequestId: number },
): Record<string, unknown> {
  const base = { shop_id: shop.id, shop_domain: shop.domain };
  if (topic === 'shop/redact') return base;
  const customer = { id: Number(request.customer?.id ?? 0), email: request.customer?.email ?? null, phone: request.customer?.phone ?? null };
  const orders = (request.orders ?? []).map((id) => Number(/(\d+)$/.exec(String(id))?.[1] ?? id));
  return topic === 'customers/redact'
    ? { ...base, customer, orders_to_redact: orders }
    : { ...base, orders_requested: orders, customer, data_request: { id: request.dataRequestId } };
}
