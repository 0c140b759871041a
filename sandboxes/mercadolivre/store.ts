/**
 * The Mercado Livre seller account: items (one per product family, variations per SKU, the
 * SKU in the SELLER_SKU attribute) and orders. Mercado Livre's stock rules: an item with
 * variations has its quantity on the variations, a sale moves units from available_quantity
 * to sold_quantity, and an item that reaches zero is paused as out_of_stock until restocked.
 */
import { firstOrderId } from '../common/order-ids.ts';
import { ControlError } from '../common/control-api.ts';
import type { ControlOrderSummary, ListedStock, MerchantStockEdit, PlaceOrderInput, ShopperOrderView } from '../common/control-api.ts';
import { onHandAt, productFamilies } from '../common/catalog.ts';
import { orderShopper, SANDBOX_SHOPPERS, type SandboxShopper } from '../common/shoppers.ts';
import type { SeedInput } from '../common/catalog.ts';

export interface MlAttribute {
  id: string;
  name: string;
  value_id: string | null;
  value_name: string;
}

export interface MlVariation {
  id: number;
  price: number;
  availableQuantity: number;
  soldQuantity: number;
  attributeCombinations: MlAttribute[];
  /** Holds SELLER_SKU; Mercado Livre only shows it with `include_attributes=all`. */
  attributes: MlAttribute[];
}

export interface MlItem {
  id: string;
  title: string;
  categoryId: string;
  price: number;
  /** Used only when the item has no variations. */
  availableQuantity: number;
  soldQuantity: number;
  initialQuantity: number;
  status: 'active' | 'paused' | 'closed';
  subStatus: string[];
  attributes: MlAttribute[];
  variations: MlVariation[];
  dateCreated: string;
  lastUpdated: string;
}

export interface MlOrderItem {
  itemId: string;
  title: string;
  categoryId: string;
  variationId: number | null;
  variationAttributes: MlAttribute[];
  sellerSku: string;
  quantity: number;
  unitPrice: number;
}

/**
 * An order's shipment. `mode`: me2 is Mercado Envios (Mercado Livre buys the label and reports the
 * parcel itself); me1 and custom are shipped by the seller, who informs the buyer through
 * `POST /shipments/{id}/seller_notifications`: https://developers.mercadolivre.com.br/status-de-pedidos-rastreamento ,
 * https://developers.mercadolivre.com.br/en_us/custom-shipping
 */
export interface MlShipment {
  id: number;
  orderId: number;
  mode: MlShippingMode;
  status: 'pending' | 'ready_to_ship' | 'shipped' | 'delivered' | 'not_delivered' | 'cancelled';
  substatus: string | null;
  trackingNumber: string | null;
  trackingUrl: string | null;
  serviceId: number | null;
  comment: string | null;
  dateShipped: string | null;
  lastUpdated: string;
}

export type MlShippingMode = 'me1' | 'me2' | 'custom';

export interface MlOrder {
  id: number;
  status: 'paid' | 'cancelled';
  dateCreated: string;
  dateClosed: string;
  lastUpdated: string;
  orderItems: MlOrderItem[];
  buyerId: number;
  /** Who bought it: the buyer, and the shipment's receiver address. */
  shopper: SandboxShopper;
  shippingId: number;
  delivered: boolean;
}

/** What a seller notification asks for. */
export interface SellerNotification {
  status: string;
  substatus: string | null;
  trackingNumber: string | null;
  trackingUrl: string | null;
  serviceId: number | null;
  comment: string | null;
  date: string | null;
}

export type MlDomainEvent = { topic: 'orders_v2'; resource: string; at: string } | { topic: 'items'; resource: string; at: string };

export type MlListing = { item: MlItem; variation: MlVariation | null };

const FIRST_ITEM_NUMBER = 3_000_000_001;
const FIRST_VARIATION_ID = 180_000_000_001;
const FIRST_ORDER_ID = 2_000_009_000_000_001;
const SANDBOX_BUYER_ID = 987_654_321;

export function sellerSkuOf(attributes: MlAttribute[]): string | undefined {
  return attributes.find((attribute) => attribute.id === 'SELLER_SKU')?.value_name;
}

