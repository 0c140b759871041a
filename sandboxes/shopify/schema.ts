/**
 * The executable Admin GraphQL schema: `schema.graphql` plus resolvers over `ShopifyStore`.
 * Mutations follow Shopify's semantics: user errors in the payload (not top-level errors),
 * all-or-nothing application, compare-and-set on `changeFromQuantity`, and idempotency keys
 * through the `@idempotent` directive, each as the API version of the request path has it.
 */
import { readFileSync } from 'node:fs';
import { buildSchema, GraphQLError, isInterfaceType, isObjectType, Kind, valueFromASTUntyped } from 'graphql';
import type { GraphQLFieldResolver, GraphQLResolveInfo, GraphQLSchema } from 'graphql';
import { connection, matchesSearch } from './pagination.ts';
import type { ConnectionArgs } from './pagination.ts';
import { gid, levelGid, onHand, orderSubtotal, orderTotal, parseGid, quantityOf, STORED_QUANTITY_NAMES } from './store.ts';
import { customerId } from './webhooks.ts';
import type {
  InventoryAdjustmentGroupRecord,
  InventoryChangeRecord,
  ShopifyFulfillment,
  ShopifyFulfillmentOrder,
  ShopifyInventoryItem,
  ShopifyInventoryLevel,
  ShopifyLineItem,
  ShopifyLocation,
  ShopifyOrder,
  ShopifyProduct,
  ShopifyStore,
  ShopifyVariant,
  ShopifyWebhookSubscription,
  StoredQuantityName,
} from './store.ts';

export interface ShopifyContext {
  store: ShopifyStore;
  /** The API version of the request path, e.g. `2026-10`. */
  apiVersion: string;
}

/**
 * Version from which `changeFromQuantity` must be given on every set/adjust/move quantity (explicit
 * `null` opts out), and `compareQuantity` / `ignoreCompareQuantity` are gone from the schema.
 * https://shopify.dev/changelog/making-changefromquantity-field-required and
 * https://shopify.dev/docs/api/admin-graphql/2026-07/input-objects/InventoryChangeInput
 */
export const CAS_REQUIRED_FROM_VERSION = '2026-04';
/**
 * Version from which the `@idempotent(key:)` directive is mandatory at run time for the mutations
 * below, though the schema still shows it optional: "calling these mutations without an idempotency
 * directive will result in an error at runtime".
 * https://shopify.dev/changelog/making-idempotency-mandatory-for-inventory-adjustments-and-refund-mutations
 */
export const IDEMPOTENCY_REQUIRED_FROM_VERSION = '2026-04';
/**
 * The changelog's list (refundCreate, inventoryShipmentReceive, inventorySetOnHandQuantities, … are
 * on it too, but the sandbox does not serve them); each mutation's page carries the same caution,
 * e.g. https://shopify.dev/docs/api/admin-graphql/latest/mutations/inventoryMoveQuantities
 */
export const IDEMPOTENT_MUTATIONS = ['inventorySetQuantities', 'inventoryAdjustQuantities', 'inventoryMoveQuantities'] as const;
/** Shopify refuses quantities beyond this. */
const MAX_QUANTITY = 1_000_000_000;
/** Reasons Shopify accepts for inventory changes. */
export const INVENTORY_REASONS = [
  'correction',
  'cycle_count_available',
  'damaged',
  'movement_canceled',
  'movement_created',
  'movement_received',
  'movement_updated',
  'other',
  'promotion',
  'quality_control',
  'received',
  'reservation_created',
  'reservation_deleted',
  'reservation_updated',
  'restock',
  'safety_stock',
  'shrinkage',
];
const SETTABLE_NAMES = ['available', 'on_hand'];
const ADJUSTABLE_NAMES = ['available', 'damaged', 'incoming', 'quality_control', 'reserved', 'safety_stock'];
export const WEBHOOK_TOPICS: Record<string, string> = {
  INVENTORY_LEVELS_UPDATE: 'inventory_levels/update',
  ORDERS_CANCELLED: 'orders/cancelled',
  ORDERS_CREATE: 'orders/create',
  ORDERS_FULFILLED: 'orders/fulfilled',
  ORDERS_PARTIALLY_FULFILLED: 'orders/partially_fulfilled',
  ORDERS_UPDATED: 'orders/updated',
};

export function versionAtLeast(version: string, minimum: string): boolean {
  return version === 'unstable' || version >= minimum;
}

type Resolver = GraphQLFieldResolver<any, ShopifyContext, any>;
type Args = Record<string, any>;

const money = (amount: string) => ({ shopMoney: { amount, currencyCode: 'BRL' }, presentmentMoney: { amount, currencyCode: 'BRL' } });
const exact = (count: number) => ({ count, precision: 'EXACT' });

function typed<Value extends object>(typename: string, value: Value | undefined): (Value & { __typename: string }) | null {
  return value ? { ...value, __typename: typename } : null;
}

function availableOf(store: ShopifyStore, variant: ShopifyVariant): number {
  return store.levelsOfItem(variant.inventoryItemId).reduce((sum, level) => sum + level.quantities.available, 0);
}

function nodeById(store: ShopifyStore, id: string): object | null {
  const type = /^gid:\/\/shopify\/([A-Za-z]+)\//.exec(id)?.[1];
  const numeric = type ? parseGid(id, type) : undefined;
  if (!type || numeric === undefined) return null;
  switch (type) {
    case 'Product':
      return typed('Product', store.products.get(numeric));
    case 'ProductVariant':
      return typed('ProductVariant', store.variants.get(numeric));
    case 'InventoryItem':
      return typed('InventoryItem', store.inventoryItems.get(numeric));
    case 'Location':
      return typed('Location', store.locations.get(numeric));
    case 'InventoryLevel':
      return typed('InventoryLevel', store.levelById(numeric));
    case 'Order':
      return typed('Order', store.orders.get(numeric));
    case 'FulfillmentOrder':
      return typed('FulfillmentOrder', store.fulfillmentOrders.get(numeric));
    case 'WebhookSubscription':
      return typed('WebhookSubscription', store.webhookSubscriptions.get(numeric));
    case 'InventoryAdjustmentGroup':
      return typed('InventoryAdjustmentGroup', store.adjustmentGroups.get(numeric));
    default:
      return null;
  }
}

