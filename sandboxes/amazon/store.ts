/**
 * The Amazon seller account: one listing per SKU with its attributes (merchant-fulfilled
 * quantity in `fulfillment_availability`), and merchant-fulfilled (MFN) orders that Ponte
 * polls by `LastUpdatedAfter`. Amazon sends no webhook for them here.
 */
import { randomInt } from 'node:crypto';
import { ControlError } from '../common/control-api.ts';
import type { ControlOrderSummary, ListedStock, MerchantStockEdit, PlaceOrderInput, ShopperOrderView } from '../common/control-api.ts';
import { orderShopper, type SandboxShopper } from '../common/shoppers.ts';
import { centsToDecimal, onHandAt } from '../common/catalog.ts';
import type { SeedInput } from '../common/catalog.ts';

export const BRAZIL_MARKETPLACE_ID = 'A2Q3Y263D00KWC';
/** The handling time (days) seeded listings carry in `fulfillment_availability`, as a merchant would have set it. */
export const DEFAULT_HANDLING_DAYS = 2;

export type AttributeValues = Array<Record<string, unknown>>;

export interface AmazonListing {
  sku: string;
  asin: string;
  productType: string;
  parentSku: string | null;
  /** Listing attributes as the Listings API stores them: name → list of values. */
  attributes: Record<string, AttributeValues>;
  createdDate: string;
  lastUpdatedDate: string;
}

/**
 * Orders API v2026-01-01 `FulfillmentStatus` (models/orders-api-model/orders_2026-01-01.json in
 * amzn/selling-partner-api-models); the v0 `OrderStatus` values (Unshipped, Canceled, ...) are gone.
 */
export type AmazonOrderStatus = 'PENDING_AVAILABILITY' | 'PENDING' | 'UNSHIPPED' | 'PARTIALLY_SHIPPED' | 'SHIPPED' | 'CANCELLED' | 'UNFULFILLABLE';

export interface AmazonOrderItem {
  orderItemId: string;
  sku: string;
  asin: string;
  title: string;
  quantityOrdered: number;
  quantityShipped: number;
  unitPrice: string;
}

/**
 * A package the seller confirmed (confirmShipment, Orders API v0); getOrder v2026-01-01 shows it
 * under `packages` (OrderPackage: packageReferenceId, carrier, shipTime, trackingNumber, packageItems).
 */
export interface AmazonPackage {
  packageReferenceId: string;
  carrierCode: string;
  carrierName: string | null;
  shippingMethod: string | null;
  trackingNumber: string;
  shipDate: string;
  createdTime: string;
  items: Array<{ orderItemId: string; quantity: number }>;
}

export interface AmazonOrder {
  amazonOrderId: string;
  /** MERCHANT (MFN: the seller ships and confirms) or AMAZON (FBA: Amazon ships from its own stock). */
  fulfilledBy: 'MERCHANT' | 'AMAZON';
  packages: AmazonPackage[];
  marketplaceId: string;
  purchaseDate: string;
  lastUpdateDate: string;
  status: AmazonOrderStatus;
  items: AmazonOrderItem[];
  /** The buyer and the delivery address (`buyer`, `recipient.deliveryAddress`). */
  shopper: SandboxShopper;
}

/** Merchant-fulfilled quantity: the DEFAULT channel of `fulfillment_availability`. */
export function merchantQuantity(listing: AmazonListing): number {
  const entry = listing.attributes['fulfillment_availability']?.find((value) => value['fulfillment_channel_code'] === 'DEFAULT');
  return typeof entry?.['quantity'] === 'number' ? entry['quantity'] : 0;
}

/** Changes the DEFAULT entry's quantity only: the merchant's handling time and restock date stay (Seller Central and orders do the same). */
export function setMerchantQuantity(listing: AmazonListing, quantity: number): void {
  const entries = listing.attributes['fulfillment_availability'] ?? [];
  const current = entries.find((value) => value['fulfillment_channel_code'] === 'DEFAULT');
  const others = entries.filter((value) => value !== current);
  listing.attributes['fulfillment_availability'] = [...others, { ...current, fulfillment_channel_code: 'DEFAULT', quantity }];
}

export class AmazonStore {
  readonly listings = new Map<string, AmazonListing>();
  readonly orders = new Map<string, AmazonOrder>();
  /** Who fulfils the orders placed from now on. */
  fulfilledBy: AmazonOrder['fulfilledBy'] = 'MERCHANT';
  readonly marketplaceId: string;
  readonly #now: () => number;
  #orderSequence = 1;

  constructor(marketplaceId: string, now: () => number) {
    this.marketplaceId = marketplaceId;
    this.#now = now;
  }