export function itemQuantity(item: MlItem): number {
  return item.variations.length > 0 ? item.variations.reduce((sum, variation) => sum + variation.availableQuantity, 0) : item.availableQuantity;
}

export function itemSoldQuantity(item: MlItem): number {
  return item.variations.length > 0 ? item.variations.reduce((sum, variation) => sum + variation.soldQuantity, 0) : item.soldQuantity;
}

/** Mercado Livre attribute ids and labels (pt-BR) for the demo's option names. */
const OPTION_ATTRIBUTES: Record<string, { id: string; name: string }> = {
  size: { id: 'SIZE', name: 'Tamanho' },
  color: { id: 'COLOR', name: 'Cor' },
};

export class MlStore {
  readonly items = new Map<string, MlItem>();
  readonly orders = new Map<number, MlOrder>();
  readonly shipments = new Map<number, MlShipment>();
  /** The shipping mode of orders placed from now on: most Brazilian sellers are on Mercado Envios (me2). */
  shippingMode: MlShippingMode = 'me2';
  readonly sellerId: number;
  readonly #now: () => number;
  #nextItemNumber = FIRST_ITEM_NUMBER;
  #nextVariationId = FIRST_VARIATION_ID;
  #nextOrderId = FIRST_ORDER_ID;
  #listeners: Array<(event: MlDomainEvent) => void> = [];

  constructor(sellerId: number, now: () => number, uniqueOrderIds?: boolean) {
    this.sellerId = sellerId;
    this.#now = now;
    // Mercado Livre order ids are 16 digits starting with 2000…; the clock's milliseconds fit under that prefix.
    this.#nextOrderId = firstOrderId({ fixed: FIRST_ORDER_ID, unique: uniqueOrderIds, offset: 2_000_000_000_000_000 });
  }

  onEvent(listener: (event: MlDomainEvent) => void): void {
    this.#listeners.push(listener);
  }

