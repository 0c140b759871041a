/**
 * The Shopify store's state: products with variants, one inventory item per variant,
 * locations, inventory levels with named quantities, orders and webhook subscriptions.
 * Quantities follow Shopify's rule: on_hand = available + committed + reserved + damaged +
 * safety_stock + quality_control (incoming is tracked apart).
 */
import { orderShopper, type SandboxShopper } from '../common/shoppers.ts';
import { firstOrderId } from '../common/order-ids.ts';
import { randomUUID } from 'node:crypto';
import { ControlError } from '../common/control-api.ts';
import type { ControlOrderSummary, ListedStock, MerchantStockEdit, PlaceOrderInput, ShopperOrderView } from '../common/control-api.ts';
import { centsToDecimal, productFamilies } from '../common/catalog.ts';
import type { SeedInput } from '../common/catalog.ts';

/** Quantities stored per level; `on_hand` is derived from them. */
export const STORED_QUANTITY_NAMES = ['available', 'committed', 'reserved', 'damaged', 'safety_stock', 'quality_control', 'incoming'] as const;
export type StoredQuantityName = (typeof STORED_QUANTITY_NAMES)[number];
export const ON_HAND_PARTS: StoredQuantityName[] = ['available', 'committed', 'reserved', 'damaged', 'safety_stock', 'quality_control'];

export interface ShopifyProduct {
  id: number;
  title: string;
  handle: string;
  vendor: string;
  productType: string;
  status: 'ACTIVE' | 'ARCHIVED' | 'DRAFT';
  options: Array<{ id: number; name: string; values: string[] }>;
  variantIds: number[];
  createdAt: string;
  updatedAt: string;
}

export interface ShopifyVariant {
  id: number;
  productId: number;
  title: string;
  sku: string;
  price: string;
  position: number;
  selectedOptions: Array<{ name: string; value: string }>;
  inventoryItemId: number;
  inventoryPolicy: 'DENY' | 'CONTINUE';
  createdAt: string;
  updatedAt: string;
}

