/**
 * WooCommerce REST v3 JSON representations (the fields Ponte reads, with WooCommerce's names),
 * used by the API and by webhook bodies alike, as WooCommerce does.
 */
import type { SandboxShopper } from '../common/shoppers.ts';
import type { WooOrder, WooOrderNote, WooProduct, WooStore, WooTrackingItem, WooVariation, WooWebhook } from './store.ts';

export const WC_NAMESPACE = '/wp-json/wc/v3';
/** The Shipment Tracking extension's REST namespace: https://woocommerce.com/document/shipment-tracking/shipment-tracking-rest-api-create-tracking-item/ */
export const SHIPMENT_TRACKING_NAMESPACE = '/wp-json/wc-shipment-tracking/v3';
/** The order meta the extension keeps its tracking items in. */
export const TRACKING_ITEMS_META_KEY = '_wc_shipment_tracking_items';

function links(siteUrl: string, path: string, collection: string): Record<string, unknown> {
  return { self: [{ href: `${siteUrl}${WC_NAMESPACE}/${path}` }], collection: [{ href: `${siteUrl}${WC_NAMESPACE}/${collection}` }] };
}

function priceHtml(price: string): string {
  return `<span class="woocommerce-Price-amount amount"><bdi><span class="woocommerce-Price-currencySymbol">R$</span>&nbsp;${price.replace('.', ',')}</bdi></span>`;
}

export function productJson(store: WooStore, product: WooProduct, siteUrl: string): Record<string, unknown> {
  const variationPrices = product.variationIds.map((id) => store.variations.get(id)?.regularPrice).filter((price): price is string => price !== undefined);
  const price = product.type === 'variable' ? (variationPrices.sort((a, b) => Number(a) - Number(b))[0] ?? '') : product.regularPrice;
  return {
    id: product.id,
    name: product.name,
    slug: product.slug,
    permalink: `${siteUrl}/produto/${product.slug}/`,
    date_created: product.dateCreated,
    date_created_gmt: product.dateCreated,
    date_modified: product.dateModified,
    date_modified_gmt: product.dateModified,
    type: product.type,
    status: product.status,
    featured: false,
    catalog_visibility: 'visible',
    description: '',
    short_description: '',
    sku: product.sku,
    price,
    regular_price: product.type === 'variable' ? '' : product.regularPrice,
    sale_price: '',
    price_html: priceHtml(price),
    on_sale: false,
    purchasable: true,
    total_sales: product.totalSales,
    virtual: false,
    downloadable: false,
    tax_status: 'taxable',
    manage_stock: product.manageStock,
    stock_quantity: product.stockQuantity,
    backorders: product.backorders,
    backorders_allowed: product.backorders !== 'no',
    backordered: false,
    stock_status: store.parentStockStatus(product),
    categories: product.categories,
    tags: [],
    images: [],
    attributes: product.attributes.map((attribute) => ({ ...attribute, options: [...new Set(attribute.options)] })),
    default_attributes: [],
    variations: product.variationIds,
    parent_id: 0,
    meta_data: [],
    _links: links(siteUrl, `products/${product.id}`, 'products'),
  };
}

export function variationJson(variation: WooVariation, siteUrl: string): Record<string, unknown> {
  return {
    id: variation.id,
    name: variation.name,
    parent_id: variation.parentId,
    type: 'variation',
    date_created: variation.dateCreated,
    date_created_gmt: variation.dateCreated,
    date_modified: variation.dateModified,
    date_modified_gmt: variation.dateModified,
    description: '',
    permalink: `${siteUrl}/?p=${variation.parentId}&variation_id=${variation.id}`,
    sku: variation.sku,
    price: variation.regularPrice,
    regular_price: variation.regularPrice,
    sale_price: '',
    on_sale: false,
    status: variation.status,
    purchasable: true,
    virtual: false,
    downloadable: false,
    tax_status: 'taxable',
    manage_stock: variation.manageStock,
    stock_quantity: variation.stockQuantity,
    stock_status: variation.stockStatus,
    backorders: variation.backorders,
    backorders_allowed: variation.backorders !== 'no',
    backordered: false,
    attributes: variation.attributes,
    meta_data: [],
    _links: { ...links(siteUrl, `products/${variation.parentId}/variations/${variation.id}`, `products/${variation.parentId}/variations`), up: [{ href: `${siteUrl}${WC_NAMESPACE}/products/${variation.parentId}` }] },
  };
}

/**
 * A variation as `GET /products?sku=` answers it: WooCommerce's products controller searches
 * the `product` and `product_variation` post types when a SKU filter is given, and renders a
 * matched variation with the product schema (type `variation`, `parent_id`, no categories:
 * `product_cat` is not registered for variations).
 */
