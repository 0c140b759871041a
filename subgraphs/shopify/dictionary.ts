/**
 * Shopify's data dictionary: which Shopify field carries each canonical field, declared once.
 * The functions below read Shopify's shapes only through these paths and this status table, so
 * a change of mapping is a change here (and `README.md` is checked against it by a test).
 */
import type { ChannelOrder, ChannelOrderLine, ChannelOrderTotals, ShopperContact } from '../platform-common/order-sync.ts';
import type { ListingStatus, MoneyValue, ShopifyListingValue, ShopifyLocationStockValue } from './models.ts';

/** Ponte's listing status, the same words for every channel. */

export const shopifyDictionary = {
  /** Listings: read from a `ProductVariant` of the Admin GraphQL API (selected in `listings.ts`). */
  listing: {
    sku: { shopify: 'ProductVariant.sku', path: 'sku', note: 'Ponte\'s federation key; matched exactly' },
    title: { shopify: 'Product.title + ProductVariant.title', path: 'product.title', variantPath: 'title', note: '`Product - Variant`, or the product title alone when the variant is Shopify\'s `Default Title`' },
    price: { shopify: 'ProductVariant.price', path: 'price', currencyPath: 'shop.currencyCode', note: 'decimal string in the shop currency → cents' },
    quantity: { shopify: 'ProductVariant.inventoryQuantity', path: 'inventoryQuantity', note: '`available` summed over Shopify locations' },
    status: {
      shopify: 'Product.status',
      path: 'product.status',
      values: { ACTIVE: 'ACTIVE', DRAFT: 'DRAFT', ARCHIVED: 'CLOSED' } as Record<string, ListingStatus>,
      note: 'status belongs to the Shopify product, shared by its variants',
    },
    category: { shopify: 'Product.productType', path: 'product.productType', note: 'free text in Shopify' },
    brand: { shopify: 'Product.vendor', path: 'product.vendor', note: 'shown as `vendor`' },
  },
  /** Orders: from the `orders/*` webhook body (REST JSON) or an `Order` of the Admin GraphQL API. */
  order: {
    orderId: { webhook: 'admin_graphql_api_id', api: 'id', note: 'the order GID, Ponte\'s `orderReference`' },
    lines: { webhook: 'line_items', api: 'lineItems.nodes', note: 'one canonical line per Shopify line item' },
    lineId: { webhook: 'line_items[].id', api: 'LineItem.id', note: 'numeric id (the GID\'s last part)' },
    sku: { webhook: 'line_items[].sku', api: 'LineItem.sku', note: 'empty or missing → exception `UNKNOWN_SKU`' },
    quantity: { webhook: 'line_items[].quantity', api: 'LineItem.quantity', note: 'units ordered' },
    status: {
      webhook: 'cancelled_at, line_items[].fulfillment_status',
      api: 'cancelledAt, LineItem.unfulfilledQuantity',
      values: { cancelled: 'CANCELLED', fulfilled: 'FULFILLED', open: 'OPEN' } as Record<'cancelled' | 'fulfilled' | 'open', ChannelOrder['status']>,
      note: 'cancelled order → CANCELLED; line fulfilled → FULFILLED; otherwise OPEN (Shopify commits stock at order creation)',
    },
    // Amounts and times: https://shopify.dev/docs/api/admin-rest/latest/resources/order (webhook bodies are
    // this REST shape) and https://shopify.dev/docs/api/admin-graphql/latest/objects/Order.
    placedAt: { webhook: 'created_at', api: 'createdAt', note: 'when the buyer placed it' },
    updatedAt: { webhook: 'updated_at', api: 'updatedAt', note: 'the version: an older one than recorded changes nothing' },
    currency: { webhook: 'currency', api: 'currencyCode', note: 'the shop currency every amount is in' },
    subtotal: { webhook: 'total_line_items_price', api: 'lineItems × originalUnitPriceSet', note: 'lines at their prices, before discounts' },
    discounts: { webhook: 'total_discounts', api: 'totalDiscountsSet', note: 'decimal → cents' },
    shipping: { webhook: 'total_shipping_price_set.shop_money.amount', api: 'totalShippingPriceSet', note: 'decimal → cents' },
    tax: { webhook: 'total_tax', api: 'totalTaxSet', note: 'included in the prices when `taxes_included` (as in Brazil)' },
    total: { webhook: 'total_price', api: 'totalPriceSet', note: 'what the buyer paid' },
    unitPrice: { webhook: 'line_items[].price', api: 'LineItem.originalUnitPriceSet', note: 'one unit before discounts' },
    lineDiscount: { webhook: 'line_items[].discount_allocations[].amount (else total_discount)', api: 'LineItem.totalDiscountSet', note: 'on the whole line' },
    shipToPostalCode: { webhook: 'shipping_address.zip', api: 'shippingAddress.zip', note: 'the CEP only; nothing else of the address is kept' },
  },
} as const;