function idempotencyKey(info: GraphQLResolveInfo): string | undefined {
  const directive = info.fieldNodes[0]?.directives?.find((candidate) => candidate.name.value === 'idempotent');
  const argument = directive?.arguments?.find((candidate) => candidate.name.value === 'key');
  if (!argument) return undefined;
  if (argument.value.kind === Kind.VARIABLE) {
    const value = info.variableValues[argument.value.name.value];
    return typeof value === 'string' ? value : undefined;
  }
  const value = valueFromASTUntyped(argument.value);
  return typeof value === 'string' ? value : undefined;
}

/**
 * Runs a mutation once per idempotency key: the same key with the same input returns the stored
 * result of the first call ("It will return the result of the original operation instead of
 * creating a new one", changelog above); the same key with other input is the user error
 * IDEMPOTENCY_KEY_PARAMETER_MISMATCH, "The same idempotency key cannot be used with different
 * operation parameters." (https://shopify.dev/docs/api/admin-graphql/latest/enums/InventorySetQuantitiesUserErrorCode),
 * and changes nothing. Shopify does not document the shape of the runtime error for a missing
 * directive: the sandbox answers a top-level error naming the directive, and no data.
 */
function idempotent<Result>(store: ShopifyStore, info: GraphQLResolveInfo, apiVersion: string, input: unknown, mismatch: () => Result, run: () => Result): Result {
  const key = idempotencyKey(info);
  if (!key) {
    if (versionAtLeast(apiVersion, IDEMPOTENCY_REQUIRED_FROM_VERSION)) {
      throw new GraphQLError(`The @idempotent directive is required for ${info.fieldName} from API version ${IDEMPOTENCY_REQUIRED_FROM_VERSION}: add @idempotent(key: "<uuid>")`, {
        extensions: { code: 'BAD_REQUEST' },
      });
    }
    return run();
  }
  const fingerprint = `${info.fieldName}:${JSON.stringify(input)}`;
  const previous = store.idempotentResults.get(key);
  if (previous) return previous.fingerprint === fingerprint ? (previous.result as Result) : mismatch();
  const result = run();
  store.idempotentResults.set(key, { fingerprint, result });
  return result;
}

const keyMismatch = () => ({
  inventoryAdjustmentGroup: null,
  userErrors: [{ code: 'IDEMPOTENCY_KEY_PARAMETER_MISMATCH', field: ['input'], message: 'The same idempotency key cannot be used with different operation parameters.' }],
});

function isUri(value: string | null | undefined): boolean {
  return value === null || value === undefined || /^[a-z][a-z0-9+.-]*:\/\/\S+$/i.test(value);
}

interface UserError {
  code: string | null;
  field: string[];
  message: string;
}