  /** SP-API timestamps: ISO 8601 UTC with second precision. */
  timestamp(offsetMs = 0): string {
    return new Date(Math.floor((this.#now() + offsetMs) / 1000) * 1000).toISOString().replace('.000Z', 'Z');
  }

  nowMs(): number {
    return this.#now();
  }

  seed(input: SeedInput): { products: number; listings: number } {
    this.listings.clear();
    this.orders.clear();
    const now = this.timestamp();
    for (const product of input.products) {
      const listing: AmazonListing = {
        sku: product.sku,
        asin: asinFor(product.sku),
        productType: productTypeFor(product.category),
        parentSku: product.parentSku,
        attributes: {
          item_name: [{ value: product.title, language_tag: 'pt_BR', marketplace_id: this.marketplaceId }],
          brand: [{ value: product.brand, marketplace_id: this.marketplaceId }],
          condition_type: [{ value: 'new_new', marketplace_id: this.marketplaceId }],
          purchasable_offer: [{ currency: 'BRL', marketplace_id: this.marketplaceId, our_price: [{ schedule: [{ value_with_tax: product.priceCents / 100 }] }] }],
          // The merchant's handling time is part of the entry; Ponte's quantity pushes must keep it.
          fulfillment_availability: [{ fulfillment_channel_code: 'DEFAULT', quantity: onHandAt(product, input.locationCodes), lead_time_to_ship_max_days: DEFAULT_HANDLING_DAYS }],
        },
        createdDate: now,
        lastUpdatedDate: now,
      };
      this.listings.set(listing.sku, listing);
    }
    return { products: new Set(input.products.map((product) => product.parentSku ?? product.sku)).size, listings: this.listings.size };
  }

  touch(listing: AmazonListing): void {
    listing.lastUpdatedDate = this.timestamp();
  }

  // ---- shopper and merchant actions (control API) ----

  placeOrder(input: PlaceOrderInput): ControlOrderSummary {
    const planned = input.lines.map((line) => {
      const listing = this.listings.get(line.sku);
      if (!listing) throw new ControlError(404, 'SKU_NOT_LISTED', `SKU ${line.sku} has no Amazon listing; seed it first`);
      const available = merchantQuantity(listing);
      if (available < line.quantity && !input.allowOversell) {
        throw new ControlError(409, 'NOT_ENOUGH_STOCK', `Not enough merchant-fulfilled quantity for SKU ${line.sku}: ${line.quantity} ordered, ${available} listed`);
      }
      return { line, listing };
    });
    const now = this.timestamp();
    const sequence = this.#orderSequence++;
    const order: AmazonOrder = {
      // Amazon order ids never repeat; a random last group keeps them unique across sandbox
      // restarts, which a client that persists what it has seen (Ponte) depends on.
      amazonOrderId: `701-${String(1_000_000 + sequence).slice(-7)}-${String(randomInt(10_000_000)).padStart(7, '0')}`,
      marketplaceId: this.marketplaceId,
      purchaseDate: now,
      lastUpdateDate: now,
      status: 'UNSHIPPED',
      fulfilledBy: this.fulfilledBy,
      packages: [],
      shopper: orderShopper(input, sequence),
      items: planned.map(({ line, listing }, index) => ({
        orderItemId: String(50_000_000_000_000 + sequence * 100 + index),
        sku: listing.sku,
        asin: listing.asin,
        title: String(listing.attributes['item_name']?.[0]?.['value'] ?? listing.sku),
        quantityOrdered: line.quantity,
        quantityShipped: 0,
        unitPrice: priceOf(listing),
      })),
    };
    // An FBA order ships from Amazon's stock: the merchant-fulfilled quantity does not move.
    for (const { line, listing } of this.fulfilledBy === 'MERCHANT' ? planned : []) {
      setMerchantQuantity(listing, merchantQuantity(listing) - line.quantity);
      this.touch(listing);
    }
    this.orders.set(order.amazonOrderId, order);
    return this.#summary(order);
  }

  cancelOrder(orderId: string): ControlOrderSummary {
    const order = this.#order(orderId);
    if (order.status === 'CANCELLED') throw new ControlError(409, 'ALREADY_CANCELLED', `Order ${orderId} is already canceled`);
    if (order.status === 'SHIPPED') throw new ControlError(409, 'ALREADY_SHIPPED', `Order ${orderId} has shipped and cannot be canceled`);
    for (const item of order.items) {
      const listing = this.listings.get(item.sku);
      if (!listing) continue;
      setMerchantQuantity(listing, merchantQuantity(listing) + item.quantityOrdered);
      this.touch(listing);
    }
    order.status = 'CANCELLED';
    order.lastUpdateDate = this.timestamp();
    return this.#summary(order);
  }

  fulfilOrder(orderId: string): ControlOrderSummary {
    const order = this.#order(orderId);
    if (order.status !== 'UNSHIPPED' && order.status !== 'PARTIALLY_SHIPPED') throw new ControlError(409, 'NOT_SHIPPABLE', `Order ${orderId} is ${order.status} and cannot be shipped`);
    for (const item of order.items) item.quantityShipped = item.quantityOrdered;
    order.status = 'SHIPPED';
    order.lastUpdateDate = this.timestamp();
    return this.#summary(order);
  }

  /**
   * confirmShipment: records a package, or edits the one with the same packageReferenceId ("If you
   * need to make an edit to the shipment, submit another confirmShipment operation with the same
   * packageReferenceID", https://developer-docs.amazon.com/sp-api/docs/confirm-the-shipment-status).
   * Returns a refusal message, or undefined once applied.
   */
  confirmShipment(order: AmazonOrder, pkg: Omit<AmazonPackage, 'createdTime'>): string | undefined {
    if (order.fulfilledBy === 'AMAZON') return `Order ${order.amazonOrderId} is fulfilled by Amazon; shipment confirmation is for merchant-fulfilled orders`;
    if (order.status === 'CANCELLED') return `Order ${order.amazonOrderId} is canceled`;
    if (order.status === 'PENDING' || order.status === 'PENDING_AVAILABILITY') return `Order ${order.amazonOrderId} is ${order.status} and cannot be shipped yet`;
    const others = order.packages.filter((existing) => existing.packageReferenceId !== pkg.packageReferenceId);
    for (const line of pkg.items) {
      const item = order.items.find((candidate) => candidate.orderItemId === line.orderItemId);
      if (!item) return `Invalid orderItemId ${line.orderItemId} for order ${order.amazonOrderId}`;
      const shippedElsewhere = others.flatMap((other) => other.items).filter((other) => other.orderItemId === line.orderItemId).reduce((sum, other) => sum + other.quantity, 0);
      if (shippedElsewhere + line.quantity > item.quantityOrdered) return `Quantity ${line.quantity} for orderItemId ${line.orderItemId} exceeds the ${item.quantityOrdered - shippedElsewhere} left to ship`;
    }
    const previous = order.packages.find((existing) => existing.packageReferenceId === pkg.packageReferenceId);
    order.packages = [...others, { ...pkg, createdTime: previous?.createdTime ?? this.timestamp() }];
    for (const item of order.items) item.quantityShipped = order.packages.flatMap((each) => each.items).filter((line) => line.orderItemId === item.orderItemId).reduce((sum, line) => sum + line.quantity, 0);
    order.status = order.items.every((item) => item.quantityShipped >= item.quantityOrdered) ? 'SHIPPED' : 'PARTIALLY_SHIPPED';
    order.lastUpdateDate = this.timestamp();
    return undefined;
  }

  /** The buyer's "Your orders": the order's status and each package's carrier and tracking. */
  shopperView(orderId: string): ShopperOrderView {
    const order = this.#order(orderId);
    return {
      id: order.amazonOrderId,
      status: order.status,
      shipments: order.packages.map((pkg) => ({
        carrier: pkg.carrierName ?? pkg.carrierCode,
        trackingCode: pkg.trackingNumber,
        trackingUrl: null,
        shippedAt: pkg.shipDate,
        lines: pkg.items.map((line) => ({ sku: order.items.find((item) => item.orderItemId === line.orderItemId)?.sku ?? '', quantity: line.quantity })),
      })),
    };
  }

  /** The seller edits the quantity in Seller Central. */
  setStock(edit: MerchantStockEdit): ListedStock {
    const listing = this.listings.get(edit.sku);
    if (!listing) throw new ControlError(404, 'SKU_NOT_LISTED', `SKU ${edit.sku} has no Amazon listing`);
    if (edit.quantity < 0) throw new ControlError(400, 'BAD_REQUEST', 'Amazon quantities cannot be negative');
    setMerchantQuantity(listing, edit.quantity);
    this.touch(listing);
    return { sku: edit.sku, quantity: edit.quantity };
  }

  listedStock(): ListedStock[] {
    return [...this.listings.values()].map((listing) => ({ sku: listing.sku, quantity: merchantQuantity(listing) }));
  }

  #order(orderId: string): AmazonOrder {
    const order = this.orders.get(orderId);
    if (!order) throw new ControlError(404, 'ORDER_NOT_FOUND', `No Amazon order ${orderId}`);
    return order;
  }

  #summary(order: AmazonOrder): ControlOrderSummary {
    return { id: order.amazonOrderId, status: order.status, lines: order.items.map((item) => ({ sku: item.sku, quantity: item.quantityOrdered })) };
  }
}

export function priceOf(listing: AmazonListing): string {
  const offer = listing.attributes['purchasable_offer']?.[0] as { our_price?: Array<{ schedule?: Array<{ value_with_tax?: number }> }> } | undefined;
  const value = offer?.our_price?.[0]?.schedule?.[0]?.value_with_tax ?? 0;
  return centsToDecimal(Math.round(value * 100));
}

/** A stable, ASIN-shaped identifier (B0 + 8 characters) derived from the SKU. */
function asinFor(sku: string): string {
  let hash = 2166136261;
  for (const char of sku) hash = Math.imul(hash ^ char.charCodeAt(0), 16777619) >>> 0;
  return `B0${hash.toString(36).toUpperCase().padStart(8, '0').slice(-8)}`;
}

function productTypeFor(category: string): string {
  const types: Record<string, string> = { Vestuário: 'SHIRT', Calçados: 'SHOES', Acessórios: 'LUGGAGE', Casa: 'HOME', Mercearia: 'GROCERY', Livros: 'ABIS_BOOK', Papelaria: 'OFFICE_PRODUCTS', Eletrônicos: 'CONSUMER_ELECTRONICS', Higiene: 'BEAUTY' };
  return types[category] ?? 'PRODUCT';
}