// ---- Shopify shapes, as Ponte queries them ----

export interface AdminInventoryLevel {
  location: { id: string; name: string };
  quantities: Array<{ name: string; quantity: number }>;
}

export interface AdminVariant {
  id: string;
  sku: string | null;
  title: string;
  price: string;
  compareAtPrice: string | null;
  inventoryQuantity: number | null;
  availableForSale: boolean;
  inventoryPolicy: 'DENY' | 'CONTINUE';
  updatedAt: string;
  product: { id: string; title: string; handle: string; status: string; vendor: string; productType: string };
  inventoryItem: { id: string; tracked: boolean; inventoryLevels: { nodes: AdminInventoryLevel[] } };
}

interface AdminMoney {
  shopMoney: { amount: string; currencyCode: string };
}

export interface AdminOrder {
  id: string;
  cancelledAt: string | null;
  createdAt?: string;
  updatedAt: string;
  currencyCode?: string;
  totalDiscountsSet?: AdminMoney | null;
  totalShippingPriceSet?: AdminMoney | null;
  totalTaxSet?: AdminMoney | null;
  totalPriceSet?: AdminMoney | null;
  shippingAddress?: { zip?: string | null } | null;
  email?: string | null;
  phone?: string | null;
  customer?: { id: string; email?: string | null; phone?: string | null; firstName?: string | null; lastName?: string | null } | null;
  lineItems: { nodes: Array<{ id: string; sku: string | null; quantity: number; unfulfilledQuantity: number; originalUnitPriceSet?: AdminMoney; totalDiscountSet?: AdminMoney }> };
}

/** Shopify's REST `MailingAddress`, as a webhook carries it. */
export interface WebhookAddress {
  first_name?: string | null;
  last_name?: string | null;
  address1?: string | null;
  address2?: string | null;
  city?: string | null;
  province_code?: string | null;
  zip?: string | null;
  country_code?: string | null;
  phone?: string | null;
}

export interface WebhookOrder {
  id?: number;
  admin_graphql_api_id?: string;
  cancelled_at?: string | null;
  created_at?: string | null;
  updated_at?: string | null;
  currency?: string | null;
  total_line_items_price?: string | null;
  total_discounts?: string | null;
  total_shipping_price_set?: { shop_money?: { amount?: string | null } | null } | null;
  total_tax?: string | null;
  total_price?: string | null;
  shipping_address?: WebhookAddress | null;
  email?: string | null;
  phone?: string | null;
  customer?: { id?: number | string | null; email?: string | null; phone?: string | null; first_name?: string | null; last_name?: string | null } | null;
  line_items?: Array<{ id: number | string; sku?: string | null; quantity: number; fulfillment_status?: string | null; price?: string | null; total_discount?: string | null; discount_allocations?: Array<{ amount?: string | null }> | null }>;
}

const DEFAULT_VARIANT_TITLE = 'Default Title';

function at(source: unknown, path: string): unknown {
  let value = source;
  for (const part of path.split('.')) value = value && typeof value === 'object' ? (value as Record<string, unknown>)[part] : undefined;
  return value;
}

/** Shopify money is a decimal string ("59.90"); cents avoid floating point ("0.1 + 0.2"). */
export function moneyFromDecimal(amount: string, currency: string): MoneyValue {
  const match = /^(-?)(\d+)(?:\.(\d{1,2})\d*)?$/.exec(amount.trim());
  if (!match) throw new TypeError(`Shopify sent a price that is not a decimal: "${amount}"`);
  const cents = Number(match[2]) * 100 + Number((match[3] ?? '0').padEnd(2, '0'));
  return { amountInCents: match[1] ? -cents : cents, currency };
}

export function listingStatusOf(shopifyStatus: string): ListingStatus {
  const status = shopifyDictionary.listing.status.values[shopifyStatus];
  // A status Shopify adds later must not break the page: show it as not sellable.
  return status ?? 'PAUSED';
}