function setQuantities(store: ShopifyStore, input: Args, apiVersion: string): { inventoryAdjustmentGroup: InventoryAdjustmentGroupRecord | null; userErrors: UserError[] } {
  const userErrors: UserError[] = [];
  const casRequired = versionAtLeast(apiVersion, CAS_REQUIRED_FROM_VERSION);
  if (!SETTABLE_NAMES.includes(input['name'])) userErrors.push({ code: 'INVALID_NAME', field: ['input', 'name'], message: `The quantity name must be either 'available' or 'on_hand'.` });
  if (!INVENTORY_REASONS.includes(input['reason'])) userErrors.push({ code: 'INVALID_REASON', field: ['input', 'reason'], message: 'The specified reason is invalid.' });
  if (!isUri(input['referenceDocumentUri'])) userErrors.push({ code: 'INVALID_REFERENCE_DOCUMENT', field: ['input', 'referenceDocumentUri'], message: 'The specified reference document is invalid.' });
  const planned: Array<{ level: ShopifyInventoryLevel; quantity: number }> = [];
  const seen = new Set<string>();
  (input['quantities'] as Args[]).forEach((quantity, index) => {
    const field = ['input', 'quantities', String(index)];
    const itemId = parseGid(quantity['inventoryItemId'], 'InventoryItem');
    const locationId = parseGid(quantity['locationId'], 'Location');
    if (itemId === undefined || !store.inventoryItems.has(itemId)) {
      userErrors.push({ code: 'INVALID_INVENTORY_ITEM', field: [...field, 'inventoryItemId'], message: 'The specified inventory item could not be found.' });
      return;
    }
    if (locationId === undefined || !store.locations.has(locationId)) {
      userErrors.push({ code: 'INVALID_LOCATION', field: [...field, 'locationId'], message: 'The specified location could not be found.' });
      return;
    }
    const pair = `${itemId}:${locationId}`;
    if (seen.has(pair)) {
      userErrors.push({ code: 'NO_DUPLICATE_INVENTORY_ITEM_ID_GROUP_ID_PAIR', field, message: 'The combination of inventoryItemId and locationId must be unique.' });
      return;
    }
    seen.add(pair);
    const level = store.level(itemId, locationId);
    if (!level) {
      userErrors.push({ code: 'ITEM_NOT_STOCKED_AT_LOCATION', field: [...field, 'locationId'], message: 'The specified inventory item is not stocked at the location.' });
      return;
    }
    const target = quantity['quantity'] as number;
    if (target < 0) userErrors.push({ code: 'INVALID_QUANTITY_NEGATIVE', field: [...field, 'quantity'], message: "The quantity can't be negative." });
    if (target > MAX_QUANTITY) userErrors.push({ code: 'INVALID_QUANTITY_TOO_HIGH', field: [...field, 'quantity'], message: "The quantity can't be higher than 1,000,000,000." });
    const current = quantityOf(level, input['name']) ?? 0;
    if (casRequired) {
      if (!('changeFromQuantity' in quantity)) {
        userErrors.push({ code: null, field: [...field, 'changeFromQuantity'], message: 'changeFromQuantity must be provided for every quantity (pass null to skip the compare-and-set check).' });
        return;
      }
      if (quantity['changeFromQuantity'] !== null && quantity['changeFromQuantity'] !== current) {
        userErrors.push({ code: 'CHANGE_FROM_QUANTITY_STALE', field: [...field, 'changeFromQuantity'], message: 'The changeFromQuantity argument no longer matches the persisted quantity.' });
        return;
      }
    } else if (input['ignoreCompareQuantity'] !== true) {
      const expected = quantity['changeFromQuantity'] ?? quantity['compareQuantity'];
      if (expected === undefined || expected === null) {
        userErrors.push({ code: 'COMPARE_QUANTITY_REQUIRED', field: [...field, 'compareQuantity'], message: 'The compareQuantity argument must be given to each quantity or ignored using ignoreCompareQuantity.' });
        return;
      }
      if (expected !== current) {
        const code = quantity['changeFromQuantity'] !== undefined && quantity['changeFromQuantity'] !== null ? 'CHANGE_FROM_QUANTITY_STALE' : 'COMPARE_QUANTITY_STALE';
        userErrors.push({ code, field, message: 'The compareQuantity value does not match persisted value.' });
        return;
      }
    }
    planned.push({ level, quantity: target });
  });
  if (userErrors.length > 0) return { inventoryAdjustmentGroup: null, userErrors };

  const changes: InventoryChangeRecord[] = [];
  for (const { level, quantity } of planned) {
    // Setting on_hand moves available by the same delta: the other parts of on_hand are untouched.
    const delta = quantity - (input['name'] === 'on_hand' ? onHand(level) : level.quantities.available);
    store.change(level, 'available', delta);
    const base = { ledgerDocumentUri: null, inventoryItemId: level.inventoryItemId, locationId: level.locationId };
    changes.push({ name: 'available', delta, quantityAfterChange: level.quantities.available, ...base });
    changes.push({ name: 'on_hand', delta, quantityAfterChange: onHand(level), ...base });
  }
  return { inventoryAdjustmentGroup: store.recordAdjustment(input['reason'], input['referenceDocumentUri'] ?? null, changes), userErrors: [] };
}

function adjustQuantities(store: ShopifyStore, input: Args, apiVersion: string): { inventoryAdjustmentGroup: InventoryAdjustmentGroupRecord | null; userErrors: UserError[] } {
  const userErrors: UserError[] = [];
  const casRequired = versionAtLeast(apiVersion, CAS_REQUIRED_FROM_VERSION);
  const name = input['name'] as string;
  if (!ADJUSTABLE_NAMES.includes(name)) {
    userErrors.push({ code: 'INVALID_QUANTITY_NAME', field: ['input', 'name'], message: `The quantity name must be one of: ${ADJUSTABLE_NAMES.join(', ')}.` });
  }
  if (!INVENTORY_REASONS.includes(input['reason'])) userErrors.push({ code: 'INVALID_REASON', field: ['input', 'reason'], message: 'The specified reason is invalid.' });
  if (!isUri(input['referenceDocumentUri'])) userErrors.push({ code: 'INVALID_REFERENCE_DOCUMENT', field: ['input', 'referenceDocumentUri'], message: 'The specified reference document is invalid.' });
  const planned: Array<{ level: ShopifyInventoryLevel; delta: number; ledgerDocumentUri: string | null }> = [];
  (input['changes'] as Args[]).forEach((change, index) => {
    const field = ['input', 'changes', String(index)];
    const itemId = parseGid(change['inventoryItemId'], 'InventoryItem');
    const locationId = parseGid(change['locationId'], 'Location');
    if (itemId === undefined || !store.inventoryItems.has(itemId)) {
      userErrors.push({ code: 'INVALID_INVENTORY_ITEM', field: [...field, 'inventoryItemId'], message: 'The specified inventory item could not be found.' });
      return;
    }
    if (locationId === undefined || !store.locations.has(locationId)) {
      userErrors.push({ code: 'INVALID_LOCATION', field: [...field, 'locationId'], message: 'The specified location could not be found.' });
      return;
    }
    const level = store.level(itemId, locationId);
    if (!level) {
      userErrors.push({ code: 'ITEM_NOT_STOCKED_AT_LOCATION', field: [...field, 'locationId'], message: 'The specified inventory item is not stocked at the location.' });
      return;
    }
    if (!ADJUSTABLE_NAMES.includes(name)) return;
    const current = level.quantities[name as StoredQuantityName];
    if (casRequired && !('changeFromQuantity' in change)) {
      userErrors.push({ code: null, field: [...field, 'changeFromQuantity'], message: 'changeFromQuantity must be provided for every change (pass null to skip the compare-and-set check).' });
      return;
    }
    if (change['changeFromQuantity'] !== undefined && change['changeFromQuantity'] !== null && change['changeFromQuantity'] !== current) {
      userErrors.push({ code: 'CHANGE_FROM_QUANTITY_STALE', field: [...field, 'changeFromQuantity'], message: 'The changeFromQuantity argument no longer matches the persisted quantity.' });
      return;
    }
    const after = current + (change['delta'] as number);
    if (after > MAX_QUANTITY) userErrors.push({ code: 'INVALID_QUANTITY_TOO_HIGH', field: [...field, 'delta'], message: "The quantity can't be higher than 1,000,000,000." });
    if (after < -MAX_QUANTITY) userErrors.push({ code: 'INVALID_QUANTITY_TOO_LOW', field: [...field, 'delta'], message: "The quantity can't be lower than -1,000,000,000." });
    planned.push({ level, delta: change['delta'], ledgerDocumentUri: change['ledgerDocumentUri'] ?? null });
  });
  if (userErrors.length > 0) return { inventoryAdjustmentGroup: null, userErrors };

  const changes: InventoryChangeRecord[] = [];
  for (const { level, delta, ledgerDocumentUri } of planned) {
    const quantityName = name as StoredQuantityName;
    store.change(level, quantityName, delta);
    const base = { ledgerDocumentUri, inventoryItemId: level.inventoryItemId, locationId: level.locationId };
    changes.push({ name, delta, quantityAfterChange: level.quantities[quantityName], ...base });
    if (quantityName !== 'incoming') changes.push({ name: 'on_hand', delta, quantityAfterChange: onHand(level), ...base });
  }
  return { inventoryAdjustmentGroup: store.recordAdjustment(input['reason'], input['referenceDocumentUri'] ?? null, changes), userErrors: [] };
}

