/**
 * WooCommerce's data dictionary: which WooCommerce field feeds each canonical field, and how
 * status values translate. The mapping is data (`WOOCOMMERCE_DICTIONARY`, mirrored as a table
 * in README.md); the functions below only apply it.
 */
import type { ChannelOrder, ChannelOrderLine, OrderSync, ShopperContact } from '../platform-common/order-sync.ts';
import type { WooOrder, WooProduct } from './client.ts';
import type { MoneyValue, WooCommerceListingStatus, WooCommerceListingValue, WooCommerceStockStatus } from './models.ts';

/** A canonical field: the WooCommerce field it comes from, and how values translate where they do. */
interface FieldMapping<Canonical> {
  field: string;
  note?: string;
  /** `null`: no canonical action for this platform value. */
  values?: Record<string, Canonical>;
}

export const WOOCOMMERCE_DICTIONARY = {
  listing: {
    sku: { field: 'sku', note: 'simple product or variation; `GET /products?sku=a,b` finds both' },
    title: { field: 'name', note: '' },
    price: { field: 'price', note: 'decimal string in the store currency → cents; `regular_price` is the list price' },
    quantity: { field: 'stock_quantity', note: 'only when `manage_stock` is true (or `parent` on a variation); otherwise null' },
    status: {
      field: 'status',
      values: { publish: 'ACTIVE', draft: 'DRAFT', pending: 'PENDING_REVIEW', private: 'PRIVATE' },
    },
    category: { field: 'categories[0].name', note: "a variation has none: its parent product's" },
  },
  stockStatus: {
    field: 'stock_status',
    values: { instock: 'IN_STOCK', outofstock: 'OUT_OF_STOCK', onbackorder: 'ON_BACKORDER' },
  },
  order: {
    orderId: { field: 'id' },
    lineId: { field: 'line_items[].id' },
    sku: { field: 'line_items[].sku', note: 'empty → no SKU: recorded as an exception' },
    quantity: { field: 'line_items[].quantity' },
    // Amounts and times: https://woocommerce.github.io/woocommerce-rest-api-docs/#order-properties and
    // #order-line-items-properties. `price` on a line is after discounts, so the unit price is subtotal ÷ quantity.
    placedAt: { field: 'date_created_gmt', note: 'GMT without a zone: read as UTC' },
    updatedAt: { field: 'date_modified_gmt', note: 'the version: an older one than recorded changes nothing' },
    currency: { field: 'currency' },
    unitPrice: { field: 'line_items[].subtotal ÷ quantity', note: 'one unit before discounts, decimal → cents' },
    lineDiscount: { field: 'line_items[].subtotal − line_items[].total' },
    discounts: { field: 'discount_total' },
    shipping: { field: 'shipping_total' },
    tax: { field: 'total_tax' },
    total: { field: 'total' },
    shipToPostalCode: { field: 'shipping.postcode (else billing.postcode)', note: 'the CEP only' },
    // What releases a reservation follows what puts stock back in WooCommerce core:
    // `wc_maybe_increase_stock_levels` is hooked to `woocommerce_order_status_cancelled` and
    // `woocommerce_order_status_pending` only, and acts only when the order's stock was reduced;
    // `wc_maybe_reduce_stock_levels` to processing, completed, on-hold and payment_complete.
    // (woocommerce/woocommerce: plugins/woocommerce/includes/wc-stock-functions.php)
    status: {
      field: 'status',
      values: {
        // Back to pending payment: WooCommerce puts the stock back if it had taken it, so a held
        // reservation is released; an order that is pending from the start holds nothing (and must
        // leave no tombstone: it is paid, and reserved, a moment later). See RELEASED_ONLY_IF_HELD.
        pending: 'CANCELLED',
        // A block checkout's draft, before the shopper places the order.
        'checkout-draft': null,
        processing: 'OPEN',
        // Awaiting payment confirmation (boleto, bank transfer): WooCommerce already holds the stock.
        'on-hold': 'OPEN',
        completed: 'FULFILLED',
        cancelled: 'CANCELLED',
        // Neither puts stock back in WooCommerce: the units stay taken there, so the reservation
        // stays too (a failed payment usually never took any). A restock comes as a stock change
        // (the merchant's "restock refunded items", or an edit), not as an order status.
        failed: null,
        refunded: null,
        // Trashing an order restores no stock in WooCommerce.
        trash: null,
      },
    },
  },
} as const satisfies {
  listing: Record<string, FieldMapping<WooCommerceListingStatus>>;
  stockStatus: FieldMapping<WooCommerceStockStatus>;
  order: Record<string, FieldMapping<ChannelOrder['status'] | null>>;
};