/** Maps one variant (and the shop's currency) to the listing Ponte shows. */
export function listingFromVariant(variant: AdminVariant, shop: { currencyCode: string; domain: string }, fetchedAt: string): ShopifyListingValue {
  const map = shopifyDictionary.listing;
  const currency = shop.currencyCode;
  const productTitle = String(at(variant, map.title.path));
  const variantTitle = String(at(variant, map.title.variantPath));
  const hasVariantTitle = variantTitle !== DEFAULT_VARIANT_TITLE;
  const platformStatus = String(at(variant, map.status.path));
  const compareAt = variant.compareAtPrice;
  const productNumericId = numericId(variant.product.id);
  return {
    sku: String(at(variant, map.sku.path)),
    variantId: variant.id,
    productId: variant.product.id,
    inventoryItemId: variant.inventoryItem.id,
    title: hasVariantTitle ? `${productTitle} - ${variantTitle}` : productTitle,
    productTitle,
    variantTitle: hasVariantTitle ? variantTitle : null,
    handle: variant.product.handle,
    vendor: (at(variant, map.brand.path) as string | undefined) || null,
    category: (at(variant, map.category.path) as string | undefined) || null,
    price: moneyFromDecimal(String(at(variant, map.price.path)), currency),
    compareAtPrice: compareAt ? moneyFromDecimal(compareAt, currency) : null,
    status: listingStatusOf(platformStatus),
    platformStatus,
    availableForSale: variant.availableForSale,
    continueSellingWhenOutOfStock: variant.inventoryPolicy === 'CONTINUE',
    inventoryTracked: variant.inventoryItem.tracked,
    quantity: Number(at(variant, map.quantity.path) ?? 0),
    locations: variant.inventoryItem.inventoryLevels.nodes.map(locationStock),
    url: `https://${shop.domain}/products/${variant.product.handle}`,
    adminUrl: `https://admin.shopify.com/store/${shop.domain.replace(/\.myshopify\.com$/, '')}/products/${productNumericId}/variants/${numericId(variant.id)}`,
    updatedAt: variant.updatedAt,
    fetchedAt,
  };
}

function locationStock(level: AdminInventoryLevel): ShopifyLocationStockValue {
  const quantity = (name: string) => level.quantities.find((entry) => entry.name === name)?.quantity ?? 0;
  return { locationId: level.location.id, name: level.location.name, available: quantity('available'), committed: quantity('committed'), onHand: quantity('on_hand'), incoming: quantity('incoming') };
}

/** `gid://shopify/LineItem/123` → `123`; a bare number passes through. */
export function numericId(id: string | number): string {
  const text = String(id);
  return /\/(\d+)(\?.*)?$/.exec(text)?.[1] ?? text;
}