export interface ShopifyInventoryItem {
  id: number;
  variantId: number;
  sku: string;
  tracked: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface ShopifyLocation {
  id: number;
  /** The canonical location code this Shopify location stands for. */
  code: string;
  name: string;
  zip: string;
  createdAt: string;
  updatedAt: string;
}

export interface ShopifyInventoryLevel {
  id: number;
  inventoryItemId: number;
  locationId: number;
  quantities: Record<StoredQuantityName, number>;
  createdAt: string;
  updatedAt: string;
}

export interface ShopifyLineItem {
  id: number;
  variantId: number;
  sku: string;
  title: string;
  quantity: number;
  price: string;
  /** Where the units were committed, so cancelling or fulfilling moves the right level. */
  locationId: number;
}

/**
 * Shopify's unit of fulfilment work: the lines of one order assigned to one location, with what is
 * left to fulfil of each. Fulfillments are created against them (fulfillmentCreate), never against
 * the order. https://shopify.dev/docs/api/admin-graphql/latest/objects/FulfillmentOrder
 */
export interface ShopifyFulfillmentOrder {
  id: number;
  orderId: number;
  locationId: number;
  status: 'OPEN' | 'IN_PROGRESS' | 'CLOSED' | 'CANCELLED';
  lineItems: Array<{ id: number; lineItemId: number; totalQuantity: number; remainingQuantity: number }>;
  createdAt: string;
  updatedAt: string;
}

/** A shipment of some of an order's items, with the tracking the shopper sees. https://shopify.dev/docs/api/admin-graphql/2024-10/objects/Fulfillment */
export interface ShopifyFulfillment {
  id: number;
  orderId: number;
  name: string;
  status: 'SUCCESS' | 'CANCELLED';
  createdAt: string;
  updatedAt: string;
  notifyCustomer: boolean;
  trackingInfo: Array<{ company: string | null; number: string | null; url: string | null }>;
  lineItems: Array<{ id: number; lineItemId: number; quantity: number }>;
}

export interface FulfillmentRequest {
  lineItemsByFulfillmentOrder: Array<{ fulfillmentOrderId: number; fulfillmentOrderLineItems?: Array<{ id: number; quantity: number }> | null }>;
  trackingInfo?: { company?: string | null; number?: string | null; url?: string | null } | null;
  notifyCustomer?: boolean | null;
}

export interface FulfillmentUserError {
  field: string[] | null;
  message: string;
}

export interface ShopifyOrder {
  id: number;
  name: string;
  orderNumber: number;
  createdAt: string;
  updatedAt: string;
  cancelledAt: string | null;
  cancelReason: 'CUSTOMER' | 'DECLINED' | 'FRAUD' | 'INVENTORY' | 'OTHER' | 'STAFF' | null;
  closedAt: string | null;
  fulfillmentStatus: 'UNFULFILLED' | 'PARTIALLY_FULFILLED' | 'FULFILLED';
  lineItems: ShopifyLineItem[];
  fulfillmentOrderIds: number[];
  fulfillments: ShopifyFulfillment[];
  /** The buyer and where it ships (Shopify's `customer`, `email`, `shipping_address`). */
  shopper: SandboxShopper;
  /** Shipping charged, a decimal string (the shop's flat rate under its free-shipping threshold). */
  shippingPrice: string;
}

export interface ShopifyWebhookSubscription {
  id: number;
  /** Shopify's enum, e.g. `ORDERS_CREATE`. */
  topic: string;
  uri: string;
  apiVersion: string;
  createdAt: string;
  updatedAt: string;
}

export interface InventoryChangeRecord {
  name: string;
  delta: number;
  quantityAfterChange: number;
  ledgerDocumentUri: string | null;
  inventoryItemId: number;
  locationId: number;
}

export interface InventoryAdjustmentGroupRecord {
  id: number;
  createdAt: string;
  reason: string;
  referenceDocumentUri: string | null;
  changes: InventoryChangeRecord[];
}

/**
 * A change webhooks report. `eventId` is the X-Shopify-Event-Id: one merchant or shopper action on
 * one resource is one event, so a cancellation's `orders/cancelled` and `orders/updated` share it.
 */
export type ShopifyDomainEvent = { eventId: string } & (
  | { kind: 'inventory-level-changed'; level: ShopifyInventoryLevel }
  | { kind: 'order'; topic: 'orders/create' | 'orders/cancelled' | 'orders/fulfilled' | 'orders/partially_fulfilled' | 'orders/updated'; order: ShopifyOrder }
);

type DistributiveOmit<Type, Key extends PropertyKey> = Type extends unknown ? Omit<Type, Key> : never;

export function gid(type: string, id: number): string {
  return `gid://shopify/${type}/${id}`;
}

/** The numeric id of a `gid://shopify/<Type>/<id>` of the expected type, or undefined. */
export function parseGid(value: string, type: string): number | undefined {
  const match = /^gid:\/\/shopify\/([A-Za-z]+)\/(\d+)(\?.*)?$/.exec(value);
  if (!match || match[1] !== type) return undefined;
  return Number(match[2]);
}

export function levelGid(level: ShopifyInventoryLevel): string {
  return `gid://shopify/InventoryLevel/${level.id}?inventory_item_id=${level.inventoryItemId}`;
}

/** The line items at their prices (Shopify's `total_line_items_price`; the sandbox gives no discounts). */
export function orderSubtotal(order: Pick<ShopifyOrder, 'lineItems'>): string {
  const cents = order.lineItems.reduce((sum, line) => sum + Math.round(Number(line.price) * 100) * line.quantity, 0);
  return (cents / 100).toFixed(2);
}

/** What the buyer paid: lines plus shipping (prices include taxes, as Brazilian prices do). */
export function orderTotal(order: ShopifyOrder): string {
  return ((Math.round(Number(orderSubtotal(order)) * 100) + Math.round(Number(order.shippingPrice) * 100)) / 100).toFixed(2);
}

/** The shop's shipping rate: R$ 19,90, free from R$ 199,00. */
export const FREE_SHIPPING_FROM_CENTS = 19_900;
export const SHIPPING_RATE = '19.90';

export function onHand(level: ShopifyInventoryLevel): number {
  return ON_HAND_PARTS.reduce((sum, name) => sum + level.quantities[name], 0);
}

export function quantityOf(level: ShopifyInventoryLevel, name: string): number | undefined {
  if (name === 'on_hand') return onHand(level);
  return (STORED_QUANTITY_NAMES as readonly string[]).includes(name) ? level.quantities[name as StoredQuantityName] : undefined;
}

/** Shopify ids are large integers; starting high keeps them looking like the real thing. */
const FIRST_ID = 8_100_000_001;
const FIRST_ORDER_NUMBER = 1001;

export class ShopifyStore {
  readonly products = new Map<number, ShopifyProduct>();
  readonly variants = new Map<number, ShopifyVariant>();
  readonly inventoryItems = new Map<number, ShopifyInventoryItem>();
  readonly locations = new Map<number, ShopifyLocation>();
  readonly levels = new Map<string, ShopifyInventoryLevel>();
  readonly orders = new Map<number, ShopifyOrder>();
  readonly fulfillmentOrders = new Map<number, ShopifyFulfillmentOrder>();
  readonly webhookSubscriptions = new Map<number, ShopifyWebhookSubscription>();
  readonly adjustmentGroups = new Map<number, InventoryAdjustmentGroupRecord>();
  /** Results of idempotent mutations by key, with a fingerprint of their input. */
  readonly idempotentResults = new Map<string, { fingerprint: string; result: unknown }>();
  readonly shopName: string;
  readonly shopDomain: string;
  readonly #now: () => number;
  #nextId = FIRST_ID;
  #nextOrderNumber = FIRST_ORDER_NUMBER;
  /** Orders and their lines take ids from here when they must be unique across runs; otherwise from `nextId()`. */
  #nextOrderId: number | undefined;
  #listeners: Array<(event: ShopifyDomainEvent) => void> = [];
  /** Event ids of the action under way, per resource; undefined outside an action. */
  #actionEvents: Map<string, string> | undefined;