export function variationAsProductJson(variation: WooVariation, siteUrl: string): Record<string, unknown> {
  return {
    ...variationJson(variation, siteUrl),
    slug: `${variation.sku.toLowerCase()}`,
    featured: false,
    catalog_visibility: 'visible',
    short_description: '',
    price_html: priceHtml(variation.regularPrice),
    total_sales: 0,
    categories: [],
    tags: [],
    images: [],
    default_attributes: [],
    variations: [],
    _links: { ...links(siteUrl, `products/${variation.id}`, 'products'), up: [{ href: `${siteUrl}${WC_NAMESPACE}/products/${variation.parentId}` }] },
  };
}

function wooAddress(shopper: SandboxShopper): Record<string, string> {
  const { address } = shopper;
  return {
    first_name: shopper.firstName, last_name: shopper.lastName, company: '', address_1: `${address.street}, ${address.number}`, address_2: '',
    city: address.city, state: address.state, postcode: address.postalCode, country: 'BR', number: address.number, neighborhood: address.district,
  };
}

export function orderJson(order: WooOrder, siteUrl: string): Record<string, unknown> {
  const total = order.lineItems.reduce((sum, line) => sum + Math.round(Number(line.price) * 100) * line.quantity, 0);
  return {
    id: order.id,
    parent_id: 0,
    number: String(order.id),
    order_key: `wc_order_${order.id.toString(36)}sandbox`,
    created_via: 'checkout',
    version: '9.4.0',
    status: order.status,
    currency: 'BRL',
    date_created: order.dateCreated,
    date_created_gmt: order.dateCreated,
    date_modified: order.dateModified,
    date_modified_gmt: order.dateModified,
    date_paid: order.datePaid,
    date_paid_gmt: order.datePaid,
    date_completed: order.dateCompleted,
    date_completed_gmt: order.dateCompleted,
    discount_total: '0.00',
    shipping_total: '0.00',
    total_tax: '0.00',
    total: (total / 100).toFixed(2),
    prices_include_tax: false,
    customer_id: 0,
    payment_method: 'pix',
    payment_method_title: 'Pix',
    // https://woocommerce.github.io/woocommerce-rest-api-docs/#order-properties (billing, shipping); `cpf`,
    // `number` and `neighborhood` are what Brazilian stores add with the "Brazilian Market on WooCommerce" plugin.
    billing: { ...wooAddress(order.shopper), email: order.shopper.email, phone: order.shopper.phone, cpf: order.shopper.cpf },
    shipping: { ...wooAddress(order.shopper), phone: order.shopper.phone },
    line_items: order.lineItems.map((line) => ({
      id: line.id,
      name: line.name,
      product_id: line.productId,
      variation_id: line.variationId,
      quantity: line.quantity,
      tax_class: '',
      subtotal: (Number(line.price) * line.quantity).toFixed(2),
      subtotal_tax: '0.00',
      total: (Number(line.price) * line.quantity).toFixed(2),
      total_tax: '0.00',
      taxes: [],
      meta_data: [],
      sku: line.sku,
      price: Number(line.price),
    })),
    // The Shipment Tracking extension's items, as the order meta it writes.
    meta_data: order.trackingItems.length === 0 ? [] : [{ id: order.id * 10 + 1, key: TRACKING_ITEMS_META_KEY, value: order.trackingItems.map((item) => ({ tracking_provider: item.trackingProvider, custom_tracking_provider: item.customTrackingProvider, custom_tracking_link: item.customTrackingLink, tracking_number: item.trackingNumber, date_shipped: String(item.dateShipped), tracking_id: item.trackingId })) }],
    _links: links(siteUrl, `orders/${order.id}`, 'orders'),
  };
}

export function webhookJson(webhook: WooWebhook, siteUrl: string): Record<string, unknown> {
  const [resource, event] = webhook.topic.split('.');
  return {
    id: webhook.id,
    name: webhook.name,
    status: webhook.status,
    topic: webhook.topic,
    resource,
    event,
    hooks: [`woocommerce_${event === 'created' ? 'new' : 'update'}_${resource}`],
    delivery_url: webhook.deliveryUrl,
    date_created: webhook.dateCreated,
    date_created_gmt: webhook.dateCreated,
    date_modified: webhook.dateModified,
    date_modified_gmt: webhook.dateModified,
    _links: links(siteUrl, `webhooks/${webhook.id}`, 'webhooks'),
  };
}

export function noteJson(note: WooOrderNote): Record<string, unknown> {
  return { id: note.id, author: note.author, date_created: note.dateCreated, date_created_gmt: note.dateCreated, note: note.note, customer_note: note.customerNote };
}

export function trackingJson(item: WooTrackingItem): Record<string, unknown> {
  return {
    tracking_id: item.trackingId,
    tracking_provider: item.trackingProvider,
    custom_tracking_provider: item.customTrackingProvider,
    custom_tracking_link: item.customTrackingLink,
    tracking_link: item.customTrackingLink,
    tracking_number: item.trackingNumber,
    date_shipped: new Date(item.dateShipped * 1000).toISOString().slice(0, 10),
  };
}