function skuOf(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

/**
 * One Shopify order as Ponte's channel order. Shopify's status is per line once an order is partly
 * fulfilled: each line carries its own, and the order is OPEN while any line is.
 */
function channelOrder(orderId: string, cancelled: boolean, lines: Array<ChannelOrderLine & { status: ChannelOrder['status'] }>, details: Omit<ChannelOrder, 'orderId' | 'status' | 'lines'>): ChannelOrder[] {
  const status: ChannelOrder['status'] = cancelled ? 'CANCELLED' : lines.length > 0 && lines.every((line) => line.status === 'FULFILLED') ? 'FULFILLED' : 'OPEN';
  return [{ orderId, status, lines, ...details }];
}

/** Decimal string → cents; undefined when Shopify sent none. */
function cents(amount: string | null | undefined): number | undefined {
  return amount === null || amount === undefined || amount === '' ? undefined : moneyFromDecimal(amount, 'XXX').amountInCents;
}

function totalsOf(amounts: { subtotal: number; discounts: number | undefined; shipping: number | undefined; tax: number | undefined; total: number | undefined }): ChannelOrderTotals | undefined {
  if (amounts.total === undefined) return undefined;
  return { subtotalCents: amounts.subtotal, discountCents: amounts.discounts ?? 0, shippingCents: amounts.shipping ?? 0, taxCents: amounts.tax ?? 0, totalCents: amounts.total };
}

/**
 * The shopper's contact on an order webhook (personal data: handed to the customers subgraph
 * through the orders subgraph, never kept here). Shopify's `customer` and `shipping_address`.
 */
export function shopperContactOf(body: Pick<WebhookOrder, 'customer' | 'email' | 'phone' | 'shipping_address'>): ShopperContact | null {
  const customer = body.customer ?? null;
  const address = body.shipping_address ?? null;
  const name = [customer?.first_name ?? address?.first_name, customer?.last_name ?? address?.last_name].filter(Boolean).join(' ');
  const contact: ShopperContact = {
    platformCustomerId: customer?.id !== undefined && customer?.id !== null ? String(customer.id) : null,
    name: name || null,
    email: customer?.email ?? body.email ?? null,
    phone: customer?.phone ?? body.phone ?? address?.phone ?? null,
    address: address
      ? { street: address.address1 ?? null, complement: address.address2 ?? null, city: address.city ?? null, state: address.province_code ?? null, postalCode: address.zip ?? null, country: address.country_code ?? null }
      : null,
  };
  return contact.platformCustomerId || contact.email || contact.phone ? contact : null;
}

/** Maps an `orders/*` webhook body. */
export function channelOrdersFromWebhook(body: WebhookOrder): ChannelOrder[] {
  const map = shopifyDictionary.order;
  const orderId = body.admin_graphql_api_id ?? (body.id !== undefined ? `gid://shopify/Order/${body.id}` : undefined);
  if (!orderId) throw new TypeError('Shopify order webhook without an order id');
  const cancelled = Boolean(body.cancelled_at);
  const lines = (body.line_items ?? []).map((line) => {
    const allocated = line.discount_allocations?.length ? line.discount_allocations.reduce((sum, allocation) => sum + (cents(allocation.amount) ?? 0), 0) : cents(line.total_discount);
    return {
      lineId: numericId(line.id),
      sku: skuOf(line.sku),
      quantity: line.quantity,
      status: cancelled ? map.status.values.cancelled : line.fulfillment_status === 'fulfilled' ? map.status.values.fulfilled : map.status.values.open,
      ...(cents(line.price) !== undefined ? { unitPriceCents: cents(line.price) } : {}),
      ...(allocated !== undefined ? { discountCents: allocated } : {}),
    };
  });
  const subtotal = cents(body.total_line_items_price) ?? lines.reduce((sum, line) => sum + (line.unitPriceCents ?? 0) * line.quantity, 0);
  return channelOrder(orderId, cancelled, lines, {
    placedAt: body.created_at ?? undefined,
    updatedAt: body.updated_at ?? undefined,
    currency: body.currency ?? undefined,
    totals: totalsOf({ subtotal, discounts: cents(body.total_discounts), shipping: cents(body.total_shipping_price_set?.shop_money?.amount), tax: cents(body.total_tax), total: cents(body.total_price) }),
    shipTo: body.shipping_address?.zip ? { postalCode: body.shipping_address.zip } : null,
    customer: shopperContactOf(body),
  });
}

/** Maps an `Order` read from the Admin GraphQL API (reconciliation). */
export function channelOrdersFromAdminOrder(order: AdminOrder): ChannelOrder[] {
  const map = shopifyDictionary.order;
  const cancelled = Boolean(order.cancelledAt);
  const amount = (money: AdminMoney | null | undefined) => cents(money?.shopMoney.amount);
  const lines = order.lineItems.nodes.map((line) => ({
    lineId: numericId(line.id),
    sku: skuOf(line.sku),
    quantity: line.quantity,
    status: cancelled ? map.status.values.cancelled : line.quantity > 0 && line.unfulfilledQuantity === 0 ? map.status.values.fulfilled : map.status.values.open,
    ...(amount(line.originalUnitPriceSet) !== undefined ? { unitPriceCents: amount(line.originalUnitPriceSet) } : {}),
    ...(amount(line.totalDiscountSet) !== undefined ? { discountCents: amount(line.totalDiscountSet) } : {}),
  }));
  const subtotal = lines.reduce((sum, line) => sum + (line.unitPriceCents ?? 0) * line.quantity, 0);
  return channelOrder(order.id, cancelled, lines, {
    placedAt: order.createdAt,
    updatedAt: order.updatedAt,
    currency: order.currencyCode,
    totals: totalsOf({ subtotal, discounts: amount(order.totalDiscountsSet), shipping: amount(order.totalShippingPriceSet), tax: amount(order.totalTaxSet), total: amount(order.totalPriceSet) }),
    shipTo: order.shippingAddress?.zip ? { postalCode: order.shippingAddress.zip } : null,
    customer: shopperContactOf({
      customer: order.customer ? { id: numericId(order.customer.id), email: order.customer.email ?? null, phone: order.customer.phone ?? null, first_name: order.customer.firstName ?? null, last_name: order.customer.lastName ?? null } : null,
      email: order.email ?? null,
      phone: order.phone ?? null,
      shipping_address: null,
    }),
  });
}

/** The dictionary as the Markdown table in README.md. */
export function dictionaryMarkdown(): string {
  const listing = shopifyDictionary.listing;
  const order = shopifyDictionary.order;
  const statusValues = (values: Record<string, string>) => Object.entries(values).map(([from, to]) => `\`${from}\` → \`${to}\``).join(', ');
  const rows = [
    '| canonical field | Shopify field | mapping |',
    '| --- | --- | --- |',
    ...(['sku', 'title', 'price', 'quantity', 'category', 'brand'] as const).map((name) => `| listing \`${name}\` | \`${listing[name].shopify}\` | ${listing[name].note} |`),
    `| listing \`status\` | \`${listing.status.shopify}\` | ${statusValues(listing.status.values)}; anything else → \`PAUSED\` (${listing.status.note}) |`,
    ...(['orderId', 'lineId', 'sku', 'quantity'] as const).map((name) => `| order \`${name}\` | webhook \`${order[name].webhook}\`, API \`${order[name].api}\` | ${order[name].note} |`),
    `| order line \`status\` | webhook \`${order.status.webhook}\`, API \`${order.status.api}\` | ${order.status.note} |`,
  ];
  return rows.join('\n');
}