/**
 * Moves units between quantity names at one location (inventoryMoveQuantities): each change takes
 * `quantity` from `from.name` and adds it to `to.name`. From 2026-04 both ends carry a
 * `changeFromQuantity` (https://shopify.dev/changelog/making-changefromquantity-field-required).
 * Moves between locations are transfers in Shopify; the sandbox refuses them (DIFFERENT_LOCATIONS).
 */
function moveQuantities(store: ShopifyStore, input: Args, apiVersion: string): { inventoryAdjustmentGroup: InventoryAdjustmentGroupRecord | null; userErrors: UserError[] } {
  const userErrors: UserError[] = [];
  const casRequired = versionAtLeast(apiVersion, CAS_REQUIRED_FROM_VERSION);
  if (!INVENTORY_REASONS.includes(input['reason'])) userErrors.push({ code: 'INVALID_REASON', field: ['input', 'reason'], message: 'The specified reason is invalid.' });
  if (!isUri(input['referenceDocumentUri'])) userErrors.push({ code: 'INVALID_REFERENCE_DOCUMENT', field: ['input', 'referenceDocumentUri'], message: 'The specified reference document is invalid.' });
  const planned: Array<{ level: ShopifyInventoryLevel; quantity: number; from: StoredQuantityName; to: StoredQuantityName; ledgerDocumentUri: string | null }> = [];
  (input['changes'] as Args[]).forEach((change, index) => {
    const field = ['input', 'changes', String(index)];
    const itemId = parseGid(change['inventoryItemId'], 'InventoryItem');
    if (itemId === undefined || !store.inventoryItems.has(itemId)) {
      userErrors.push({ code: 'INVALID_INVENTORY_ITEM', field: [...field, 'inventoryItemId'], message: 'The specified inventory item could not be found.' });
      return;
    }
    const from = change['from'] as Args;
    const to = change['to'] as Args;
    const locationId = parseGid(from['locationId'], 'Location');
    if (locationId === undefined || !store.locations.has(locationId)) {
      userErrors.push({ code: 'INVALID_LOCATION', field: [...field, 'from', 'locationId'], message: 'The specified location could not be found.' });
      return;
    }
    if (to['locationId'] !== from['locationId']) {
      userErrors.push({ code: 'DIFFERENT_LOCATIONS', field: [...field, 'to', 'locationId'], message: "The quantities can't be moved between different locations." });
      return;
    }
    for (const [end, terminal] of [['from', from], ['to', to]] as const) {
      if (!ADJUSTABLE_NAMES.includes(terminal['name'])) userErrors.push({ code: 'INVALID_QUANTITY_NAME', field: [...field, end, 'name'], message: `The quantity name must be one of: ${ADJUSTABLE_NAMES.join(', ')}.` });
    }
    if (from['name'] === to['name']) userErrors.push({ code: 'SAME_QUANTITY_NAME', field: [...field, 'to', 'name'], message: "The quantity names can't be the same." });
    if ((change['quantity'] as number) < 0) userErrors.push({ code: 'INVALID_QUANTITY_NEGATIVE', field: [...field, 'quantity'], message: "The quantity can't be negative." });
    if (userErrors.length > 0) return;
    const level = store.level(itemId, locationId);
    if (!level) {
      userErrors.push({ code: 'ITEM_NOT_STOCKED_AT_LOCATION', field: [...field, 'from', 'locationId'], message: 'The specified inventory item is not stocked at the location.' });
      return;
    }
    for (const [end, terminal] of [['from', from], ['to', to]] as const) {
      if (casRequired && !('changeFromQuantity' in terminal)) {
        userErrors.push({ code: null, field: [...field, end, 'changeFromQuantity'], message: 'changeFromQuantity must be provided for both ends of every move (pass null to skip the compare-and-set check).' });
      } else if (terminal['changeFromQuantity'] !== undefined && terminal['changeFromQuantity'] !== null && terminal['changeFromQuantity'] !== level.quantities[terminal['name'] as StoredQuantityName]) {
        userErrors.push({ code: 'CHANGE_FROM_QUANTITY_STALE', field: [...field, end, 'changeFromQuantity'], message: 'The changeFromQuantity argument no longer matches the persisted quantity.' });
      }
    }
    planned.push({ level, quantity: change['quantity'], from: from['name'], to: to['name'], ledgerDocumentUri: to['ledgerDocumentUri'] ?? from['ledgerDocumentUri'] ?? null });
  });
  if (userErrors.length > 0) return { inventoryAdjustmentGroup: null, userErrors };

  const changes: InventoryChangeRecord[] = [];
  for (const { level, quantity, from, to, ledgerDocumentUri } of planned) {
    store.change(level, from, -quantity);
    store.change(level, to, quantity);
    const base = { ledgerDocumentUri, inventoryItemId: level.inventoryItemId, locationId: level.locationId };
    changes.push({ name: from, delta: -quantity, quantityAfterChange: level.quantities[from], ...base });
    changes.push({ name: to, delta: quantity, quantityAfterChange: level.quantities[to], ...base });
  }
  return { inventoryAdjustmentGroup: store.recordAdjustment(input['reason'], input['referenceDocumentUri'] ?? null, changes), userErrors: [] };
}

