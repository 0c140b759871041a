/**
 * Amazon's data dictionary: where each of Ponte's canonical fields lives in SP-API payloads, and
 * how its values translate. The mapping is data (the objects below, also rendered as the table in
 * README.md); the functions at the end only apply it. Field names follow Amazon's published
 * models (the @sp-api-sdk types), so a renamed field fails the type check here and nowhere else.
 */
import type { Item } from '@sp-api-sdk/listings-items-api-2021-08-01';
import type { Order, OrderItem } from '@sp-api-sdk/orders-api-2026-01-01';
import type { ChannelOrder, ChannelOrderLine, ShopperContact } from '../platform-common/order-sync.ts';
import type { AmazonListingStatus, AmazonListingValue } from './models.ts';

export type { Item as AmazonListingsItem, Order as AmazonOrder, OrderItem as AmazonOrderItem };

/**
 * How a platform value becomes Ponte's: `text`, `integer`, `money` (`{ currencyCode, amount }`
 * with a decimal string → cents), `list` (kept as a list), or a value table. A table with `firstOf`
 * applies to a list of platform values: the first entry the list contains wins.
 */
export type Conversion =
  | 'text'
  | 'integer'
  | 'money'
  | 'list'
  | { values: Readonly<Record<string, string | null>>; otherwise: string | null; firstOf?: boolean };

export interface FieldMapping {
  /**
   * Where the value is: property names joined by dots; `name[key=value,...]` picks the element
   * of a list whose properties match (`$marketplaceId` is the marketplace Ponte sells in).
   */
  platformField: string;
  as: Conversion;
  note?: string;
}

/** Listings Items API 2021-08-01 `Item` (searchListingsItems / getListingsItem) → `AmazonListing`. */
export const AMAZON_LISTING_FIELDS = {
  sku: { platformField: 'sku', as: 'text', note: 'Seller SKU; Ponte lists each SKU under the same string' },
  title: { platformField: 'summaries[marketplaceId=$marketplaceId].itemName', as: 'text' },
  price: { platformField: 'offers[marketplaceId=$marketplaceId,offerType=B2C].price', as: 'money', note: 'the consumer (B2C) offer; B2B offers are ignored' },
  quantity: {
    platformField: 'fulfillmentAvailability[fulfillmentChannelCode=DEFAULT].quantity',
    as: 'integer',
    note: 'merchant-fulfilled units only: FBA (AMAZON_*) quantities are Amazon\'s to manage',
  },
  status: {
    platformField: 'summaries[marketplaceId=$marketplaceId].status',
    as: { firstOf: true, values: { BUYABLE: 'ACTIVE', DISCOVERABLE: 'INACTIVE' }, otherwise: 'SUPPRESSED' },
    note: 'a list of flags; BUYABLE wins over DISCOVERABLE; neither means suppressed',
  },
  category: { platformField: 'summaries[marketplaceId=$marketplaceId].productType', as: 'text', note: 'Amazon product type (SHIRT, SHOES, ...)' },
  asin: { platformField: 'summaries[marketplaceId=$marketplaceId].asin', as: 'text' },
  condition: { platformField: 'summaries[marketplaceId=$marketplaceId].conditionType', as: 'text' },
  createdAt: { platformField: 'summaries[marketplaceId=$marketplaceId].createdDate', as: 'text' },
  updatedAt: { platformField: 'summaries[marketplaceId=$marketplaceId].lastUpdatedDate', as: 'text' },
  fulfillmentAvailability: { platformField: 'fulfillmentAvailability', as: 'list' },
  issues: { platformField: 'issues', as: 'list', note: 'only issues for this marketplace (or for all)' },
} as const satisfies Record<string, FieldMapping>;

/**
 * Orders API v2026-01-01 `Order` (searchOrders / getOrder with `includedData=FULFILLMENT`) →
 * `ChannelOrder`. Model: models/orders-api-model/orders_2026-01-01.json in
 * amzn/selling-partner-api-models (`Order`, `OrderFulfillment`, `FulfillmentStatus`).
 */