  constructor(options: { shopName: string; shopDomain: string; now: () => number; uniqueOrderIds?: boolean | undefined }) {
    this.shopName = options.shopName;
    this.shopDomain = options.shopDomain;
    this.#now = options.now;
    if (options.uniqueOrderIds) this.#nextOrderId = firstOrderId({ fixed: FIRST_ID, unique: true });
  }

  onEvent(listener: (event: ShopifyDomainEvent) => void): void {
    this.#listeners.push(listener);
  }

  timestamp(): string {
    // Shopify timestamps have second precision.
    return new Date(Math.floor(this.#now() / 1000) * 1000).toISOString().replace('.000Z', 'Z');
  }

  nextId(): number {
    return this.#nextId++;
  }

  #orderId(): number {
    return this.#nextOrderId === undefined ? this.nextId() : this.#nextOrderId++;
  }

  seed(input: SeedInput): { products: number; listings: number } {
    for (const map of [this.products, this.variants, this.inventoryItems, this.locations, this.levels, this.orders, this.fulfillmentOrders, this.adjustmentGroups, this.idempotentResults] as Array<Map<unknown, unknown>>) map.clear();
    const now = this.timestamp();
    const locationIds: number[] = [];
    for (const code of input.locationCodes) {
      const known = input.locations.find((location) => location.code === code);
      const location: ShopifyLocation = { id: this.nextId(), code, name: known?.name ?? code, zip: known?.postalCode ?? '', createdAt: now, updatedAt: now };
      this.locations.set(location.id, location);
      locationIds.push(location.id);
    }
    for (const family of productFamilies(input.products)) {
      const product: ShopifyProduct = {
        id: this.nextId(),
        title: family.title,
        handle: handleize(family.title),
        vendor: family.brand,
        productType: family.category,
        status: 'ACTIVE',
        options: family.hasVariations
          ? family.optionNames.map((name) => ({ id: this.nextId(), name: optionLabel(name), values: family.members.map((member) => member.options[name] ?? '') }))
          : [{ id: this.nextId(), name: 'Title', values: ['Default Title'] }],
        variantIds: [],
        createdAt: now,
        updatedAt: now,
      };
      this.products.set(product.id, product);
      family.members.forEach((member, index) => {
        const variant: ShopifyVariant = {
          id: this.nextId(),
          productId: product.id,
          title: family.hasVariations ? Object.values(member.options).join(' / ') : 'Default Title',
          sku: member.sku,
          price: centsToDecimal(member.priceCents),
          position: index + 1,
          selectedOptions: family.hasVariations ? Object.entries(member.options).map(([name, value]) => ({ name: optionLabel(name), value })) : [{ name: 'Title', value: 'Default Title' }],
          inventoryItemId: 0,
          inventoryPolicy: 'DENY',
          createdAt: now,
          updatedAt: now,
        };
        const item: ShopifyInventoryItem = { id: this.nextId(), variantId: variant.id, sku: member.sku, tracked: true, createdAt: now, updatedAt: now };
        variant.inventoryItemId = item.id;
        this.variants.set(variant.id, variant);
        this.inventoryItems.set(item.id, item);
        product.variantIds.push(variant.id);
        for (const locationId of locationIds) {
          const location = this.locations.get(locationId) as ShopifyLocation;
          const level: ShopifyInventoryLevel = {
            id: this.nextId(),
            inventoryItemId: item.id,
            locationId,
            quantities: { available: member.onHand[location.code] ?? 0, committed: 0, reserved: 0, damaged: 0, safety_stock: 0, quality_control: 0, incoming: 0 },
            createdAt: now,
            updatedAt: now,
          };
          this.levels.set(levelKey(item.id, locationId), level);
        }
      });
    }
    return { products: this.products.size, listings: this.variants.size };
  }

  level(inventoryItemId: number, locationId: number): ShopifyInventoryLevel | undefined {
    return this.levels.get(levelKey(inventoryItemId, locationId));
  }

  levelsOfItem(inventoryItemId: number): ShopifyInventoryLevel[] {
    return [...this.locations.keys()].map((locationId) => this.level(inventoryItemId, locationId)).filter((level): level is ShopifyInventoryLevel => level !== undefined);
  }

  levelsAtLocation(locationId: number): ShopifyInventoryLevel[] {
    return [...this.levels.values()].filter((level) => level.locationId === locationId);
  }

  levelById(id: number): ShopifyInventoryLevel | undefined {
    return [...this.levels.values()].find((level) => level.id === id);
  }

  variantBySku(sku: string): ShopifyVariant | undefined {
    return [...this.variants.values()].find((variant) => variant.sku === sku);
  }

  /** Applies a delta to a named quantity; emits `inventory_levels/update` when `available` moved. */
  change(level: ShopifyInventoryLevel, name: StoredQuantityName, delta: number): number {
    level.quantities[name] += delta;
    level.updatedAt = this.timestamp();
    const item = this.inventoryItems.get(level.inventoryItemId);
    if (item) item.updatedAt = level.updatedAt;
    if (name === 'available' && delta !== 0) this.#emit({ kind: 'inventory-level-changed', level });
    return level.quantities[name];
  }

  recordAdjustment(reason: string, referenceDocumentUri: string | null, changes: InventoryChangeRecord[]): InventoryAdjustmentGroupRecord {
    const group: InventoryAdjustmentGroupRecord = { id: this.nextId(), createdAt: this.timestamp(), reason, referenceDocumentUri, changes };
    this.adjustmentGroups.set(group.id, group);
    return group;
  }

  // ---- shopper and merchant actions (control API) ----

  placeOrder(input: PlaceOrderInput): ControlOrderSummary {
    return this.#action(() => this.#placeOrder(input));
  }

  #placeOrder(input: PlaceOrderInput): ControlOrderSummary {
    const locations = [...this.locations.values()];
    const planned = input.lines.map((line) => {
      const variant = this.#listedVariant(line.sku);
      const levels = this.levelsOfItem(variant.inventoryItemId);
      const level = levels.find((candidate) => candidate.quantities.available >= line.quantity) ?? (input.allowOversell ? levels[0] : undefined);
      if (!level) {
        const available = levels.reduce((sum, candidate) => sum + candidate.quantities.available, 0);
        throw new ControlError(409, 'NOT_ENOUGH_STOCK', `Not enough stock for SKU ${line.sku}: ${line.quantity} ordered, ${available} available across ${locations.length} locations (no single location can fulfil it)`);
      }
      return { line, variant, level };
    });
    const now = this.timestamp();
    const orderNumber = this.#nextOrderNumber++;
    const order: ShopifyOrder = {
      id: this.#orderId(),
      name: `#${orderNumber}`,
      orderNumber,
      createdAt: now,
      updatedAt: now,
      cancelledAt: null,
      cancelReason: null,
      closedAt: null,
      fulfillmentStatus: 'UNFULFILLED',
      lineItems: [],
      fulfillmentOrderIds: [],
      fulfillments: [],
      shopper: orderShopper(input, orderNumber),
      shippingPrice: '0.00',
    };
    for (const { line, variant, level } of planned) {
      const product = this.products.get(variant.productId) as ShopifyProduct;
      order.lineItems.push({
        id: this.#orderId(),
        variantId: variant.id,
        sku: variant.sku,
        title: product.title,
        quantity: line.quantity,
        price: variant.price,
        locationId: level.locationId,
      });
      // A paid order commits the units: available goes down, committed up, on_hand unchanged.
      this.change(level, 'committed', line.quantity);
      this.change(level, 'available', -line.quantity);
    }
    // One fulfillment order per location the lines were assigned to, as Shopify splits them.
    for (const [locationId, lines] of Map.groupBy(order.lineItems, (line) => line.locationId)) {
      const fulfillmentOrder: ShopifyFulfillmentOrder = {
        id: this.#orderId(),
        orderId: order.id,
        locationId,
        status: 'OPEN',
        lineItems: lines.map((line) => ({ id: this.#orderId(), lineItemId: line.id, totalQuantity: line.quantity, remainingQuantity: line.quantity })),
        createdAt: now,
        updatedAt: now,
      };
      this.fulfillmentOrders.set(fulfillmentOrder.id, fulfillmentOrder);
      order.fulfillmentOrderIds.push(fulfillmentOrder.id);
    }
    order.shippingPrice = Math.round(Number(orderSubtotal(order)) * 100) >= FREE_SHIPPING_FROM_CENTS ? '0.00' : SHIPPING_RATE;
    this.orders.set(order.id, order);
    this.#emit({ kind: 'order', topic: 'orders/create', order });
    return this.#summary(order);
  }

  cancelOrder(orderId: string): ControlOrderSummary {
    return this.#action(() => this.#cancelOrder(orderId));
  }

  #cancelOrder(orderId: string): ControlOrderSummary {
    const order = this.#order(orderId);
    if (order.cancelledAt) throw new ControlError(409, 'ALREADY_CANCELLED', `Order ${order.name} is already cancelled`);
    if (order.fulfillmentStatus !== 'UNFULFILLED') throw new ControlError(409, 'ALREADY_FULFILLED', `Order ${order.name} is fulfilled: refund it instead of cancelling`);
    for (const line of order.lineItems) {
      const level = this.#levelOfLine(line);
      if (!level) continue;
      this.change(level, 'committed', -line.quantity);
      this.change(level, 'available', line.quantity);
    }
    const now = this.timestamp();
    for (const fulfillmentOrder of this.fulfillmentOrdersOf(order)) {
      fulfillmentOrder.status = 'CLOSED';
      fulfillmentOrder.updatedAt = now;
    }
    order.cancelledAt = now;
    order.cancelReason = 'CUSTOMER';
    order.closedAt = now;
    order.updatedAt = now;
    this.#emit({ kind: 'order', topic: 'orders/cancelled', order });
    this.#emit({ kind: 'order', topic: 'orders/updated', order });
    return this.#summary(order);
  }

  fulfilOrder(orderId: string): ControlOrderSummary {
    return this.#action(() => this.#fulfilOrder(orderId));
  }

  #fulfilOrder(orderId: string): ControlOrderSummary {
    const order = this.#order(orderId);
    if (order.cancelledAt) throw new ControlError(409, 'ORDER_CANCELLED', `Order ${order.name} is cancelled and cannot be fulfilled`);
    if (order.fulfillmentStatus === 'FULFILLED') throw new ControlError(409, 'ALREADY_FULFILLED', `Order ${order.name} is already fulfilled`);
    // The merchant marks everything left as fulfilled in Shopify admin, one fulfillment per location, without tracking.
    for (const fulfillmentOrder of this.fulfillmentOrdersOf(order).filter((candidate) => candidate.status === 'OPEN' || candidate.status === 'IN_PROGRESS')) {
      const created = this.#createFulfillment({ lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: fulfillmentOrder.id }] });
      if ('userErrors' in created) throw new ControlError(409, 'NOT_FULFILLABLE', created.userErrors.map((error) => error.message).join('; '));
    }
    return this.#summary(order);
  }

  fulfillmentOrdersOf(order: ShopifyOrder): ShopifyFulfillmentOrder[] {
    return order.fulfillmentOrderIds.map((id) => this.fulfillmentOrders.get(id)).filter((candidate): candidate is ShopifyFulfillmentOrder => candidate !== undefined);
  }

  /** Units of a line already in a fulfillment. */
  fulfilledQuantity(order: ShopifyOrder, lineItemId: number): number {
    return order.fulfillments.filter((fulfillment) => fulfillment.status === 'SUCCESS').flatMap((fulfillment) => fulfillment.lineItems).filter((line) => line.lineItemId === lineItemId).reduce((sum, line) => sum + line.quantity, 0);
  }

  /**
   * `fulfillmentCreate`: fulfils fulfillment order line items (all of a fulfillment order's
   * remaining ones when none are named), all of one order and one location, with the tracking the
   * shopper sees; all or nothing, refusals as user errors. Shipping removes the committed units
   * from on_hand. https://shopify.dev/docs/api/admin-graphql/unstable/input-objects/FulfillmentInput
   */
  createFulfillment(request: FulfillmentRequest): { fulfillment: ShopifyFulfillment } | { userErrors: FulfillmentUserError[] } {
    return this.#action(() => this.#createFulfillment(request));
  }

  #createFulfillment(request: FulfillmentRequest): { fulfillment: ShopifyFulfillment } | { userErrors: FulfillmentUserError[] } {
    const refuse = (message: string, ...field: string[]) => ({ userErrors: [{ field: field.length > 0 ? ['fulfillment', ...field] : null, message }] });
    const groups = request.lineItemsByFulfillmentOrder;
    if (groups.length === 0) return refuse("Line items by fulfillment order can't be blank", 'lineItemsByFulfillmentOrder');
    const planned: Array<{ fulfillmentOrder: ShopifyFulfillmentOrder; line: ShopifyFulfillmentOrder['lineItems'][number]; quantity: number }> = [];
    let orderId: number | undefined;
    let locationId: number | undefined;
    for (const [index, group] of groups.entries()) {
      const fulfillmentOrder = this.fulfillmentOrders.get(group.fulfillmentOrderId);
      if (!fulfillmentOrder) return refuse('Fulfillment order does not exist.', 'lineItemsByFulfillmentOrder', String(index), 'fulfillmentOrderId');
      if ((orderId ??= fulfillmentOrder.orderId) !== fulfillmentOrder.orderId) return refuse('All fulfillment orders must belong to the same order.', 'lineItemsByFulfillmentOrder');
      if ((locationId ??= fulfillmentOrder.locationId) !== fulfillmentOrder.locationId) return refuse('All fulfillment orders must be assigned to the same location.', 'lineItemsByFulfillmentOrder');
      if (fulfillmentOrder.status !== 'OPEN' && fulfillmentOrder.status !== 'IN_PROGRESS') {
        // Shopify's words for a fulfillment order already fulfilled (CLOSED) or otherwise shut, as
        // merchants' apps logged them: the numeric id, not the GID, and the field `fulfillment`
        // ("fulfillment: Fulfillment order 2000000000001 has an unfulfillable status= closed.").
        // Shopify documents no code for it; Ponte reads the fulfillment orders' status first instead.
        return { userErrors: [{ field: ['fulfillment'], message: `Fulfillment order ${fulfillmentOrder.id} has an unfulfillable status= ${fulfillmentOrder.status.toLowerCase()}.` }] };
      }
      const named = group.fulfillmentOrderLineItems ?? fulfillmentOrder.lineItems.filter((line) => line.remainingQuantity > 0).map((line) => ({ id: line.id, quantity: line.remainingQuantity }));
      for (const [lineIndex, wanted] of named.entries()) {
        const line = fulfillmentOrder.lineItems.find((candidate) => candidate.id === wanted.id);
        const field = ['lineItemsByFulfillmentOrder', String(index), 'fulfillmentOrderLineItems', String(lineIndex)];
        if (!line) return refuse('Fulfillment order line item does not exist.', ...field, 'id');
        const already = planned.filter((entry) => entry.line === line).reduce((sum, entry) => sum + entry.quantity, 0);
        if (!Number.isInteger(wanted.quantity) || wanted.quantity < 1 || already + wanted.quantity > line.remainingQuantity) {
          return refuse('Invalid fulfillment order line item quantity requested.', ...field, 'quantity');
        }
        planned.push({ fulfillmentOrder, line, quantity: wanted.quantity });
      }
    }
    if (planned.length === 0) return refuse('Fulfillment order has no line items left to fulfill.', 'lineItemsByFulfillmentOrder');
    const order = this.orders.get(orderId!)!;
    const now = this.timestamp();
    for (const { fulfillmentOrder, line, quantity } of planned) {
      line.remainingQuantity -= quantity;
      fulfillmentOrder.updatedAt = now;
      fulfillmentOrder.status = fulfillmentOrder.lineItems.every((candidate) => candidate.remainingQuantity === 0) ? 'CLOSED' : 'IN_PROGRESS';
      const orderLine = order.lineItems.find((candidate) => candidate.id === line.lineItemId);
      const level = orderLine ? this.#levelOfLine(orderLine) : undefined;
      if (level) this.change(level, 'committed', -quantity);
    }
    const tracking = request.trackingInfo;
    const fulfillment: ShopifyFulfillment = {
      id: this.nextId(),
      orderId: order.id,
      name: `${order.name}-F${order.fulfillments.length + 1}`,
      status: 'SUCCESS',
      createdAt: now,
      updatedAt: now,
      notifyCustomer: request.notifyCustomer ?? false,
      trackingInfo: tracking && (tracking.number || tracking.company || tracking.url) ? [{ company: tracking.company ?? null, number: tracking.number ?? null, url: tracking.url ?? null }] : [],
      lineItems: planned.map(({ line, quantity }) => ({ id: this.nextId(), lineItemId: line.lineItemId, quantity })),
    };
    order.fulfillments.push(fulfillment);
    const complete = this.fulfillmentOrdersOf(order).every((candidate) => candidate.lineItems.every((line) => line.remainingQuantity === 0));
    order.fulfillmentStatus = complete ? 'FULFILLED' : 'PARTIALLY_FULFILLED';
    order.updatedAt = now;
    if (complete) order.closedAt = now;
    this.#emit({ kind: 'order', topic: complete ? 'orders/fulfilled' : 'orders/partially_fulfilled', order });
    this.#emit({ kind: 'order', topic: 'orders/updated', order });
    return { fulfillment };
  }