  /** Mercado Livre timestamps carry milliseconds and the -04:00 offset of its servers. */
  timestamp(): string {
    const shifted = new Date(this.#now() - 4 * 3_600_000);
    return `${shifted.toISOString().slice(0, 23)}-04:00`;
  }

  nextVariationId(): number {
    return this.#nextVariationId++;
  }

  seed(input: SeedInput): { products: number; listings: number } {
    this.items.clear();
    this.orders.clear();
    this.shipments.clear();
    const now = this.timestamp();
    let listings = 0;
    for (const family of productFamilies(input.products)) {
      const first = family.members[0];
      if (!first) continue;
      const item: MlItem = {
        id: `MLB${this.#nextItemNumber++}`,
        title: family.title,
        categoryId: categoryIdFor(family.category),
        price: first.priceCents / 100,
        availableQuantity: family.hasVariations ? 0 : onHandAt(first, input.locationCodes),
        soldQuantity: 0,
        initialQuantity: 0,
        status: 'active',
        subStatus: [],
        attributes: [
          { id: 'BRAND', name: 'Marca', value_id: null, value_name: family.brand },
          ...(family.hasVariations ? [] : [{ id: 'SELLER_SKU', name: 'SKU', value_id: null, value_name: first.sku }]),
        ],
        variations: family.hasVariations
          ? family.members.map((member) => ({
              id: this.#nextVariationId++,
              price: member.priceCents / 100,
              availableQuantity: onHandAt(member, input.locationCodes),
              soldQuantity: 0,
              attributeCombinations: Object.entries(member.options).map(([option, value]) => ({
                id: OPTION_ATTRIBUTES[option]?.id ?? option.toUpperCase(),
                name: OPTION_ATTRIBUTES[option]?.name ?? option,
                value_id: null,
                value_name: value,
              })),
              attributes: [{ id: 'SELLER_SKU', name: 'SKU', value_id: null, value_name: member.sku }],
            }))
          : [],
        dateCreated: now,
        lastUpdated: now,
      };
      item.initialQuantity = itemQuantity(item);
      this.#pauseWhenEmpty(item);
      this.items.set(item.id, item);
      listings += family.hasVariations ? item.variations.length : 1;
    }
    return { products: this.items.size, listings };
  }

  listingBySku(sku: string): MlListing | undefined {
    for (const item of this.items.values()) {
      if (item.status === 'closed') continue;
      if (sellerSkuOf(item.attributes) === sku) return { item, variation: null };
      const variation = item.variations.find((candidate) => sellerSkuOf(candidate.attributes) === sku);
      if (variation) return { item, variation };
    }
    return undefined;
  }

  /** Records an item change: refreshes status and last_updated, and notifies the `items` topic. */
  itemChanged(item: MlItem): void {
    this.#pauseWhenEmpty(item);
    item.lastUpdated = this.timestamp();
    this.#emit({ topic: 'items', resource: `/items/${item.id}`, at: item.lastUpdated });
  }

  // ---- shopper and merchant actions (control API) ----

  placeOrder(input: PlaceOrderInput): ControlOrderSummary {
    const planned = input.lines.map((line) => {
      const listing = this.listingBySku(line.sku);
      if (!listing) throw new ControlError(404, 'SKU_NOT_LISTED', `SKU ${line.sku} is not listed on this Mercado Livre account; seed it first`);
      const available = listing.variation ? listing.variation.availableQuantity : listing.item.availableQuantity;
      if (!input.allowOversell && (listing.item.status !== 'active' || available < line.quantity)) {
        throw new ControlError(409, 'NOT_ENOUGH_STOCK', `Item ${listing.item.id} (SKU ${line.sku}) cannot sell ${line.quantity}: ${available} available, status ${listing.item.status}`);
      }
      return { line, listing };
    });
    const now = this.timestamp();
    const id = this.#nextOrderId++;
    const shopper = orderShopper(input, id);
    const shopperIndex = SANDBOX_SHOPPERS.findIndex((candidate) => candidate.cpf === shopper.cpf);
    const order: MlOrder = {
      id,
      status: 'paid',
      dateCreated: now,
      dateClosed: now,
      lastUpdated: now,
      orderItems: [],
      // One Mercado Livre account per shopper.
      buyerId: SANDBOX_BUYER_ID + shopperIndex,
      shopper,
      shippingId: 44_000_000_000 + this.orders.size + 1,
      delivered: false,
    };
    this.shipments.set(order.shippingId, { id: order.shippingId, orderId: order.id, mode: this.shippingMode, status: 'ready_to_ship', substatus: null, trackingNumber: null, trackingUrl: null, serviceId: null, comment: null, dateShipped: null, lastUpdated: now });
    for (const { line, listing } of planned) {
      const { item, variation } = listing;
      order.orderItems.push({
        itemId: item.id,
        title: item.title,
        categoryId: item.categoryId,
        variationId: variation?.id ?? null,
        variationAttributes: variation?.attributeCombinations ?? [],
        sellerSku: line.sku,
        quantity: line.quantity,
        unitPrice: variation?.price ?? item.price,
      });
      this.#move(listing, -line.quantity);
      this.itemChanged(item);
    }
    this.orders.set(order.id, order);
    this.#emit({ topic: 'orders_v2', resource: `/orders/${order.id}`, at: now });
    return this.#summary(order);
  }

  cancelOrder(orderId: string): ControlOrderSummary {
    const order = this.#order(orderId);
    if (order.status === 'cancelled') throw new ControlError(409, 'ALREADY_CANCELLED', `Order ${order.id} is already cancelled`);
    if (order.delivered) throw new ControlError(409, 'ALREADY_DELIVERED', `Order ${order.id} was delivered: open a return instead`);
    for (const line of order.orderItems) {
      const item = this.items.get(line.itemId);
      if (!item) continue;
      const variation = line.variationId === null ? null : (item.variations.find((candidate) => candidate.id === line.variationId) ?? null);
      // A deleted variation's units are not restored: there is nowhere to put them.
      if (line.variationId !== null && !variation) continue;
      this.#move({ item, variation }, line.quantity);
      if (item.status === 'paused' && item.subStatus.includes('out_of_stock') && itemQuantity(item) > 0) {
        item.status = 'active';
        item.subStatus = [];
      }
      this.itemChanged(item);
    }
    order.status = 'cancelled';
    order.lastUpdated = this.timestamp();
    const shipment = this.shipments.get(order.shippingId);
    if (shipment) shipment.status = 'cancelled';
    this.#emit({ topic: 'orders_v2', resource: `/orders/${order.id}`, at: order.lastUpdated });
    return this.#summary(order);
  }

  fulfilOrder(orderId: string): ControlOrderSummary {
    const order = this.#order(orderId);
    if (order.status === 'cancelled') throw new ControlError(409, 'ORDER_CANCELLED', `Order ${order.id} is cancelled`);
    if (order.delivered) throw new ControlError(409, 'ALREADY_DELIVERED', `Order ${order.id} was already delivered`);
    order.delivered = true;
    order.lastUpdated = this.timestamp();
    const shipment = this.shipments.get(order.shippingId);
    if (shipment) {
      shipment.status = 'delivered';
      shipment.lastUpdated = order.lastUpdated;
    }
    this.#emit({ topic: 'orders_v2', resource: `/orders/${order.id}`, at: order.lastUpdated });
    return this.#summary(order);
  }

  /**
   * The seller informs a shipment's status (me1, custom). Mercado Envios (me2) shipments are
   * Mercado Livre's own: it reports their status, and a seller cannot. Mercado Livre documents
   * `seller_notifications` for ME1 shipments only ("Update the status of a ME1 shipment":
   * https://developers.mercadolibre.com.co/en_us/manage-project-apps/me1-order-states ,
   * https://developers.mercadolivre.com.br/pt_br/imoveis-gerenciamento-de-perguntas-e-contatos/status-de-pedidos-me1 )
   * and custom shipping; what it answers for an me2 shipment is not documented. The sandbox refuses
   * it with a 403 in Mercado Livre's error shape (`{ message, error, status, cause }`); Ponte does
   * not depend on that answer: it reads the shipment's mode first and never sends one for me2.
   */
  notifyShipment(shipment: MlShipment, notification: SellerNotification): void {
    if (shipment.mode === 'me2') throw new SellerNotificationRefused(403, 'forbidden', `Shipment ${shipment.id} is Mercado Envios (me2): its status is reported by Mercado Livre, not the seller`);
    if (!SELLER_STATUSES.includes(notification.status)) throw new SellerNotificationRefused(400, 'bad_request', `Invalid status ${notification.status}: use one of ${SELLER_STATUSES.join(', ')}`);
    if (shipment.status === 'cancelled') throw new SellerNotificationRefused(400, 'bad_request', `Shipment ${shipment.id} is cancelled`);
    // not_delivered is final and irreversible, as the status page says.
    if (shipment.status === 'not_delivered' || (shipment.status === 'delivered' && notification.status !== 'delivered')) {
      throw new SellerNotificationRefused(400, 'bad_request', `Shipment ${shipment.id} is ${shipment.status}; it cannot move to ${notification.status}`);
    }
    if (notification.status === 'shipped' && !notification.trackingNumber && !shipment.trackingNumber) throw new SellerNotificationRefused(400, 'bad_request', 'tracking_number is required to mark a shipment shipped');
    const now = this.timestamp();
    shipment.status = notification.status as MlShipment['status'];
    shipment.substatus = notification.substatus;
    if (notification.trackingNumber) shipment.trackingNumber = notification.trackingNumber;
    if (notification.trackingUrl) shipment.trackingUrl = notification.trackingUrl;
    if (notification.serviceId !== null) shipment.serviceId = notification.serviceId;
    if (notification.comment !== null) shipment.comment = notification.comment;
    if (notification.status === 'shipped') shipment.dateShipped ??= notification.date ?? now;
    shipment.lastUpdated = now;
    const order = this.orders.get(shipment.orderId);
    if (order) {
      if (notification.status === 'delivered') order.delivered = true;
      order.lastUpdated = now;
      this.#emit({ topic: 'orders_v2', resource: `/orders/${order.id}`, at: now });
    }
  }

  /** The buyer's "Minhas compras" page: where the parcel is, and its tracking. */
  shopperView(orderId: string): ShopperOrderView {
    const order = this.#order(orderId);
    const shipment = this.shipments.get(order.shippingId);
    return {
      id: String(order.id),
      status: order.status === 'cancelled' ? 'cancelled' : (shipment?.status ?? 'pending'),
      shipments:
        shipment && shipment.trackingNumber
          ? [{ carrier: shipment.comment, trackingCode: shipment.trackingNumber, trackingUrl: shipment.trackingUrl, shippedAt: shipment.dateShipped, lines: order.orderItems.map((line) => ({ sku: line.sellerSku, quantity: line.quantity })) }]
          : [],
    };
  }

  /** The seller edits the quantity on the listing page in Mercado Livre. */
  setStock(edit: MerchantStockEdit): ListedStock {
    const listing = this.listingBySku(edit.sku);
    if (!listing) throw new ControlError(404, 'SKU_NOT_LISTED', `SKU ${edit.sku} is not listed on this Mercado Livre account`);
    if (edit.quantity < 0) throw new ControlError(400, 'BAD_REQUEST', 'quantity cannot be negative on Mercado Livre');
    if (listing.variation) listing.variation.availableQuantity = edit.quantity;
    else listing.item.availableQuantity = edit.quantity;
    this.reactivateIfRestocked(listing.item);
    this.itemChanged(listing.item);
    return { sku: edit.sku, quantity: edit.quantity };
  }

  reactivateIfRestocked(item: MlItem): void {
    if (item.status === 'paused' && item.subStatus.includes('out_of_stock') && itemQuantity(item) > 0) {
      item.status = 'active';
      item.subStatus = [];
    }
  }

  listedStock(): ListedStock[] {
    const stock: ListedStock[] = [];
    for (const item of this.items.values()) {
      if (item.status === 'closed') continue;
      const sku = sellerSkuOf(item.attributes);
      if (sku) stock.push({ sku, quantity: item.availableQuantity });
      for (const variation of item.variations) {
        const variationSku = sellerSkuOf(variation.attributes);
        if (variationSku) stock.push({ sku: variationSku, quantity: variation.availableQuantity });
      }
    }
    return stock;
  }

  #move(listing: MlListing, delta: number): void {
    if (listing.variation) {
      listing.variation.availableQuantity += delta;
      listing.variation.soldQuantity -= delta;
    } else {
      listing.item.availableQuantity += delta;
      listing.item.soldQuantity -= delta;
    }
  }