export const AMAZON_ORDER_FIELDS = {
  orderId: { platformField: 'orderId', as: 'text' },
  status: {
    platformField: 'fulfillment.fulfillmentStatus',
    as: {
      values: {
        // Not paid yet: nothing is reserved until Amazon has the payment.
        PENDING_AVAILABILITY: null,
        PENDING: null,
        UNSHIPPED: 'OPEN',
        PARTIALLY_SHIPPED: 'OPEN',
        SHIPPED: 'FULFILLED',
        CANCELLED: 'CANCELLED',
        UNFULFILLABLE: 'CANCELLED',
      },
      otherwise: null,
    },
    note: 'ignored: not paid yet, nothing reserved until the order changes; in an OPEN order a line shipped in full is FULFILLED; absent unless includedData has FULFILLMENT',
  },
  fulfilledBy: {
    platformField: 'fulfillment.fulfilledBy',
    as: { values: { MERCHANT: 'MERCHANT', AMAZON: 'AMAZON' }, otherwise: 'MERCHANT' },
    note: 'AMAZON (FBA) orders ship from Amazon\'s stock and are ignored (searchOrders is also asked for fulfilledBy=MERCHANT)',
  },
  updatedAt: { platformField: 'lastUpdatedTime', as: 'text', note: 'drives the polling watermark; the version of the canonical order' },
  // Amounts, times and the CEP (orders_2026-01-01.json: `Order.createdTime`, `OrderProceeds`, `Recipient`);
  // getOrder/searchOrders return them only when `includedData` has PROCEEDS and RECIPIENT.
  placedAt: { platformField: 'createdTime', as: 'text' },
  total: { platformField: 'proceeds.grandTotal', as: 'money', note: 'also the currency' },
  subtotal: { platformField: 'proceeds.breakdowns[type=ITEM].subtotal', as: 'money' },
  shipping: { platformField: 'proceeds.breakdowns[type=SHIPPING].subtotal', as: 'money' },
  tax: { platformField: 'proceeds.breakdowns[type=TAX].subtotal', as: 'money' },
  discount: { platformField: 'proceeds.breakdowns[type=DISCOUNT].subtotal', as: 'money', note: 'a negative amount on Amazon; kept as a positive discount' },
  shipToPostalCode: { platformField: 'recipient.deliveryAddress.postalCode', as: 'text', note: 'the CEP only; nothing else of the recipient is kept' },
} as const satisfies Record<string, FieldMapping>;

/** Orders API v2026-01-01 `OrderItem` (always inside the order) → `ChannelOrderLine`. */
export const AMAZON_ORDER_LINE_FIELDS = {
  lineId: { platformField: 'orderItemId', as: 'text' },
  sku: { platformField: 'product.sellerSku', as: 'text', note: 'missing SKU: recorded as an exception' },
  quantity: { platformField: 'quantityOrdered', as: 'integer' },
  quantityShipped: { platformField: 'fulfillment.quantityFulfilled', as: 'integer' },
  unitPrice: { platformField: 'product.price.unitPrice', as: 'money', note: 'one unit before discounts' },
  discount: { platformField: 'proceeds.breakdowns[type=DISCOUNT].subtotal', as: 'money', note: 'on the whole line; negative on Amazon' },
} as const satisfies Record<string, FieldMapping>;

/** Where shoppers see a listing: the marketplace's storefront domain (product page `/dp/{ASIN}`). */
export const AMAZON_MARKETPLACE_DOMAINS: Readonly<Record<string, string>> = {
  A2Q3Y263D00KWC: 'www.amazon.com.br',
  ATVPDKIKX0DER: 'www.amazon.com',
  A2EUQ1WTGCTBG2: 'www.amazon.ca',
  A1AM78C64UM0Y8: 'www.amazon.com.mx',
  A1F83G8C2ARO7P: 'www.amazon.co.uk',
  A1PA6795UKMFR9: 'www.amazon.de',
};

// ---- applying the dictionary ----

type Variables = Readonly<Record<string, string>>;

/** Reads a dictionary path (see `FieldMapping.platformField`) from a platform payload. */
export function readPlatformField(source: unknown, path: string, variables: Variables = {}): unknown {
  let current: unknown = source;
  for (const segment of path.split('.')) {
    const match = /^(\w+)(?:\[([^\]]+)\])?$/.exec(segment);
    if (!match) throw new Error(`Invalid data dictionary path segment "${segment}" in "${path}"`);
    current = isRecord(current) ? current[match[1]!] : undefined;
    if (match[2] === undefined) continue;
    if (!Array.isArray(current)) return undefined;
    const conditions = match[2].split(',').map((condition) => {
      const [key = '', expected = ''] = condition.split('=');
      return { key, expected: expected.startsWith('$') ? variables[expected.slice(1)] : expected };
    });
    current = current.find((element: unknown) => isRecord(element) && conditions.every(({ key, expected }) => element[key] === expected));
  }
  return current;
}