function orderSearchFields(order: ShopifyOrder): Record<string, string | number | null> {
  return {
    id: order.id,
    name: order.name,
    created_at: order.createdAt,
    updated_at: order.updatedAt,
    processed_at: order.createdAt,
    status: order.cancelledAt ? 'cancelled' : order.closedAt ? 'closed' : 'open',
    fulfillment_status: order.fulfillmentStatus === 'FULFILLED' ? 'shipped' : order.fulfillmentStatus === 'PARTIALLY_FULFILLED' ? 'partial' : 'unshipped',
    financial_status: order.cancelledAt ? 'refunded' : 'paid',
    sku: order.lineItems.map((line) => line.sku).join(' '),
  };
}

const resolvers: Record<string, Record<string, Resolver>> = {
  Query: {
    shop: (_root, _args, { store }) => ({ id: 'gid://shopify/Shop/1', name: store.shopName, myshopifyDomain: store.shopDomain, currencyCode: 'BRL' }),
    node: (_root, args: Args, { store }) => nodeById(store, args['id']),
    nodes: (_root, args: Args, { store }) => (args['ids'] as string[]).map((id) => nodeById(store, id)),
    product: (_root, args: Args, { store }) => store.products.get(parseGid(args['id'], 'Product') ?? -1) ?? null,
    products: (_root, args: Args, { store }) => {
      const sortKey = args['sortKey'] as string;
      const products = [...store.products.values()].filter((product) =>
        matchesSearch(args['query'], {
          id: product.id,
          title: product.title,
          handle: product.handle,
          status: product.status.toLowerCase(),
          vendor: product.vendor,
          product_type: product.productType,
          created_at: product.createdAt,
          updated_at: product.updatedAt,
          sku: product.variantIds.map((id) => store.variants.get(id)?.sku ?? '').join(' '),
        }),
      );
      if (sortKey === 'TITLE') products.sort((left, right) => left.title.localeCompare(right.title));
      if (sortKey === 'UPDATED_AT') products.sort((left, right) => left.updatedAt.localeCompare(right.updatedAt));
      return connection(products, args as ConnectionArgs, (product) => product.id);
    },
    productsCount: (_root, args: Args, { store }) => exact([...store.products.values()].filter((product) => matchesSearch(args['query'], { title: product.title, status: product.status.toLowerCase(), vendor: product.vendor })).length),
    productVariant: (_root, args: Args, { store }) => store.variants.get(parseGid(args['id'], 'ProductVariant') ?? -1) ?? null,
    productVariants: (_root, args: Args, { store }) => {
      const variants = [...store.variants.values()].filter((variant) =>
        matchesSearch(args['query'], { id: variant.id, sku: variant.sku, title: variant.title, product_id: variant.productId, updated_at: variant.updatedAt, created_at: variant.createdAt }),
      );
      return connection(variants, args as ConnectionArgs, (variant) => variant.id);
    },
    inventoryItem: (_root, args: Args, { store }) => store.inventoryItems.get(parseGid(args['id'], 'InventoryItem') ?? -1) ?? null,
    inventoryItems: (_root, args: Args, { store }) => {
      const items = [...store.inventoryItems.values()].filter((item) => matchesSearch(args['query'], { id: item.id, sku: item.sku, created_at: item.createdAt, updated_at: item.updatedAt }));
      return connection(items, args as ConnectionArgs, (item) => item.id);
    },
    inventoryLevel: (_root, args: Args, { store }) => store.levelById(parseGid(args['id'], 'InventoryLevel') ?? -1) ?? null,
    location: (_root, args: Args, { store }) => (args['id'] ? store.locations.get(parseGid(args['id'], 'Location') ?? -1) ?? null : ([...store.locations.values()][0] ?? null)),
    locations: (_root, args: Args, { store }) => {
      const locations = [...store.locations.values()].filter((location) => matchesSearch(args['query'], { id: location.id, name: location.name }));
      return connection(locations, args as ConnectionArgs, (location) => location.id);
    },
    locationsCount: (_root, args: Args, { store }) => {
      const count = [...store.locations.values()].filter((location) => matchesSearch(args['query'], { id: location.id, name: location.name })).length;
      const limit = args['limit'] as number | null;
      return limit !== null && count > limit ? { count: limit, precision: 'AT_LEAST' } : exact(count);
    },
    order: (_root, args: Args, { store }) => store.orders.get(parseGid(args['id'], 'Order') ?? -1) ?? null,
    fulfillmentOrder: (_root, args: Args, { store }) => store.fulfillmentOrders.get(parseGid(args['id'], 'FulfillmentOrder') ?? -1) ?? null,
    orders: (_root, args: Args, { store }) => {
      const orders = [...store.orders.values()].filter((order) => matchesSearch(args['query'], orderSearchFields(order)));
      const sortKey = args['sortKey'] as string;
      if (sortKey === 'UPDATED_AT') orders.sort((left, right) => left.updatedAt.localeCompare(right.updatedAt) || left.id - right.id);
      if (sortKey === 'CREATED_AT' || sortKey === 'PROCESSED_AT') orders.sort((left, right) => left.createdAt.localeCompare(right.createdAt) || left.id - right.id);
      return connection(orders, args as ConnectionArgs, (order) => order.id);
    },
    webhookSubscriptions: (_root, args: Args, { store }) => {
      const topics = args['topics'] as string[] | null | undefined;
      const subscriptions = [...store.webhookSubscriptions.values()].filter((subscription) => !topics || topics.includes(subscription.topic));
      return connection(subscriptions, args as ConnectionArgs, (subscription) => subscription.id);
    },
  },
  Mutation: {
    inventorySetQuantities: (_root, args: Args, { store, apiVersion }, info) => idempotent(store, info, apiVersion, args['input'], keyMismatch, () => setQuantities(store, args['input'], apiVersion)),
    inventoryAdjustQuantities: (_root, args: Args, { store, apiVersion }, info) => idempotent(store, info, apiVersion, args['input'], keyMismatch, () => adjustQuantities(store, args['input'], apiVersion)),
    inventoryMoveQuantities: (_root, args: Args, { store, apiVersion }, info) => idempotent(store, info, apiVersion, args['input'], keyMismatch, () => moveQuantities(store, args['input'], apiVersion)),
    fulfillmentCreate: (_root, args: Args, { store }) => {
      const input = args['fulfillment'] as Args;
      const groups = (input['lineItemsByFulfillmentOrder'] as Args[]).map((group, index) => {
        const fulfillmentOrderId = parseGid(group['fulfillmentOrderId'], 'FulfillmentOrder');
        const lines = (group['fulfillmentOrderLineItems'] as Args[] | null | undefined)?.map((line) => ({ id: parseGid(line['id'], 'FulfillmentOrderLineItem') ?? -1, quantity: line['quantity'] as number }));
        return { index, fulfillmentOrderId: fulfillmentOrderId ?? -1, fulfillmentOrderLineItems: lines ?? null };
      });
      const tracking = input['trackingInfo'] as Args | null | undefined;
      const result = store.createFulfillment({
        lineItemsByFulfillmentOrder: groups,
        trackingInfo: tracking ? { company: tracking['company'] ?? null, number: tracking['number'] ?? (tracking['numbers'] as string[] | undefined)?.[0] ?? null, url: tracking['url'] ?? (tracking['urls'] as string[] | undefined)?.[0] ?? null } : null,
        notifyCustomer: input['notifyCustomer'] ?? false,
      });
      return 'userErrors' in result ? { fulfillment: null, userErrors: result.userErrors } : { fulfillment: result.fulfillment, userErrors: [] };
    },
    webhookSubscriptionCreate: (_root, args: Args, { store, apiVersion }) => {
      const input = args['webhookSubscription'] as Args;
      const uri = (input['uri'] ?? input['callbackUrl']) as string | undefined;
      if (!uri) return { webhookSubscription: null, userErrors: [{ field: ['webhookSubscription', 'uri'], message: "Address can't be blank" }] };
      if (!/^https?:\/\/\S+$/.test(uri)) return { webhookSubscription: null, userErrors: [{ field: ['webhookSubscription', 'uri'], message: 'Address is invalid' }] };
      const duplicate = [...store.webhookSubscriptions.values()].some((subscription) => subscription.topic === args['topic'] && subscription.uri === uri);
      if (duplicate) return { webhookSubscription: null, userErrors: [{ field: ['webhookSubscription', 'uri'], message: 'Address for this topic has already been taken' }] };
      const now = store.timestamp();
      const subscription: ShopifyWebhookSubscription = { id: store.nextId(), topic: args['topic'], uri, apiVersion, createdAt: now, updatedAt: now };
      store.webhookSubscriptions.set(subscription.id, subscription);
      return { webhookSubscription: subscription, userErrors: [] };
    },
    webhookSubscriptionDelete: (_root, args: Args, { store }) => {
      const id = parseGid(args['id'], 'WebhookSubscription');
      if (id === undefined || !store.webhookSubscriptions.delete(id)) {
        return { deletedWebhookSubscriptionId: null, userErrors: [{ field: ['id'], message: 'Webhook subscription does not exist' }] };
      }
      return { deletedWebhookSubscriptionId: args['id'], userErrors: [] };
    },
  },
  Product: {
    id: (product: ShopifyProduct) => gid('Product', product.id),
    options: (product: ShopifyProduct, args: Args) => product.options.slice(0, args['first'] ?? undefined).map((option, index) => ({ id: gid('ProductOption', option.id), name: option.name, position: index + 1, values: [...new Set(option.values)] })),
    hasOnlyDefaultVariant: (product: ShopifyProduct) => product.options.length === 1 && product.options[0]?.name === 'Title',
    totalInventory: (product: ShopifyProduct, _args, { store }) => product.variantIds.reduce((sum, id) => sum + availableOf(store, store.variants.get(id) as ShopifyVariant), 0),
    tracksInventory: () => true,
    variants: (product: ShopifyProduct, args: Args, { store }) => connection(product.variantIds.map((id) => store.variants.get(id) as ShopifyVariant), args as ConnectionArgs, (variant) => variant.id),
    variantsCount: (product: ShopifyProduct) => exact(product.variantIds.length),
  },
  ProductVariant: {
    id: (variant: ShopifyVariant) => gid('ProductVariant', variant.id),
    displayName: (variant: ShopifyVariant, _args, { store }) => `${store.products.get(variant.productId)?.title ?? ''} - ${variant.title}`,
    compareAtPrice: () => null,
    availableForSale: (variant: ShopifyVariant, _args, { store }) => store.products.get(variant.productId)?.status === 'ACTIVE' && (variant.inventoryPolicy === 'CONTINUE' || availableOf(store, variant) > 0),
    inventoryQuantity: (variant: ShopifyVariant, _args, { store }) => availableOf(store, variant),
    inventoryItem: (variant: ShopifyVariant, _args, { store }) => store.inventoryItems.get(variant.inventoryItemId),
    product: (variant: ShopifyVariant, _args, { store }) => store.products.get(variant.productId),
  },
  InventoryItem: {
    id: (item: ShopifyInventoryItem) => gid('InventoryItem', item.id),
    requiresShipping: () => true,
    variant: (item: ShopifyInventoryItem, _args, { store }) => store.variants.get(item.variantId),
    inventoryLevel: (item: ShopifyInventoryItem, args: Args, { store }) => store.level(item.id, parseGid(args['locationId'], 'Location') ?? -1) ?? null,
    inventoryLevels: (item: ShopifyInventoryItem, args: Args, { store }) => connection(store.levelsOfItem(item.id), args as ConnectionArgs, (level) => level.id),
    locationsCount: (item: ShopifyInventoryItem, _args, { store }) => exact(store.levelsOfItem(item.id).length),
  },
  Location: {
    id: (location: ShopifyLocation) => gid('Location', location.id),
    isActive: () => true,
    fulfillsOnlineOrders: () => true,
    address: (location: ShopifyLocation) => ({ address1: null, city: null, province: null, zip: location.zip, country: 'Brazil', countryCode: 'BR' }),
    inventoryLevel: (location: ShopifyLocation, args: Args, { store }) => store.level(parseGid(args['inventoryItemId'], 'InventoryItem') ?? -1, location.id) ?? null,
    inventoryLevels: (location: ShopifyLocation, args: Args, { store }) => connection(store.levelsAtLocation(location.id), args as ConnectionArgs, (level) => level.id),
  },
  InventoryLevel: {
    id: (level: ShopifyInventoryLevel) => levelGid(level),
    item: (level: ShopifyInventoryLevel, _args, { store }) => store.inventoryItems.get(level.inventoryItemId),
    location: (level: ShopifyInventoryLevel, _args, { store }) => store.locations.get(level.locationId),
    quantities: (level: ShopifyInventoryLevel, args: Args) =>
      (args['names'] as string[]).map((name) => {
        const quantity = quantityOf(level, name);
        if (quantity === undefined) {
          throw new GraphQLError(`Invalid quantity name '${name}'. Valid names: ${[...STORED_QUANTITY_NAMES, 'on_hand'].join(', ')}`, { extensions: { code: 'BAD_REQUEST' } });
        }
        return { id: `gid://shopify/InventoryQuantity/${level.id}?inventory_item_id=${level.inventoryItemId}&name=${name}`, name, quantity, updatedAt: level.updatedAt };
      }),
    canDeactivate: (level: ShopifyInventoryLevel) => level.quantities.committed === 0 && level.quantities.incoming === 0,
  },
  InventoryAdjustmentGroup: {
    id: (group: InventoryAdjustmentGroupRecord) => gid('InventoryAdjustmentGroup', group.id),
    changes: (group: InventoryAdjustmentGroupRecord, args: Args) => {
      const itemIds = (args['inventoryItemIds'] as string[] | null | undefined)?.map((id) => parseGid(id, 'InventoryItem'));
      const locationIds = (args['locationIds'] as string[] | null | undefined)?.map((id) => parseGid(id, 'Location'));
      const names = args['quantityNames'] as string[] | null | undefined;
      return group.changes.filter(
        (change) => (!itemIds || itemIds.includes(change.inventoryItemId)) && (!locationIds || locationIds.includes(change.locationId)) && (!names || names.includes(change.name)),
      );
    },
  },
  InventoryChange: {
    item: (change: InventoryChangeRecord, _args, { store }) => store.inventoryItems.get(change.inventoryItemId) ?? null,
    location: (change: InventoryChangeRecord, _args, { store }) => store.locations.get(change.locationId) ?? null,
  },
  Order: {
    id: (order: ShopifyOrder) => gid('Order', order.id),
    processedAt: (order: ShopifyOrder) => order.createdAt,
    closed: (order: ShopifyOrder) => order.closedAt !== null,
    currencyCode: () => 'BRL',
    displayFinancialStatus: (order: ShopifyOrder) => (order.cancelledAt ? 'REFUNDED' : 'PAID'),
    displayFulfillmentStatus: (order: ShopifyOrder) => order.fulfillmentStatus,
    totalPriceSet: (order: ShopifyOrder) => money(orderTotal(order)),
    subtotalPriceSet: (order: ShopifyOrder) => money(orderSubtotal(order)),
    totalDiscountsSet: () => money('0.00'),
    totalShippingPriceSet: (order: ShopifyOrder) => money(order.shippingPrice),
    totalTaxSet: () => money('0.00'),
    email: (order: ShopifyOrder) => order.shopper.email,
    phone: () => null,
    customer: (order: ShopifyOrder) => ({ id: gid('Customer', customerId(order.shopper.email)), email: order.shopper.email, phone: order.shopper.phone, firstName: order.shopper.firstName, lastName: order.shopper.lastName }),
    shippingAddress: ({ shopper }: ShopifyOrder) => ({
      firstName: shopper.firstName, lastName: shopper.lastName, name: `${shopper.firstName} ${shopper.lastName}`, address1: `${shopper.address.street}, ${shopper.address.number}`,
      address2: shopper.address.district, city: shopper.address.city, provinceCode: shopper.address.state, zip: shopper.address.postalCode, countryCodeV2: 'BR', phone: shopper.phone,
    }),
    lineItems: (order: ShopifyOrder, args: Args) => connection(order.lineItems, args as ConnectionArgs, (line) => line.id),
    fulfillmentOrders: (order: ShopifyOrder, args: Args, { store }) => connection(store.fulfillmentOrdersOf(order), args as ConnectionArgs, (fulfillmentOrder) => fulfillmentOrder.id),
    fulfillments: (order: ShopifyOrder, args: Args) => order.fulfillments.slice(0, args['first'] ?? undefined),
  },
  FulfillmentOrder: {
    id: (fulfillmentOrder: ShopifyFulfillmentOrder) => gid('FulfillmentOrder', fulfillmentOrder.id),
    orderId: (fulfillmentOrder: ShopifyFulfillmentOrder) => gid('Order', fulfillmentOrder.orderId),
    assignedLocation: (fulfillmentOrder: ShopifyFulfillmentOrder, _args, { store }) => {
      const location = store.locations.get(fulfillmentOrder.locationId);
      return { name: location?.name ?? '', location: location ?? null };
    },
    lineItems: (fulfillmentOrder: ShopifyFulfillmentOrder, args: Args) => connection(fulfillmentOrder.lineItems, args as ConnectionArgs, (line) => line.id),
  },
  FulfillmentOrderLineItem: {
    id: (line: ShopifyFulfillmentOrder['lineItems'][number]) => gid('FulfillmentOrderLineItem', line.id),
    lineItem: (line: ShopifyFulfillmentOrder['lineItems'][number], _args, { store }) => lineItemById(store, line.lineItemId),
    sku: (line: ShopifyFulfillmentOrder['lineItems'][number], _args, { store }) => lineItemById(store, line.lineItemId)?.sku ?? null,
  },
  Fulfillment: {
    id: (fulfillment: ShopifyFulfillment) => gid('Fulfillment', fulfillment.id),
    displayStatus: (fulfillment: ShopifyFulfillment) => (fulfillment.status === 'SUCCESS' ? 'FULFILLED' : 'CANCELED'),
    trackingInfo: (fulfillment: ShopifyFulfillment, args: Args) => fulfillment.trackingInfo.slice(0, args['first'] ?? undefined),
    fulfillmentLineItems: (fulfillment: ShopifyFulfillment, args: Args) => connection(fulfillment.lineItems, args as ConnectionArgs, (line) => line.id),
  },
  FulfillmentLineItem: {
    id: (line: ShopifyFulfillment['lineItems'][number]) => gid('FulfillmentLineItem', line.id),
    lineItem: (line: ShopifyFulfillment['lineItems'][number], _args, { store }) => lineItemById(store, line.lineItemId),
  },
  LineItem: {
    id: (line: ShopifyLineItem) => gid('LineItem', line.id),
    name: (line: ShopifyLineItem, _args, { store }) => {
      const variant = store.variants.get(line.variantId);
      return variant && variant.title !== 'Default Title' ? `${line.title} - ${variant.title}` : line.title;
    },
    currentQuantity: (line: ShopifyLineItem, _args, { store }) => (orderOfLine(store, line)?.cancelledAt ? 0 : line.quantity),
    unfulfilledQuantity: (line: ShopifyLineItem, _args, { store }) => {
      const order = orderOfLine(store, line);
      return !order || order.cancelledAt ? 0 : line.quantity - store.fulfilledQuantity(order, line.id);
    },
    variant: (line: ShopifyLineItem, _args, { store }) => store.variants.get(line.variantId) ?? null,
    product: (line: ShopifyLineItem, _args, { store }) => {
      const variant = store.variants.get(line.variantId);
      return variant ? (store.products.get(variant.productId) ?? null) : null;
    },
    originalUnitPriceSet: (line: ShopifyLineItem) => money(line.price),
    totalDiscountSet: () => money('0.00'),
  },
  WebhookSubscription: {
    id: (subscription: ShopifyWebhookSubscription) => gid('WebhookSubscription', subscription.id),
    callbackUrl: (subscription: ShopifyWebhookSubscription) => subscription.uri,
    endpoint: (subscription: ShopifyWebhookSubscription) => ({ callbackUrl: subscription.uri }),
    format: () => 'JSON',
  },
};

