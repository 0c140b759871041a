/**
 * The Mercado Livre data dictionary: which platform field each canonical field comes from, and
 * how values translate. The object below is the single statement of the mapping (README.md
 * shows it as a table); the functions after it only apply it.
 */
import type { ChannelOrder, ChannelOrderLine, ShopperContact } from '../platform-common/order-sync.ts';
import type { MlAttribute, MlItem, MlOrder, MlShipmentDetail, MlVariation } from './api-types.ts';
import type { MercadoLivreListingStatus, MercadoLivreListingValue } from './models.ts';

/** Where a SKU is listed: an item, and the variation when the item has variations. */
export interface ListingRef {
  itemId: string;
  variationId: number | null;
}

/** One listing as the dictionary reads it: the item, and the SKU's variation if any. */
interface Listing {
  item: MlItem;
  variation: MlVariation | null;
}

export const MERCADOLIVRE_DICTIONARY = {
  listing: {
    sku: {
      platform: 'SELLER_SKU attribute: `variations[].attributes` for an item with variations, else the item\'s `attributes`',
      read: ({ item, variation }: Listing): string | undefined => (variation ? variationSku(variation) : itemSku(item)),
    },
    title: { platform: '`title` (the item\'s; variations share it)', read: ({ item }: Listing): string => item.title },
    price: {
      platform: '`variations[].price`, else `price`; decimal in `currency_id` → cents',
      read: ({ item, variation }: Listing) => ({ amountInCents: Math.round((variation?.price ?? item.price) * 100), currency: item.currency_id }),
    },
    quantity: {
      platform: '`variations[].available_quantity`, else `available_quantity`',
      read: ({ item, variation }: Listing): number => variation?.available_quantity ?? item.available_quantity,
    },
    status: {
      platform: '`status` (`sub_status` kept as is)',
      values: {
        active: 'ACTIVE',
        paused: 'PAUSED',
        closed: 'CLOSED',
        under_review: 'UNDER_REVIEW',
        inactive: 'UNDER_REVIEW',
        payment_required: 'UNDER_REVIEW',
        not_yet_active: 'UNDER_REVIEW',
      } as Record<string, MercadoLivreListingStatus>,
      /** Any status Mercado Livre adds later: not buyable until someone maps it. */
      otherwise: 'UNDER_REVIEW' as MercadoLivreListingStatus,
    },
    category: { platform: '`category_id` (Mercado Livre\'s category tree, e.g. MLB1234)', read: ({ item }: Listing): string | null => item.category_id ?? null },
  },
  order: {
    orderId: { platform: '`id`' },
    lineId: { platform: '`order_items[].item.id` + `/` + `item.variation_id` (stable across the order\'s changes)' },
    sku: { platform: '`order_items[].item.seller_sku`, else the SKU index by item and variation id' },
    quantity: { platform: '`order_items[].quantity`' },
    status: {
      platform: '`status`, and `fulfilled` / `tags` for shipment',
      values: { paid: 'OPEN', cancelled: 'CANCELLED', invalid: 'CANCELLED' } as Record<string, ChannelOrder['status']>,
      /** A paid order with one of these is FULFILLED (shipping detail lives in /shipments). */
      fulfilledWhen: { fulfilled: true, tags: ['shipped', 'delivered'] },
      /** confirmed, payment_required, payment_in_process, partially_paid, pending_cancel: no stock effect yet. */
      otherwise: null,
    },
    shipTo: {
      platform:
        'not on the order: `GET /shipments/{shipping.id}` with `x-format-new: true`, `destination.shipping_address.zip_code` (else the older JSON\'s `receiver_address.zip_code`); digits only, a CEP of 8 digits or none',
    },
  },
} as const;

export function attributeValue(attributes: readonly MlAttribute[] | undefined, id: string): string | undefined {
  return attributes?.find((attribute) => attribute.id === id)?.value_name ?? undefined;
}

export function itemSku(item: MlItem): string | undefined {
  return attributeValue(item.attributes, 'SELLER_SKU') ?? item.seller_custom_field ?? undefined;
}

export function variationSku(variation: MlVariation): string | undefined {
  return attributeValue(variation.attributes, 'SELLER_SKU') ?? variation.seller_custom_field ?? undefined;
}

/** Every SKU an item carries, with where: the item itself, or each variation. */
export function listingRefsOf(item: MlItem): Array<{ sku: string; ref: ListingRef }> {
  if (item.variations && item.variations.length > 0) {
    return item.variations.flatMap((variation) => {
      const sku = variationSku(variation);
      return sku ? [{ sku, ref: { itemId: item.id, variationId: variation.id } }] : [];
    });
  }
  const sku = itemSku(item);
  return sku ? [{ sku, ref: { itemId: item.id, variationId: null } }] : [];
}