/** WooCommerce's decimal price string ("59.90") in cents; null when the listing has no price. */
export function centsFromDecimal(value: string | null | undefined): number | null {
  if (value === null || value === undefined || value.trim() === '') return null;
  const amount = Number(value);
  return Number.isFinite(amount) ? Math.round(amount * 100) : null;
}

function money(value: string | null | undefined, currency: string): MoneyValue | null {
  const cents = centsFromDecimal(value);
  return cents === null ? null : { amountInCents: cents, currency };
}

export function listingStatusFor(status: string): WooCommerceListingStatus {
  // A status a plugin adds is not shoppable: treat it as a draft rather than fail the listing.
  return (WOOCOMMERCE_DICTIONARY.listing.status.values as Record<string, WooCommerceListingStatus>)[status] ?? 'DRAFT';
}

export function stockStatusFor(status: string): WooCommerceStockStatus {
  return (WOOCOMMERCE_DICTIONARY.stockStatus.values as Record<string, WooCommerceStockStatus>)[status] ?? 'OUT_OF_STOCK';
}

/** Statuses whose CANCELLED releases a reservation already held and is otherwise no action at all. */
export const RELEASED_ONLY_IF_HELD: ReadonlySet<string> = new Set(['pending']);

/** An order as OrderSync applies it; `onlyIfHeld`: apply only when the order holds a reservation. */
export type WooChannelOrder = ChannelOrder & { onlyIfHeld?: true };

/** The canonical meaning of an order status; null for none (drafts, refunds, unknown plugin statuses). */
export function orderStatusFor(status: string): ChannelOrder['status'] | null {
  return (WOOCOMMERCE_DICTIONARY.order.status.values as Record<string, ChannelOrder['status'] | null>)[status] ?? null;
}

export function categoriesOf(product: Pick<WooProduct, 'categories'>): string[] {
  return (product.categories ?? []).map((category) => category.name);
}

/** A product or variation from `GET /products` as the listing Ponte shows. */
export function listingFromWooProduct(product: WooProduct, currency: string): WooCommerceListingValue {
  const variation = product.type === 'variation';
  const managesStock = product.manage_stock === true || product.manage_stock === 'parent';
  return {
    sku: product.sku,
    kind: variation ? 'VARIATION' : 'SIMPLE_PRODUCT',
    productId: String(variation ? product.parent_id : product.id),
    variationId: variation ? String(product.id) : null,
    title: product.name,
    price: money(product.price, currency),
    regularPrice: money(product.regular_price, currency),
    onSale: product.on_sale ?? false,
    status: listingStatusFor(product.status),
    platformStatus: product.status,
    url: product.permalink || null,
    quantity: managesStock ? (product.stock_quantity ?? 0) : null,
    managesStock,
    stockStatus: stockStatusFor(product.stock_status),
    backordersAllowed: product.backorders === 'notify' || product.backorders === 'yes',
    categories: variation ? null : categoriesOf(product),
    modifiedAt: product.date_modified_gmt ? `${product.date_modified_gmt.slice(0, 19)}Z` : null,
  };
}

/**
 * An order (webhook body or `GET /orders` item) as the channel order OrderSync applies; null
 * when its status calls for nothing. Lines without a positive quantity carry no stock.
 */