/** Applies one field's mapping. */
export function mapPlatformField(source: unknown, mapping: FieldMapping, variables: Variables = {}): unknown {
  const value = readPlatformField(source, mapping.platformField, variables);
  const conversion = mapping.as;
  if (conversion === 'list') return Array.isArray(value) ? value : [];
  if (value === undefined || value === null) {
    return typeof conversion === 'object' ? conversion.otherwise : null;
  }
  switch (conversion) {
    case 'text':
      return String(value);
    case 'integer':
      return Number.isInteger(Number(value)) ? Number(value) : null;
    case 'money':
      return moneyFrom(value);
    default: {
      const candidates = conversion.firstOf && Array.isArray(value) ? value.map(String) : [String(value)];
      if (conversion.firstOf) {
        const found = Object.keys(conversion.values).find((platformValue) => candidates.includes(platformValue));
        return found === undefined ? conversion.otherwise : conversion.values[found];
      }
      const platformValue = candidates[0]!;
      return Object.hasOwn(conversion.values, platformValue) ? conversion.values[platformValue] : conversion.otherwise;
    }
  }
}

/** A listings `Item` as Ponte shows it, for the marketplace Ponte sells in. */
export function listingFromItem(item: Item, account: { marketplaceId: string; sellerId: string }): AmazonListingValue {
  const variables = { marketplaceId: account.marketplaceId };
  const field = (name: keyof typeof AMAZON_LISTING_FIELDS) => mapPlatformField(item, AMAZON_LISTING_FIELDS[name], variables);
  const asin = field('asin') as string | null;
  const domain = AMAZON_MARKETPLACE_DOMAINS[account.marketplaceId];
  const statusPath = AMAZON_LISTING_FIELDS.status.platformField;
  const platformStatuses = readPlatformField(item, statusPath, variables);
  return {
    sku: field('sku') as string,
    asin,
    marketplaceId: account.marketplaceId,
    sellerId: account.sellerId,
    title: field('title') as string | null,
    category: field('category') as string | null,
    condition: field('condition') as string | null,
    price: field('price') as AmazonListingValue['price'],
    status: field('status') as AmazonListingStatus,
    platformStatuses: Array.isArray(platformStatuses) ? platformStatuses.map(String) : [],
    quantity: field('quantity') as number | null,
    fulfillmentAvailability: (field('fulfillmentAvailability') as Array<Record<string, unknown>>).map((entry) => ({
      fulfillmentChannelCode: String(entry['fulfillmentChannelCode'] ?? ''),
      quantity: Number.isInteger(entry['quantity']) ? (entry['quantity'] as number) : null,
    })),
    issues: (field('issues') as Array<Record<string, unknown>>)
      .filter((issue) => !Array.isArray(issue['marketplaceIds']) || issue['marketplaceIds'].includes(account.marketplaceId))
      .map((issue) => ({
        code: String(issue['code'] ?? ''),
        message: String(issue['message'] ?? ''),
        severity: String(issue['severity'] ?? 'ERROR'),
        attributeNames: Array.isArray(issue['attributeNames']) ? issue['attributeNames'].map(String) : [],
      })),
    url: asin && domain ? `https://${domain}/dp/${asin}` : null,
    createdAt: field('createdAt') as string | null,
    updatedAt: field('updatedAt') as string | null,
  };
}

/** An order reduced to the fields the dictionary reads (nested objects keep only those too). */
export type AmazonOrderSnapshot = Pick<Order, 'orderId' | 'lastUpdatedTime'> & Partial<Pick<Order, 'createdTime' | 'proceeds'>> & {
  fulfillment?: Partial<Pick<NonNullable<Order['fulfillment']>, 'fulfillmentStatus' | 'fulfilledBy'>>;
  recipient?: { deliveryAddress?: { postalCode?: string } };
};
export type AmazonOrderItemSnapshot = Pick<OrderItem, 'orderItemId' | 'quantityOrdered'> & Partial<Pick<OrderItem, 'proceeds'>> & {
  product?: { sellerSku?: string; price?: { unitPrice?: { amount: string; currencyCode: string } } };
  fulfillment?: { quantityFulfilled?: number };
};

