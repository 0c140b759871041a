/**
 * Shopify's data dictionary: which Shopify field carries each canonical field, declared once.
 * The functions below read Shopify's shapes only through these paths and this status table, so
 * a change of mapping is a change here (and `README.md` is checked against it by a test).
 */
import type { ChannelOrder, ChannelOrderLine } from '../platform-common/order-sync.ts';
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

export interface AdminOrder {
  id: string;
  cancelledAt: string | null;
  updatedAt: string;
  lineItems: { nodes: Array<{ id: string; sku: string | null; quantity: number; unfulfilledQuantity: number }> };
}

export interface WebhookOrder {
  id?: number;
  admin_graphql_api_id?: string;
  cancelled_at?: string | null;
  line_items?: Array<{ id: number | string; sku?: string | null; quantity: number; fulfillment_status?: string | null }>;
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
 * One Shopify order as Ponte's channel orders. Shopify's status is per line once an order is
 * partly fulfilled, and `ChannelOrder` has one status, so lines are grouped by status.
 */
function groupByStatus(orderId: string, lines: Array<ChannelOrderLine & { status: ChannelOrder['status'] }>): ChannelOrder[] {
  const groups = new Map<ChannelOrder['status'], ChannelOrderLine[]>();
  for (const { status, ...line } of lines) groups.set(status, [...(groups.get(status) ?? []), line]);
  return [...groups].map(([status, grouped]) => ({ orderId, status, lines: grouped }));
}

/** Maps an `orders/*` webhook body. */
export function channelOrdersFromWebhook(body: WebhookOrder): ChannelOrder[] {
  const map = shopifyDictionary.order;
  const orderId = body.admin_graphql_api_id ?? (body.id !== undefined ? `gid://shopify/Order/${body.id}` : undefined);
  if (!orderId) throw new TypeError('Shopify order webhook without an order id');
  const cancelled = Boolean(body.cancelled_at);
  return groupByStatus(
    orderId,
    (body.line_items ?? []).map((line) => ({
      lineId: numericId(line.id),
      sku: skuOf(line.sku),
      quantity: line.quantity,
      status: cancelled ? map.status.values.cancelled : line.fulfillment_status === 'fulfilled' ? map.status.values.fulfilled : map.status.values.open,
    })),
  );
}

/** Maps an `Order` read from the Admin GraphQL API (reconciliation). */
export function channelOrdersFromAdminOrder(order: AdminOrder): ChannelOrder[] {
  const map = shopifyDictionary.order;
  const cancelled = Boolean(order.cancelledAt);
  return groupByStatus(
    order.id,
    order.lineItems.nodes.map((line) => ({
      lineId: numericId(line.id),
      sku: skuOf(line.sku),
      quantity: line.quantity,
      status: cancelled ? map.status.values.cancelled : line.quantity > 0 && line.unfulfilledQuantity === 0 ? map.status.values.fulfilled : map.status.values.open,
    })),
  );
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