export function channelOrderFromWooOrder(order: WooOrder): WooChannelOrder | null {
  const status = orderStatusFor(order.status);
  if (!status) return null;
  const lines: ChannelOrderLine[] = order.line_items
    .filter((line) => line.quantity > 0)
    .map((line) => {
      const subtotal = centsFromDecimal(line.subtotal);
      const total = centsFromDecimal(line.total);
      return {
        lineId: String(line.id),
        sku: line.sku?.trim() || null,
        quantity: line.quantity,
        ...(subtotal !== null ? { unitPriceCents: Math.round(subtotal / line.quantity) } : {}),
        ...(subtotal !== null && total !== null ? { discountCents: Math.max(0, subtotal - total) } : {}),
      };
    });
  const total = centsFromDecimal(order.total);
  const postcode = order.shipping?.postcode || order.billing?.postcode || null;
  return {
    orderId: String(order.id),
    status,
    lines,
    ...(order.date_created_gmt ? { placedAt: gmt(order.date_created_gmt) } : {}),
    ...(order.date_modified_gmt ? { updatedAt: gmt(order.date_modified_gmt) } : {}),
    ...(order.currency ? { currency: order.currency } : {}),
    ...(total !== null
      ? {
          totals: {
            subtotalCents: order.line_items.reduce((sum, line) => sum + (line.quantity > 0 ? (centsFromDecimal(line.subtotal) ?? 0) : 0), 0),
            discountCents: centsFromDecimal(order.discount_total) ?? 0,
            shippingCents: centsFromDecimal(order.shipping_total) ?? 0,
            taxCents: centsFromDecimal(order.total_tax) ?? 0,
            totalCents: total,
          },
        }
      : {}),
    shipTo: postcode ? { postalCode: postcode } : null,
    customer: shopperContactOf(order),
    ...(RELEASED_ONLY_IF_HELD.has(order.status) ? { onlyIfHeld: true as const } : {}),
  };
}

/** WooCommerce's `*_gmt` times carry no zone ("2026-11-30T13:00:00"): they are UTC. */
function gmt(value: string): string {
  return /(Z|[+-]\d\d:?\d\d)$/.test(value) ? value : `${value}Z`;
}

/**
 * The shopper's contact on an order (personal data: handed to the customers subgraph through the
 * orders subgraph, never kept here): `billing` (e-mail, phone, CPF), the delivery address from `shipping`.
 */
export function shopperContactOf(order: Pick<WooOrder, 'customer_id' | 'billing' | 'shipping'>): ShopperContact | null {
  const billing = order.billing ?? null;
  const address = order.shipping?.address_1 ? order.shipping : billing;
  const name = [billing?.first_name, billing?.last_name].filter(Boolean).join(' ');
  const contact: ShopperContact = {
    // 0 is a guest checkout: no WooCommerce customer account.
    platformCustomerId: order.customer_id ? String(order.customer_id) : null,
    name: name || null,
    email: billing?.email || null,
    phone: billing?.phone || order.shipping?.phone || null,
    cpf: billing?.cpf || null,
    address: address
      ? { street: address.address_1 ?? null, number: address.number ?? null, complement: address.address_2 || null, district: address.neighborhood ?? null, city: address.city ?? null, state: address.state ?? null, postalCode: address.postcode ?? null, country: address.country ?? null }
      : null,
  };
  return contact.platformCustomerId || contact.email || contact.phone || contact.cpf ? contact : null;
}

/**
 * Applies a mapped order: one marked `onlyIfHeld` goes through only when one of its lines is
 * reserved, so a pending order that never held stock leaves no cancellation behind.
 */
export async function applyWooOrder(orderSync: Pick<OrderSync, 'apply' | 'lineStates'>, order: WooChannelOrder): Promise<void> {
  const { onlyIfHeld, ...channelOrder } = order;
  if (onlyIfHeld && !(await orderSync.lineStates(order.orderId)).some((line) => line.state === 'RESERVED')) return;
  await orderSync.apply(channelOrder);
}

/**
 * Only what order processing needs, for the inbox: a webhook body also carries the buyer's
 * name, e-mail and addresses, which Ponte has no reason to keep (LGPD: data minimisation).
 */
export function orderWithoutPersonalData(order: WooOrder): WooOrder {
  const postcode = order.shipping?.postcode || order.billing?.postcode || null;
  return {
    id: order.id,
    status: order.status,
    date_created_gmt: order.date_created_gmt ?? null,
    date_modified_gmt: order.date_modified_gmt ?? null,
    currency: order.currency ?? null,
    discount_total: order.discount_total ?? null,
    shipping_total: order.shipping_total ?? null,
    total_tax: order.total_tax ?? null,
    total: order.total ?? null,
    // The CEP alone (routing and the canonical order need it); nothing else of either address.
    ...(postcode ? { shipping: { postcode } } : {}),
    line_items: order.line_items.map((line) => ({ id: line.id, product_id: line.product_id, variation_id: line.variation_id, sku: line.sku, quantity: line.quantity, subtotal: line.subtotal ?? null, total: line.total ?? null })),
  };
}