/**
 * An order with only the fields the dictionary reads: snapshots are stored (the inbox), and Ponte
 * keeps no buyer, address or payment data it does not need (LGPD's data minimisation).
 */
export function orderSnapshot(order: Order): { order: AmazonOrderSnapshot; items: AmazonOrderItemSnapshot[] } {
  return {
    order: pickDictionaryFields(order, AMAZON_ORDER_FIELDS) as AmazonOrderSnapshot,
    items: (order.orderItems ?? []).map((item) => pickDictionaryFields(item, AMAZON_ORDER_LINE_FIELDS) as AmazonOrderItemSnapshot),
  };
}

/** Copies each dictionary path (`a.b.c`) that the source has, and nothing else. */
function pickDictionaryFields(source: object, fields: Record<string, FieldMapping>): Record<string, unknown> {
  const picked: Record<string, unknown> = {};
  for (const { platformField } of Object.values(fields)) {
    const names = platformField.split('.');
    let from: unknown = source;
    let to = picked;
    names.forEach((segment, index) => {
      // A list picked by its elements (`breakdowns[type=ITEM]`) is kept whole: amounts by category, nothing personal.
      const name = segment.replace(/\[.*\]$/, '');
      const whole = name !== segment;
      if (whole && index < names.length - 1) names.length = index + 1;
      if (!isRecord(from) || !Object.hasOwn(from, name)) {
        from = undefined;
        return;
      }
      if (whole || index === names.length - 1) to[name] = from[name];
      else {
        to[name] = isRecord(to[name]) ? to[name] : {};
        to = to[name] as Record<string, unknown>;
      }
      from = from[name];
    });
  }
  return picked;
}

/** Whether an order is Ponte's to act on now: merchant-fulfilled and paid. */
export function isActionableOrder(order: AmazonOrderSnapshot): boolean {
  return mapPlatformField(order, AMAZON_ORDER_FIELDS.fulfilledBy) === 'MERCHANT' && mapPlatformField(order, AMAZON_ORDER_FIELDS.status) !== null;
}

/**
 * An Amazon order and its items as order-sync's `ChannelOrder`s: none when Ponte has nothing to
 * do (FBA, not paid), usually one, two when some lines of an open order have shipped in full.
 */
export function channelOrdersFrom(order: AmazonOrderSnapshot, items: AmazonOrderItemSnapshot[], contact: ShopperContact | null = null): ChannelOrder[] {
  if (!isActionableOrder(order)) return [];
  const orderId = mapPlatformField(order, AMAZON_ORDER_FIELDS.orderId) as string;
  const status = mapPlatformField(order, AMAZON_ORDER_FIELDS.status) as ChannelOrder['status'];
  const amount = (source: unknown, mapping: FieldMapping) => (mapPlatformField(source, mapping) as { amountInCents: number; currency: string } | null);
  const lines = items.map((item) => {
    const quantity = (mapPlatformField(item, AMAZON_ORDER_LINE_FIELDS.quantity) as number | null) ?? 0;
    const shipped = (mapPlatformField(item, AMAZON_ORDER_LINE_FIELDS.quantityShipped) as number | null) ?? 0;
    const unitPrice = amount(item, AMAZON_ORDER_LINE_FIELDS.unitPrice);
    const discount = amount(item, AMAZON_ORDER_LINE_FIELDS.discount);
    return {
      lineId: mapPlatformField(item, AMAZON_ORDER_LINE_FIELDS.lineId) as string,
      sku: mapPlatformField(item, AMAZON_ORDER_LINE_FIELDS.sku) as string | null,
      quantity,
      // In an open order a line shipped in full is FULFILLED; a cancelled order cancels every line.
      ...(status === 'OPEN' ? { status: quantity > 0 && shipped >= quantity ? ('FULFILLED' as const) : ('OPEN' as const) } : {}),
      ...(unitPrice ? { unitPriceCents: unitPrice.amountInCents } : {}),
      ...(discount ? { discountCents: Math.abs(discount.amountInCents) } : {}),
    } satisfies ChannelOrderLine;
  });
  const total = amount(order, AMAZON_ORDER_FIELDS.total);
  const cents = (mapping: FieldMapping) => Math.abs(amount(order, mapping)?.amountInCents ?? 0);
  const postalCode = mapPlatformField(order, AMAZON_ORDER_FIELDS.shipToPostalCode) as string | null;
  const placedAt = mapPlatformField(order, AMAZON_ORDER_FIELDS.placedAt) as string | null;
  // A line with nothing ordered (a cancelled item of an open order) has nothing to reserve.
  const live = status === 'OPEN' ? lines.filter((line) => line.quantity > 0) : lines;
  const allShipped = status === 'OPEN' && live.length > 0 && live.every((line) => line.status === 'FULFILLED');
  return [{
    orderId,
    status: allShipped ? 'FULFILLED' : status,
    lines: live,
    ...(placedAt ? { placedAt } : {}),
    updatedAt: mapPlatformField(order, AMAZON_ORDER_FIELDS.updatedAt) as string,
    ...(total
      ? {
          currency: total.currency,
          totals: {
            subtotalCents: amount(order, AMAZON_ORDER_FIELDS.subtotal)?.amountInCents ?? live.reduce((sum, line) => sum + (line.unitPriceCents ?? 0) * line.quantity, 0),
            discountCents: cents(AMAZON_ORDER_FIELDS.discount),
            shippingCents: cents(AMAZON_ORDER_FIELDS.shipping),
            taxCents: cents(AMAZON_ORDER_FIELDS.tax),
            totalCents: total.amountInCents,
          },
        }
      : {}),
    shipTo: postalCode ? { postalCode } : null,
    customer: contact,
  }];
}