  /** What the shopper sees of an order on its status page: whether it shipped, and the tracking of each shipment. */
  shopperView(orderId: string): ShopperOrderView {
    const order = this.#order(orderId);
    return {
      id: gid('Order', order.id),
      status: order.cancelledAt ? 'cancelled' : order.fulfillmentStatus.toLowerCase(),
      shipments: order.fulfillments
        .filter((fulfillment) => fulfillment.status === 'SUCCESS')
        .map((fulfillment) => ({
          carrier: fulfillment.trackingInfo[0]?.company ?? null,
          trackingCode: fulfillment.trackingInfo[0]?.number ?? null,
          trackingUrl: fulfillment.trackingInfo[0]?.url ?? null,
          shippedAt: fulfillment.createdAt,
          lines: fulfillment.lineItems.map((line) => ({ sku: order.lineItems.find((candidate) => candidate.id === line.lineItemId)?.sku ?? '', quantity: line.quantity })),
        })),
    };
  }

  /** The merchant types a new available quantity in Shopify admin. */
  setAvailable(edit: MerchantStockEdit): ListedStock {
    return this.#action(() => this.#setAvailable(edit));
  }

  #setAvailable(edit: MerchantStockEdit): ListedStock {
    const variant = this.#listedVariant(edit.sku);
    const location = edit.locationCode ? [...this.locations.values()].find((candidate) => candidate.code === edit.locationCode) : [...this.locations.values()][0];
    if (!location) throw new ControlError(404, 'LOCATION_NOT_FOUND', `No Shopify location for code ${edit.locationCode ?? '(first)'}; locations are ${[...this.locations.values()].map((candidate) => candidate.code).join(', ')}`);
    const level = this.level(variant.inventoryItemId, location.id);
    if (!level) throw new ControlError(409, 'NOT_STOCKED', `SKU ${edit.sku} is not stocked at ${location.code}`);
    const delta = edit.quantity - level.quantities.available;
    this.change(level, 'available', delta);
    this.recordAdjustment('correction', null, [
      { name: 'available', delta, quantityAfterChange: level.quantities.available, ledgerDocumentUri: null, inventoryItemId: level.inventoryItemId, locationId: level.locationId },
    ]);
    return this.listedStockOf(variant);
  }