function lineItemById(store: ShopifyStore, lineItemId: number): ShopifyLineItem | undefined {
  for (const order of store.orders.values()) {
    const line = order.lineItems.find((candidate) => candidate.id === lineItemId);
    if (line) return line;
  }
  return undefined;
}

function orderOfLine(store: ShopifyStore, line: ShopifyLineItem): ShopifyOrder | undefined {
  return [...store.orders.values()].find((order) => order.lineItems.includes(line));
}

/**
 * The executable schema as the given API version shows it: from 2026-04 the fields marked
 * `# before 2026-04` in schema.graphql (`compareQuantity`, `ignoreCompareQuantity`) do not exist,
 * so a document that uses them fails validation as it would on Shopify.
 * https://shopify.dev/docs/api/admin-graphql/2027-01/objects/InventorySetQuantitiesUserError
 */
export function buildShopifySchema(apiVersion = '2026-10'): GraphQLSchema {
  const sdl = readFileSync(new URL('./schema.graphql', import.meta.url), 'utf8');
  const current = versionAtLeast(apiVersion, CAS_REQUIRED_FROM_VERSION);
  const schema = buildSchema(current ? sdl.split('\n').filter((line) => !line.includes('# before 2026-04')).join('\n') : sdl);
  for (const [typeName, fields] of Object.entries(resolvers)) {
    const type = schema.getType(typeName);
    if (!isObjectType(type)) throw new Error(`Resolvers given for ${typeName}, which is not an object type of the Shopify schema`);
    const definitions = type.getFields();
    for (const [fieldName, resolve] of Object.entries(fields)) {
      const definition = definitions[fieldName];
      if (!definition) throw new Error(`Resolver given for ${typeName}.${fieldName}, which the Shopify schema does not declare`);
      definition.resolve = resolve;
    }
  }
  const node = schema.getType('Node');
  if (isInterfaceType(node)) node.resolveType = (value) => (value as { __typename?: string }).__typename;
  return schema;
}