/**
 * The buyer of a full order (personal data: handed to the customers subgraph through the orders
 * subgraph, never kept here): `buyer` (BUYER dataset) and `recipient.deliveryAddress` (RECIPIENT).
 * Amazon gives a marketplace-masked e-mail and no CPF.
 */
export function shopperContactOf(order: Pick<Order, 'buyer' | 'recipient'>): ShopperContact | null {
  const buyer = order.buyer;
  const address = order.recipient?.deliveryAddress;
  if (!buyer?.buyerEmail && !address?.phone) return null;
  return {
    platformCustomerId: null,
    name: buyer?.buyerName ?? address?.name ?? null,
    email: buyer?.buyerEmail ?? null,
    phone: address?.phone ?? null,
    address: address
      ? { street: address.addressLine1 ?? null, complement: address.addressLine2 ?? null, city: address.city ?? null, state: address.stateOrRegion ?? null, postalCode: address.postalCode ?? null, country: address.countryCode ?? null }
      : null,
  };
}

/** The dictionary as the Markdown table README.md shows (a test keeps the two identical). */
export function dictionaryTable(): string {
  const rows: string[] = ['| Ponte | Amazon SP-API field | values | note |', '| --- | --- | --- | --- |'];
  const sections: Array<[string, Record<string, FieldMapping>]> = [
    ['AmazonListing', AMAZON_LISTING_FIELDS],
    ['ChannelOrder', AMAZON_ORDER_FIELDS],
    ['ChannelOrderLine', AMAZON_ORDER_LINE_FIELDS],
  ];
  for (const [type, fields] of sections) {
    for (const [name, mapping] of Object.entries(fields)) {
      const values = typeof mapping.as === 'object'
        ? `${Object.entries(mapping.as.values).map(([platform, ponte]) => `${platform} → ${ponte ?? 'ignored'}`).join(', ')}; otherwise ${mapping.as.otherwise ?? 'ignored'}`
        : CONVERSION_NAMES[mapping.as];
      rows.push(`| \`${type}.${name}\` | \`${mapping.platformField}\` | ${values} | ${mapping.note ?? ''} |`);
    }
  }
  return rows.join('\n');
}

const CONVERSION_NAMES = { text: 'as is', integer: 'integer', money: '`{ currencyCode, amount: "59.90" }` → `{ amountInCents: 5990, currency }`', list: 'list, as is' } as const;

function moneyFrom(value: unknown): { amountInCents: number; currency: string } | null {
  if (!isRecord(value)) return null;
  const amount = Number(value['amount']);
  const currency = value['currencyCode'];
  return Number.isFinite(amount) && typeof currency === 'string' ? { amountInCents: Math.round(amount * 100), currency } : null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