  /**
   * The merchant opens a location (Shopify admin, or `locationAdd`) and stocks SKUs there
   * (`inventoryActivate` with an available quantity): one new level per SKU.
   */
  addLocation(input: { code: string; name?: string; available?: Record<string, number> }): ShopifyLocation {
    return this.#action(() => {
      if ([...this.locations.values()].some((location) => location.code === input.code)) throw new ControlError(409, 'LOCATION_EXISTS', `A Shopify location for code ${input.code} exists already`);
      const now = this.timestamp();
      const location: ShopifyLocation = { id: this.nextId(), code: input.code, name: input.name ?? input.code, zip: '', createdAt: now, updatedAt: now };
      this.locations.set(location.id, location);
      for (const [sku, available] of Object.entries(input.available ?? {})) {
        const variant = this.#listedVariant(sku);
        const level: ShopifyInventoryLevel = {
          id: this.nextId(),
          inventoryItemId: variant.inventoryItemId,
          locationId: location.id,
          quantities: { available: 0, committed: 0, reserved: 0, damaged: 0, safety_stock: 0, quality_control: 0, incoming: 0 },
          createdAt: now,
          updatedAt: now,
        };
        this.levels.set(levelKey(level.inventoryItemId, location.id), level);
        this.change(level, 'available', available);
      }
      return location;
    });
  }

  /** The merchant stops stocking a SKU at a location (`inventoryDeactivate`): its level is gone. */
  deactivateInventory(sku: string, locationCode: string): void {
    const variant = this.#listedVariant(sku);
    const location = [...this.locations.values()].find((candidate) => candidate.code === locationCode);
    if (!location || !this.levels.delete(levelKey(variant.inventoryItemId, location.id))) throw new ControlError(409, 'NOT_STOCKED', `SKU ${sku} is not stocked at ${locationCode}`);
  }

  listedStock(): ListedStock[] {
    return [...this.variants.values()].map((variant) => this.listedStockOf(variant));
  }

  listedStockOf(variant: ShopifyVariant): ListedStock {
    const byLocation: Record<string, number> = {};
    let quantity = 0;
    for (const level of this.levelsOfItem(variant.inventoryItemId)) {
      const location = this.locations.get(level.locationId) as ShopifyLocation;
      byLocation[location.code] = level.quantities.available;
      quantity += level.quantities.available;
    }
    return { sku: variant.sku, quantity, byLocation };
  }

  #listedVariant(sku: string): ShopifyVariant {
    const variant = this.variantBySku(sku);
    if (!variant) throw new ControlError(404, 'SKU_NOT_LISTED', `SKU ${sku} is not listed on this Shopify store; seed it first`);
    return variant;
  }

  #order(orderId: string): ShopifyOrder {
    const numeric = parseGid(orderId, 'Order') ?? Number(orderId);
    const order = this.orders.get(numeric) ?? [...this.orders.values()].find((candidate) => candidate.name === orderId);
    if (!order) throw new ControlError(404, 'ORDER_NOT_FOUND', `No Shopify order ${orderId}`);
    return order;
  }

  #levelOfLine(line: ShopifyLineItem): ShopifyInventoryLevel | undefined {
    const variant = this.variants.get(line.variantId);
    return variant ? this.level(variant.inventoryItemId, line.locationId) : undefined;
  }

  #summary(order: ShopifyOrder): ControlOrderSummary {
    const status = order.cancelledAt ? 'cancelled' : order.fulfillmentStatus === 'FULFILLED' ? 'fulfilled' : order.fulfillmentStatus === 'PARTIALLY_FULFILLED' ? 'partially_fulfilled' : 'paid';
    return { id: gid('Order', order.id), status, lines: order.lineItems.map((line) => ({ sku: line.sku, quantity: line.quantity })) };
  }

  #emit(change: DistributiveOmit<ShopifyDomainEvent, 'eventId'>): void {
    const resource = change.kind === 'order' ? `order:${change.order.id}` : `level:${change.level.id}`;
    let eventId = this.#actionEvents?.get(resource);
    if (!eventId) {
      eventId = randomUUID();
      this.#actionEvents?.set(resource, eventId);
    }
    const event = { ...change, eventId } as ShopifyDomainEvent;
    for (const listener of this.#listeners) listener(event);
  }

  /** Runs one merchant or shopper action: every topic it emits about one resource shares an event id. */
  #action<Result>(work: () => Result): Result {
    if (this.#actionEvents) return work();
    this.#actionEvents = new Map();
    try {
      return work();
    } finally {
      this.#actionEvents = undefined;
    }
  }
}

function levelKey(inventoryItemId: number, locationId: number): string {
  return `${inventoryItemId}:${locationId}`;
}

function handleize(title: string): string {
  return title
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/** Shopify shows option names as the merchant typed them: "Size", "Color". */
function optionLabel(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}
