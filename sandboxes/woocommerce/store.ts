/**
 * The WooCommerce store's state: simple and variable products (stock on the variations),
 * orders and webhooks, with WooCommerce's stock rules: a paid (processing) order reduces
 * managed stock, a cancelled one restores it, and `stock_status` follows the quantity.
 */
import { randomBytes } from 'node:crypto';
import { firstOrderId } from '../common/order-ids.ts';
import { ControlError } from '../common/control-api.ts';
import type { ControlOrderSummary, ListedStock, MerchantStockEdit, PlaceOrderInput, ShopperOrderView } from '../common/control-api.ts';
import { orderShopper, SANDBOX_SHOPPERS, type SandboxShopper } from '../common/shoppers.ts';
import { centsToDecimal, onHandAt, productFamilies } from '../common/catalog.ts';
import type { SeedInput } from '../common/catalog.ts';

export type StockStatus = 'instock' | 'outofstock' | 'onbackorder';
export type Backorders = 'no' | 'notify' | 'yes';
/** The statuses whose hook puts an order's stock back in WooCommerce core. */
export const STOCK_RESTORING_STATUSES: readonly string[] = ['cancelled', 'pending'];
export const ORDER_STATUSES = ['pending', 'processing', 'on-hold', 'completed', 'cancelled', 'refunded', 'failed', 'trash'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

interface Timestamps {
  dateCreated: string;
  dateModified: string;
}

export interface WooStockFields {
  sku: string;
  regularPrice: string;
  manageStock: boolean;
  stockQuantity: number | null;
  stockStatus: StockStatus;
  backorders: Backorders;
}

export interface WooProduct extends WooStockFields, Timestamps {
  id: number;
  name: string;
  slug: string;
  type: 'simple' | 'variable';
  status: 'publish' | 'draft' | 'private' | 'pending';
  categories: Array<{ id: number; name: string; slug: string }>;
  attributes: Array<{ id: number; name: string; position: number; visible: boolean; variation: boolean; options: string[] }>;
  variationIds: number[];
  totalSales: number;
}

export interface WooVariation extends WooStockFields, Timestamps {
  id: number;
  parentId: number;
  name: string;
  status: 'publish' | 'private';
  attributes: Array<{ id: number; name: string; option: string }>;
}

export interface WooLineItem {
  id: number;
  name: string;
  productId: number;
  variationId: number;
  quantity: number;
  sku: string;
  price: string;
}

/** An order note; a customer note is shown to the shopper (order page, e-mail). https://woocommerce.github.io/woocommerce-rest-api-docs/#order-notes */
export interface WooOrderNote {
  id: number;
  note: string;
  customerNote: boolean;
  author: string;
  dateCreated: string;
}

/**
 * A tracking item of the Shipment Tracking extension, kept as the order meta
 * `_wc_shipment_tracking_items`: https://woocommerce.com/document/shipment-tracking/shipment-tracking-rest-api-create-tracking-item/
 */
export interface WooTrackingItem {
  trackingId: string;
  trackingProvider: string;
  customTrackingProvider: string;
  customTrackingLink: string;
  trackingNumber: string;
  /** Unix seconds, as the extension stores it. */
  dateShipped: number;
}

export interface WooOrder extends Timestamps {
  id: number;
  status: OrderStatus;
  lineItems: WooLineItem[];
  notes: WooOrderNote[];
  trackingItems: WooTrackingItem[];
  /** Whether this order's stock is currently taken from the products (WooCommerce's `_order_stock_reduced`). */
  stockReduced: boolean;
  datePaid: string | null;
  dateCompleted: string | null;
  /** Who bought it and where it ships (`billing`, `shipping`). */
  shopper: SandboxShopper;
}

export interface WooWebhook extends Timestamps {
  id: number;
  name: string;
  status: 'active' | 'paused' | 'disabled';
  topic: string;
  deliveryUrl: string;
  secret: string;
  /** Consecutive failed deliveries; WooCommerce disables the webhook when it reaches the limit. */
  failureCount: number;
}

export type WooDomainEvent =
  | { topic: 'order.created' | 'order.updated'; order: WooOrder }
  | { topic: 'product.updated'; product: WooProduct };

/** A listing is a simple product or one variation: where stock lives. */
export type WooListing = { kind: 'product'; product: WooProduct } | { kind: 'variation'; product: WooProduct; variation: WooVariation };

/** WordPress post ids: products, variations and orders share one sequence. */
const FIRST_POST_ID = 101;

export function stockStatusFor(fields: Pick<WooStockFields, 'manageStock' | 'stockQuantity' | 'backorders' | 'stockStatus'>): StockStatus {
  if (!fields.manageStock) return fields.stockStatus;
  if ((fields.stockQuantity ?? 0) > 0) return 'instock';
  return fields.backorders === 'no' ? 'outofstock' : 'onbackorder';
}

export class WooStore {
  readonly products = new Map<number, WooProduct>();
  readonly variations = new Map<number, WooVariation>();
  readonly orders = new Map<number, WooOrder>();
  readonly webhooks = new Map<number, WooWebhook>();
  readonly #now: () => number;
  #nextPostId = FIRST_POST_ID;
  #nextWebhookId = 1;
  #nextLineId = 1;
  #nextNoteId = 1;
  /** Orders take ids from here when they must be unique across runs; otherwise from the post id sequence, as in WordPress. */
  #nextOrderId: number | undefined;
  #listeners: Array<(event: WooDomainEvent) => void> = [];

  constructor(now: () => number, uniqueOrderIds?: boolean) {
    this.#now = now;
    if (uniqueOrderIds) this.#nextOrderId = firstOrderId({ fixed: FIRST_POST_ID, unique: true });
  }

  onEvent(listener: (event: WooDomainEvent) => void): void {
    this.#listeners.push(listener);
  }

  emit(event: WooDomainEvent): void {
    for (const listener of this.#listeners) listener(event);
  }

  /** WooCommerce dates: site-local without zone (the demo site runs on UTC) and `_gmt` twins. */
  timestamp(): string {
    return new Date(Math.floor(this.#now() / 1000) * 1000).toISOString().slice(0, 19);
  }

  nextWebhookId(): number {
    return this.#nextWebhookId++;
  }

  seed(input: SeedInput): { products: number; listings: number } {
    this.products.clear();
    this.variations.clear();
    this.orders.clear();
    const now = this.timestamp();
    const categories = new Map<string, { id: number; name: string; slug: string }>();
    let listings = 0;
    for (const family of productFamilies(input.products)) {
      let category = categories.get(family.category);
      if (!category) {
        category = { id: categories.size + 15, name: family.category, slug: slugify(family.category) };
        categories.set(family.category, category);
      }
      const first = family.members[0];
      if (!first) continue;
      const product: WooProduct = {
        id: this.#nextPostId++,
        name: family.title,
        slug: slugify(family.title),
        type: family.hasVariations ? 'variable' : 'simple',
        status: 'publish',
        categories: [category],
        attributes: family.optionNames.map((name, index) => ({ id: 0, name, position: index, visible: true, variation: true, options: family.members.map((member) => member.options[name] ?? '') })),
        variationIds: [],
        totalSales: 0,
        sku: family.sku,
        regularPrice: centsToDecimal(first.priceCents),
        // A variable product keeps its stock on the variations.
        manageStock: !family.hasVariations,
        stockQuantity: family.hasVariations ? null : onHandAt(first, input.locationCodes),
        stockStatus: 'instock',
        backorders: 'no',
        dateCreated: now,
        dateModified: now,
      };
      product.stockStatus = stockStatusFor(product);
      this.products.set(product.id, product);
      if (!family.hasVariations) listings++;
      for (const member of family.hasVariations ? family.members : []) {
        const variation: WooVariation = {
          id: this.#nextPostId++,
          parentId: product.id,
          name: member.title,
          status: 'publish',
          attributes: Object.entries(member.options).map(([name, option]) => ({ id: 0, name, option })),
          sku: member.sku,
          regularPrice: centsToDecimal(member.priceCents),
          manageStock: true,
          stockQuantity: onHandAt(member, input.locationCodes),
          stockStatus: 'instock',
          backorders: 'no',
          dateCreated: now,
          dateModified: now,
        };
        variation.stockStatus = stockStatusFor(variation);
        this.variations.set(variation.id, variation);
        product.variationIds.push(variation.id);
        listings++;
      }
    }
    return { products: this.products.size, listings };
  }

  listingBySku(sku: string): WooListing | undefined {
    for (const variation of this.variations.values()) {
      if (variation.sku === sku) return { kind: 'variation', product: this.products.get(variation.parentId) as WooProduct, variation };
    }
    for (const product of this.products.values()) {
      if (product.sku === sku && product.type === 'simple') return { kind: 'product', product };
    }
    return undefined;
  }

  /** A variable product is in stock when any variation is. */
  parentStockStatus(product: WooProduct): StockStatus {
    if (product.type !== 'variable') return product.stockStatus;
    const statuses = product.variationIds.map((id) => this.variations.get(id)?.stockStatus);
    if (statuses.includes('instock')) return 'instock';
    return statuses.includes('onbackorder') ? 'onbackorder' : 'outofstock';
  }

  touch(fields: Timestamps): void {
    fields.dateModified = this.timestamp();
  }

  /** Adds to a managed stock and recomputes its status (negative to reduce). */
  changeStock(fields: WooStockFields & Timestamps, delta: number): void {
    if (!fields.manageStock) return;
    fields.stockQuantity = (fields.stockQuantity ?? 0) + delta;
    fields.stockStatus = stockStatusFor(fields);
    this.touch(fields);
  }

  // ---- shopper and merchant actions (control API) ----

  placeOrder(input: PlaceOrderInput): ControlOrderSummary {
    const planned = input.lines.map((line) => {
      const listing = this.#listed(line.sku);
      const stock = listing.kind === 'variation' ? listing.variation : listing.product;
      if (stock.manageStock && stock.backorders === 'no' && (stock.stockQuantity ?? 0) < line.quantity && !input.allowOversell) {
        throw new ControlError(409, 'NOT_ENOUGH_STOCK', `Not enough stock for SKU ${line.sku}: ${line.quantity} ordered, ${stock.stockQuantity ?? 0} in stock`);
      }
      if (!stock.manageStock && stock.stockStatus === 'outofstock' && !input.allowOversell) throw new ControlError(409, 'OUT_OF_STOCK', `SKU ${line.sku} is out of stock`);
      return { line, listing, stock };
    });
    const now = this.timestamp();
    const order: WooOrder = { id: this.#nextOrderId === undefined ? this.#nextPostId++ : this.#nextOrderId++, status: 'processing', lineItems: [], notes: [], trackingItems: [], stockReduced: true, datePaid: now, dateCompleted: null, dateCreated: now, dateModified: now, shopper: SANDBOX_SHOPPERS[0]! };
    order.shopper = orderShopper(input, order.id);
    for (const { line, listing, stock } of planned) {
      order.lineItems.push({
        id: this.#nextLineId++,
        name: listing.kind === 'variation' ? listing.variation.name : listing.product.name,
        productId: listing.product.id,
        variationId: listing.kind === 'variation' ? listing.variation.id : 0,
        quantity: line.quantity,
        sku: line.sku,
        price: stock.regularPrice,
      });
      this.changeStock(stock, -line.quantity);
      listing.product.totalSales += line.quantity;
    }
    this.orders.set(order.id, order);
    this.emit({ topic: 'order.created', order });
    return this.#summary(order);
  }

  /** Moves an order to a new status with WooCommerce's stock side effects; emits order.updated. */
  setOrderStatus(order: WooOrder, status: OrderStatus): void {
    if (order.status === status) return;
    // As WooCommerce core: stock goes back on `cancelled` and `pending` only, once (the order's
    // stock-reduced flag), and is taken on processing/completed/on-hold when not taken yet;
    // `refunded` and `failed` leave it as it is (woocommerce/woocommerce,
    // plugins/woocommerce/includes/wc-stock-functions.php: wc_maybe_increase_stock_levels hooks).
    const releases = STOCK_RESTORING_STATUSES.includes(status);
    if (releases && order.stockReduced) {
      for (const line of order.lineItems) {
        const stock = line.variationId ? this.variations.get(line.variationId) : this.products.get(line.productId);
        if (stock) this.changeStock(stock, line.quantity);
      }
      order.stockReduced = false;
    } else if (!releases && !order.stockReduced && ['processing', 'completed', 'on-hold'].includes(status)) {
      for (const line of order.lineItems) {
        const stock = line.variationId ? this.variations.get(line.variationId) : this.products.get(line.productId);
        if (stock) this.changeStock(stock, -line.quantity);
      }
      order.stockReduced = true;
    }
    order.status = status;
    if (status === 'completed') order.dateCompleted = this.timestamp();
    this.touch(order);
    this.emit({ topic: 'order.updated', order });
  }

  cancelOrder(orderId: string): ControlOrderSummary {
    const order = this.#order(orderId);
    if (order.status === 'cancelled') throw new ControlError(409, 'ALREADY_CANCELLED', `Order ${order.id} is already cancelled`);
    if (order.status === 'completed') throw new ControlError(409, 'ALREADY_COMPLETED', `Order ${order.id} is completed: refund it instead`);
    this.setOrderStatus(order, 'cancelled');
    return this.#summary(order);
  }

  fulfilOrder(orderId: string): ControlOrderSummary {
    const order = this.#order(orderId);
    if (order.status !== 'processing' && order.status !== 'on-hold') throw new ControlError(409, 'NOT_FULFILLABLE', `Order ${order.id} is ${order.status}: only processing or on-hold orders can be completed`);
    this.setOrderStatus(order, 'completed');
    return this.#summary(order);
  }

  /** Adds an order note (`POST /orders/{id}/notes`); a customer note is e-mailed to the shopper and shown on their order page. */
  addNote(order: WooOrder, note: string, customerNote: boolean, author = 'system'): WooOrderNote {
    const added: WooOrderNote = { id: this.#nextNoteId++, note, customerNote, author, dateCreated: this.timestamp() };
    order.notes.push(added);
    return added;
  }

  /** The Shipment Tracking extension's tracking item on an order (it writes the order meta `_wc_shipment_tracking_items`). */
  addTrackingItem(order: WooOrder, item: Omit<WooTrackingItem, 'trackingId'>): WooTrackingItem {
    const added: WooTrackingItem = { ...item, trackingId: randomBytes(16).toString('hex') };
    order.trackingItems.push(added);
    this.touch(order);
    return added;
  }

  /** The shopper's "My account → Orders → view": status, tracking items (the extension's block) and customer notes. */
  shopperView(orderId: string): ShopperOrderView {
    const order = this.#order(orderId);
    return {
      id: String(order.id),
      status: order.status,
      shipments: order.trackingItems.map((item) => ({
        carrier: item.customTrackingProvider || item.trackingProvider,
        trackingCode: item.trackingNumber,
        trackingUrl: item.customTrackingLink || null,
        shippedAt: new Date(item.dateShipped * 1000).toISOString().slice(0, 10),
        // The extension's tracking items name no lines: WooCommerce ships an order whole.
        lines: [],
      })),
      customerNotes: order.notes.filter((note) => note.customerNote).map((note) => note.note),
    };
  }

  /** The merchant edits the stock quantity on the product screen in wp-admin. */
  setStock(edit: MerchantStockEdit): ListedStock {
    const listing = this.#listed(edit.sku);
    const stock = listing.kind === 'variation' ? listing.variation : listing.product;
    stock.manageStock = true;
    stock.stockQuantity = edit.quantity;
    stock.stockStatus = stockStatusFor(stock);
    this.touch(stock);
    this.emit({ topic: 'product.updated', product: listing.product });
    return this.listedStockOf(edit.sku, stock);
  }

  listedStock(): ListedStock[] {
    const stock: ListedStock[] = [];
    for (const product of this.products.values()) {
      if (product.type === 'simple') stock.push(this.listedStockOf(product.sku, product));
      for (const id of product.variationIds) {
        const variation = this.variations.get(id);
        if (variation) stock.push(this.listedStockOf(variation.sku, variation));
      }
    }
    return stock;
  }

  listedStockOf(sku: string, stock: WooStockFields): ListedStock {
    return { sku, quantity: stock.manageStock ? (stock.stockQuantity ?? 0) : stock.stockStatus === 'instock' ? 1 : 0 };
  }

  #listed(sku: string): WooListing {
    const listing = this.listingBySku(sku);
    if (!listing) throw new ControlError(404, 'SKU_NOT_LISTED', `SKU ${sku} is not a product or variation of this WooCommerce store; seed it first`);
    return listing;
  }

  #order(orderId: string): WooOrder {
    const order = this.orders.get(Number(orderId));
    if (!order) throw new ControlError(404, 'ORDER_NOT_FOUND', `No WooCommerce order ${orderId}`);
    return order;
  }

  #summary(order: WooOrder): ControlOrderSummary {
    return { id: String(order.id), status: order.status, lines: order.lineItems.map((line) => ({ sku: line.sku, quantity: line.quantity })) };
  }
}

export function slugify(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}