/** The SKU's listing in Ponte's words; null when the variation is gone from the item. */
export function listingFromItem(sku: string, item: MlItem, ref: ListingRef): MercadoLivreListingValue | null {
  const variation = ref.variationId === null ? null : (item.variations?.find((candidate) => candidate.id === ref.variationId) ?? null);
  if (ref.variationId !== null && !variation) return null;
  const fields = MERCADOLIVRE_DICTIONARY.listing;
  const listing: Listing = { item, variation };
  const price = fields.price.read(listing);
  return {
    sku,
    itemId: item.id,
    variationId: variation ? String(variation.id) : null,
    title: fields.title.read(listing),
    priceInCents: price.amountInCents,
    currency: price.currency,
    status: fields.status.values[item.status] ?? fields.status.otherwise,
    platformStatus: item.status,
    platformSubStatus: item.sub_status ?? [],
    availableQuantity: fields.quantity.read(listing),
    soldQuantity: variation?.sold_quantity ?? item.sold_quantity ?? 0,
    categoryId: fields.category.read(listing),
    listingType: item.listing_type_id ?? null,
    condition: item.condition ?? null,
    variationAttributes: (variation?.attribute_combinations ?? []).map((attribute) => ({ name: attribute.name ?? attribute.id, value: attribute.value_name ?? '' })),
    url: item.permalink,
    lastUpdated: item.last_updated ?? null,
  };
}

/** The order's effect on stock; null for statuses that have none yet (payment pending). */
export function orderStatusOf(order: MlOrder): ChannelOrder['status'] | null {
  const rule = MERCADOLIVRE_DICTIONARY.order.status;
  const status = rule.values[order.status] ?? rule.otherwise;
  if (status !== 'OPEN') return status;
  const shipped = order.fulfilled === rule.fulfilledWhen.fulfilled || (order.tags ?? []).some((tag) => (rule.fulfilledWhen.tags as readonly string[]).includes(tag));
  return shipped ? 'FULFILLED' : 'OPEN';
}

/**
 * A Mercado Livre order as order-sync's ChannelOrder. `skuOf` finds the SKU of a line that does
 * not carry `seller_sku`; a line with no SKU at all is kept (sku null) so it becomes an exception.
 */
export function channelOrderFrom(order: MlOrder, skuOf: (ref: ListingRef) => string | undefined, shipment?: MlShipmentDetail | null): ChannelOrder | null {
  const status = orderStatusOf(order);
  if (!status) return null;
  const seen = new Map<string, number>();
  const lines = order.order_items.map((line): ChannelOrderLine => {
    const ref: ListingRef = { itemId: line.item.id, variationId: line.item.variation_id ?? null };
    const base = ref.variationId === null ? ref.itemId : `${ref.itemId}/${ref.variationId}`;
    // Mercado Livre merges repeated items into one line; should it not, keep the ids distinct.
    const repeat = seen.get(base) ?? 0;
    seen.set(base, repeat + 1);
    // `full_unit_price` is before the seller's discount, `unit_price` what the buyer paid (GET /orders/{id}:
    // https://developers.mercadolivre.com.br/en_us/manage-sales); amounts are decimal numbers → cents.
    const paid = cents(line.unit_price);
    const full = cents(line.full_unit_price ?? line.unit_price);
    return {
      lineId: repeat === 0 ? base : `${base}#${repeat + 1}`,
      sku: line.item.seller_sku || skuOf(ref) || null,
      quantity: line.quantity,
      ...(full !== undefined ? { unitPriceCents: full } : {}),
      ...(full !== undefined && paid !== undefined ? { discountCents: Math.max(0, (full - paid) * line.quantity) } : {}),
    };
  });
  const subtotal = lines.reduce((sum, line) => sum + (line.unitPriceCents ?? 0) * line.quantity, 0);
  const discounts = lines.reduce((sum, line) => sum + (line.discountCents ?? 0), 0);
  const total = cents(order.total_amount);
  return {
    orderId: String(order.id),
    status,
    lines,
    ...(order.date_created ? { placedAt: order.date_created } : {}),
    ...(order.last_updated ? { updatedAt: order.last_updated } : {}),
    ...(order.currency_id ? { currency: order.currency_id } : {}),
    // Shipping is charged on the shipment (/shipments/{id}), not in `total_amount`: not read yet, so 0.
    ...(total !== undefined ? { totals: { subtotalCents: subtotal, discountCents: discounts, shippingCents: 0, taxCents: 0, totalCents: total } } : {}),
    ...(shipment !== undefined ? { shipTo: shipToOf(shipment) } : {}),
    customer: shopperContactOf(order),
  };
}

/**
 * The order's ship-to CEP from its shipment: 8 digits, or null when the shipment has none (a country
 * without CEPs, an address Mercado Livre still masks before payment is confirmed:
 * https://developers.mercadolivre.com.br/pt_br/gerenciamento-de-envios, "Consultar envios").
 */
export function shipToOf(shipment: MlShipmentDetail | null): { postalCode: string } | null {
  const zip = shipment?.destination?.shipping_address?.zip_code ?? shipment?.receiver_address?.zip_code;
  const digits = (zip ?? '').replace(/\D/g, '');
  return digits.length === 8 ? { postalCode: digits } : null;
}

function cents(amount: number | null | undefined): number | undefined {
  return typeof amount === 'number' && Number.isFinite(amount) ? Math.round(amount * 100) : undefined;
}

/**
 * The buyer as Mercado Livre names them on an order (personal data: handed to the customers
 * subgraph through the orders subgraph, never kept here). Mercado Livre gives the seller the buyer's
 * id, nickname and name; e-mail, phone and the delivery address live on the shipment and billing resources.
 */
export function shopperContactOf(order: Pick<MlOrder, 'buyer'>): ShopperContact | null {
  const buyer = order.buyer;
  if (!buyer?.id) return null;
  const name = [buyer.first_name, buyer.last_name].filter(Boolean).join(' ');
  return { platformCustomerId: String(buyer.id), name: name || buyer.nickname || null, email: buyer.email ?? null };
}