  #pauseWhenEmpty(item: MlItem): void {
    if (item.status === 'active' && itemQuantity(item) <= 0) {
      item.status = 'paused';
      item.subStatus = ['out_of_stock'];
    }
  }

  #order(orderId: string): MlOrder {
    const order = this.orders.get(Number(orderId));
    if (!order) throw new ControlError(404, 'ORDER_NOT_FOUND', `No Mercado Livre order ${orderId}`);
    return order;
  }

  #summary(order: MlOrder): ControlOrderSummary {
    return { id: String(order.id), status: order.delivered ? 'delivered' : order.status, lines: order.orderItems.map((line) => ({ sku: line.sellerSku, quantity: line.quantity })) };
  }

  #emit(event: MlDomainEvent): void {
    for (const listener of this.#listeners) listener(event);
  }
}

function categoryIdFor(category: string): string {
  let hash = 0;
  for (const char of category) hash = (hash * 31 + char.charCodeAt(0)) % 100_000;
  return `MLB${1000 + hash}`;
}

/** The statuses a seller may inform, with the substatuses of https://developers.mercadolivre.com.br/status-de-pedidos-rastreamento */
export const SELLER_STATUSES = ['shipped', 'delivered', 'not_delivered'];

export class SellerNotificationRefused extends Error {
  readonly status: number;
  readonly code: string;

  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = 'SellerNotificationRefused';
    this.status = status;
    this.code = code;
  }
}
