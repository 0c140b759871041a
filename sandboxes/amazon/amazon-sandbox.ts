/**
 * Amazon Selling Partner API sandbox: Listings Items 2021-08-01 (GET and JSON-Patch PATCH of
 * `/attributes/fulfillment_availability`, searchListingsItems by up to 20 SKUs), Orders
 * v2026-01-01 (searchOrders with paginationToken paging, getOrder; v0 is deprecated and no longer
 * served), the `x-amz-access-token` header issued by a Login with Amazon
 * stand-in, and a token bucket per operation with Amazon's rate and burst, answered with
 * `x-amzn-RateLimit-Limit` and 429 QuotaExceeded.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { seedInputFrom } from '../common/catalog.ts';
import type { SeedInput } from '../common/catalog.ts';
import { ControlError } from '../common/control-api.ts';
import type { SandboxControlAdapter } from '../common/control-api.ts';
import { header, json, parseFormOrJson, parseJsonBody, Router } from '../common/http.ts';
import type { SandboxRequest, SandboxResponse } from '../common/http.ts';
import { createSandboxParts, createSandboxServer } from '../common/sandbox-server.ts';
import type { SandboxServer } from '../common/sandbox-server.ts';
import { TokenBucket } from '../common/token-bucket.ts';
import { WebhookDispatcher } from '../common/webhooks.ts';
import { AmazonStore, BRAZIL_MARKETPLACE_ID, merchantQuantity, priceOf } from './store.ts';
import type { AmazonListing, AmazonOrder, AttributeValues } from './store.ts';

export type SpApiOperation = 'getListingsItem' | 'searchListingsItems' | 'patchListingsItem' | 'searchOrders' | 'getOrder' | 'confirmShipment';

/** Amazon's default usage plans (requests per second, burst), as its API models publish them. */
export const SP_API_RATE_LIMITS: Record<SpApiOperation, { rate: number; burst: number }> = {
  getListingsItem: { rate: 5, burst: 10 },
  searchListingsItems: { rate: 5, burst: 5 },
  patchListingsItem: { rate: 5, burst: 5 },
  // Usage plans of models/orders-api-model/orders_2026-01-01.json (amzn/selling-partner-api-models).
  searchOrders: { rate: 0.0056, burst: 20 },
  getOrder: { rate: 0.5, burst: 30 },
  // Orders API v0 confirmShipment (https://developer-docs.amazon.com/sp-api/reference/confirmshipment): 2/s, burst 10.
  confirmShipment: { rate: 2, burst: 10 },
};

export const LWA_TOKEN_TTL_SECONDS = 3600;
/** searchOrders' `maxResultsPerPage`: 1 to 100, default 100 (orders_2026-01-01.json). */
export const MAX_RESULTS_PER_PAGE = 100;
/** A searchOrders pagination token expires after 24 hours (orders_2026-01-01.json, `Pagination`). */
const PAGINATION_TOKEN_TTL_MS = 24 * 60 * 60 * 1000;
/** The datasets searchOrders and getOrder accept in `includedData` (orders_2026-01-01.json). */
const ORDER_DATASETS = ['BUYER', 'RECIPIENT', 'PROCEEDS', 'EXPENSE', 'PROMOTION', 'CANCELLATION', 'FULFILLMENT', 'PACKAGES', 'TAX', 'PAYMENT', 'FULFILLMENT_ORDERS'];
const FULFILLMENT_STATUSES = ['PENDING_AVAILABILITY', 'PENDING', 'UNSHIPPED', 'PARTIALLY_SHIPPED', 'SHIPPED', 'CANCELLED', 'UNFULFILLABLE'];
/** searchOrders' `*Before` dates must be at least this far in the past. */
const BEFORE_DATE_MARGIN_MS = 2 * 60 * 1000;
const LISTINGS_ITEM_PATH = '/listings/2021-08-01/items/:sellerId/:sku';
const LISTINGS_ITEMS_PATH = '/listings/2021-08-01/items/:sellerId';
/** searchListingsItems: at most 20 identifiers per call, pages of 10 by default and 20 at most. */
export const MAX_SEARCH_IDENTIFIERS = 20;
const DEFAULT_SEARCH_PAGE_SIZE = 10;
const MAX_SEARCH_PAGE_SIZE = 20;

export interface AmazonSandboxOptions {
  /** The selling partner id in listing paths. @default 'A1PONTESANDBOX' */
  sellerId?: string;
  /** @default Brazil, A2Q3Y263D00KWC */
  marketplaceId?: string;
  /** The LWA application credentials and the seller's refresh token. */
  lwa?: { clientId?: string; clientSecret?: string; refreshToken?: string };
  /** An access token valid from the start, to skip the LWA exchange. @default 'Atza|sandbox-access-token' */
  accessToken?: string;
  /** Per-operation overrides of Amazon's rate and burst (keep tests fast with small bursts). */
  rateLimits?: Partial<Record<SpApiOperation, { rate: number; burst: number }>>;
  /** Catalog to seed at construction; `false` for an empty account. @default the demo catalog */
  seed?: SeedInput | false;
  now?: () => number;
}

export interface AmazonSandbox extends SandboxServer {
  readonly store: AmazonStore;
  readonly buckets: Record<SpApiOperation, TokenBucket>;
  readonly callLog: ReturnType<typeof createSandboxParts>['callLog'];
  readonly faults: ReturnType<typeof createSandboxParts>['faults'];
  readonly sellerId: string;
  readonly marketplaceId: string;
  readonly accessToken: string;
  readonly lwa: { clientId: string; clientSecret: string; refreshToken: string };
}

function spError(status: number, code: string, message: string, details = ''): SandboxResponse {
  return json(status, { errors: [{ code, message, details }] });
}

function requestId(): string {
  return randomUUID();
}

export function createAmazonSandbox(options: AmazonSandboxOptions = {}): AmazonSandbox {
  const sellerId = options.sellerId ?? 'A1PONTESANDBOX';
  const marketplaceId = options.marketplaceId ?? BRAZIL_MARKETPLACE_ID;
  const lwa = {
    clientId: options.lwa?.clientId ?? 'amzn1.application-oa2-client.sandbox',
    clientSecret: options.lwa?.clientSecret ?? 'amzn1.oa2-cs.v1.sandbox',
    refreshToken: options.lwa?.refreshToken ?? 'Atzr|sandbox-refresh-token',
  };
  const accessToken = options.accessToken ?? 'Atza|sandbox-access-token';
  const parts = createSandboxParts(options.now);
  const store = new AmazonStore(marketplaceId, parts.now);
  const accessTokens = new Map<string, number>([[accessToken, parts.now() + LWA_TOKEN_TTL_SECONDS * 1000]]);
  const limits = { ...SP_API_RATE_LIMITS, ...options.rateLimits };
  const buckets = Object.fromEntries(
    (Object.keys(SP_API_RATE_LIMITS) as SpApiOperation[]).map((operation) => [operation, new TokenBucket(limits[operation].burst, limits[operation].rate, parts.now)]),
  ) as Record<SpApiOperation, TokenBucket>;
  // Amazon pushes no order webhooks (orders are polled); the dispatcher exists only to satisfy the shared control API.
  const webhooks = new WebhookDispatcher({ retry: { maxAttempts: 1, initialDelayMs: 0, multiplier: 1, maxDelayMs: 0, timeoutMs: 1 } });

  if (options.seed !== false) store.seed(options.seed ?? seedInputFrom(undefined, 'AMAZON'));

  // Which SP-API operation a request is: it decides the rate-limit bucket and the handler.
  const operations = new Router<undefined, SpApiOperation>()
    .add('GET', LISTINGS_ITEM_PATH, () => 'getListingsItem')
    .add('GET', LISTINGS_ITEMS_PATH, () => 'searchListingsItems')
    .add('PATCH', LISTINGS_ITEM_PATH, () => 'patchListingsItem')
    .add('GET', '/orders/2026-01-01/orders', () => 'searchOrders')
    .add('GET', '/orders/2026-01-01/orders/:orderId', () => 'getOrder')
    // v2026-01-01 has no shipment confirmation of its own: confirmShipment stays in v0, which is
    // not among the v0 operations being retired (https://developer-docs.amazon.com/sp-api/changelog/new-introducing-the-orders-api-v2026-01-01).
    .add('POST', '/orders/v0/orders/:orderId/shipmentConfirmation', () => 'confirmShipment');
  const handlers: Record<SpApiOperation, (request: SandboxRequest) => SandboxResponse> = { getListingsItem, searchListingsItems, patchListingsItem, searchOrders, getOrder, confirmShipment };

  /** The seller and marketplace checks every Listings Items call makes; undefined when they pass. */
  function sellerMarketplaceError(request: SandboxRequest): SandboxResponse | undefined {
    if (request.params['sellerId'] !== sellerId) return spError(403, 'Unauthorized', 'Access to requested resource is denied.', `The seller ${request.params['sellerId']} is not authorized for this application`);
    const marketplaces = request.url.searchParams.get('marketplaceIds');
    if (!marketplaces) return spError(400, 'InvalidInput', 'Missing required parameter marketplaceIds');
    if (!marketplaces.split(',').includes(marketplaceId)) return spError(400, 'InvalidInput', `Invalid marketplaceIds: the seller does not sell in ${marketplaces}`);
    return undefined;
  }

  function listingFor(request: SandboxRequest): AmazonListing | SandboxResponse {
    const refused = sellerMarketplaceError(request);
    if (refused) return refused;
    const sku = request.params['sku'] ?? '';
    return store.listings.get(sku) ?? spError(404, 'NOT_FOUND', `SKU '${sku}' not found in marketplace ${marketplaceId}`);
  }

  function getListingsItem(request: SandboxRequest): SandboxResponse {
    const listing = listingFor(request);
    if ('status' in listing) return listing;
    return json(200, itemJson(listing, (request.url.searchParams.get('includedData') ?? 'summaries').split(',')));
  }

  /**
   * searchListingsItems by SKU identifiers (or every listing, newest update first), paged. Only
   * `identifiersType=SKU` is served: the sandbox keeps no ASIN/EAN catalogue lookups.
   */
  function searchListingsItems(request: SandboxRequest): SandboxResponse {
    const refused = sellerMarketplaceError(request);
    if (refused) return refused;
    const query = request.url.searchParams;
    const identifiers = query.get('identifiers')?.split(',').filter((value) => value.length > 0);
    const identifiersType = query.get('identifiersType');
    if (identifiers && !identifiersType) return spError(400, 'InvalidInput', 'identifiersType is required when identifiers is provided');
    if (identifiersType && !identifiers) return spError(400, 'InvalidInput', 'identifiers is required when identifiersType is provided');
    if (identifiersType && identifiersType !== 'SKU') return spError(400, 'InvalidInput', `identifiersType ${identifiersType} is not supported by this sandbox; use SKU`);
    if (identifiers && identifiers.length > MAX_SEARCH_IDENTIFIERS) return spError(400, 'InvalidInput', `identifiers accepts at most ${MAX_SEARCH_IDENTIFIERS} values, got ${identifiers.length}`);
    const pageSize = Number(query.get('pageSize') ?? DEFAULT_SEARCH_PAGE_SIZE);
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_SEARCH_PAGE_SIZE) return spError(400, 'InvalidInput', `pageSize must be between 1 and ${MAX_SEARCH_PAGE_SIZE}`);
    let offset = 0;
    const pageToken = query.get('pageToken');
    if (pageToken) {
      offset = Number(Buffer.from(pageToken, 'base64url').toString('utf8'));
      if (!Number.isInteger(offset) || offset < 0) return spError(400, 'InvalidInput', 'Invalid pageToken');
    }
    const sortBy = query.get('sortBy') ?? 'lastUpdatedDate';
    const descending = (query.get('sortOrder') ?? 'DESC') === 'DESC';
    const key = (listing: AmazonListing) => (sortBy === 'sku' ? listing.sku : sortBy === 'createdDate' ? listing.createdDate : listing.lastUpdatedDate);
    const wanted = identifiers ? new Set(identifiers) : undefined;
    const matching = [...store.listings.values()]
      .filter((listing) => !wanted || wanted.has(listing.sku))
      .sort((left, right) => (descending ? -1 : 1) * (key(left).localeCompare(key(right)) || left.sku.localeCompare(right.sku)));
    const included = (query.get('includedData') ?? 'summaries').split(',');
    const page = matching.slice(offset, offset + pageSize);
    const pagination: Record<string, string> = {};
    if (offset + pageSize < matching.length) pagination['nextToken'] = Buffer.from(String(offset + pageSize)).toString('base64url');
    if (offset > 0) pagination['previousToken'] = Buffer.from(String(Math.max(0, offset - pageSize))).toString('base64url');
    return json(200, {
      numberOfResults: matching.length,
      ...(Object.keys(pagination).length > 0 ? { pagination } : {}),
      items: page.map((listing) => itemJson(listing, included)),
    });
  }

  /** A listings `Item` with the requested data sets, as getListingsItem and searchListingsItems return it. */
  function itemJson(listing: AmazonListing, included: string[]): Record<string, unknown> {
    const quantity = merchantQuantity(listing);
    const body: Record<string, unknown> = { sku: listing.sku };
    if (included.includes('summaries')) {
      body['summaries'] = [
        {
          marketplaceId,
          asin: listing.asin,
          productType: listing.productType,
          conditionType: 'new_new',
          status: quantity > 0 ? ['BUYABLE', 'DISCOVERABLE'] : ['DISCOVERABLE'],
          itemName: listing.attributes['item_name']?.[0]?.['value'] ?? listing.sku,
          createdDate: listing.createdDate,
          lastUpdatedDate: listing.lastUpdatedDate,
        },
      ];
    }
    if (included.includes('attributes')) body['attributes'] = listing.attributes;
    if (included.includes('issues')) body['issues'] = [];
    if (included.includes('offers')) body['offers'] = [{ marketplaceId, offerType: 'B2C', price: { currencyCode: 'BRL', amount: priceOf(listing) } }];
    if (included.includes('fulfillmentAvailability')) {
      body['fulfillmentAvailability'] = (listing.attributes['fulfillment_availability'] ?? []).map((entry) => ({ fulfillmentChannelCode: entry['fulfillment_channel_code'], quantity: entry['quantity'] }));
    }
    return body;
  }

  function patchListingsItem(request: SandboxRequest): SandboxResponse {
    const listing = listingFor(request);
    if ('status' in listing) return listing;
    let input: unknown;
    try {
      input = parseJsonBody(request);
    } catch {
      return spError(400, 'InvalidInput', 'Request body is not valid JSON');
    }
    const body = input as { productType?: unknown; patches?: unknown } | undefined;
    if (!body || typeof body.productType !== 'string') return spError(400, 'InvalidInput', 'Missing required field productType');
    if (!Array.isArray(body.patches) || body.patches.length === 0) return spError(400, 'InvalidInput', 'patches must contain at least one patch operation');
    const issues: Array<Record<string, unknown>> = [];
    const changes: Array<{ op: string; name: string; value: AttributeValues | undefined }> = [];
    body.patches.forEach((patch: unknown, index) => {
      const { op, path, value } = (patch ?? {}) as { op?: unknown; path?: unknown; value?: unknown };
      const name = typeof path === 'string' ? /^\/attributes\/([a-z0-9_]+)$/.exec(path)?.[1] : undefined;
      const issue = (message: string) => issues.push({ code: '4000001', message: `patches[${index}]: ${message}`, severity: 'ERROR', attributeNames: name ? [name] : [], categories: ['INVALID_ATTRIBUTE'] });
      if (op !== 'add' && op !== 'replace' && op !== 'merge' && op !== 'delete') return issue(`op must be add, replace, merge or delete, not ${String(op)}`);
      if (!name) return issue(`path must be /attributes/{attribute name}, not ${String(path)}`);
      if (op !== 'delete' && !Array.isArray(value)) return issue('value must be a list of attribute values');
      // Amazon documents merge for fulfillment_availability (and a B2B purchasable_offer case the
      // sandbox does not model): refusing the rest keeps the sandbox at least as strict.
      if (op === 'merge' && name !== 'fulfillment_availability') return issue(`merge is not supported for ${name} in this sandbox`);
      if (name === 'fulfillment_availability' && Array.isArray(value)) {
        for (const entry of value as Array<Record<string, unknown>>) {
          if (typeof entry['fulfillment_channel_code'] !== 'string' || entry['fulfillment_channel_code'] === '') return issue('fulfillment_channel_code is required');
          if (entry['quantity'] !== undefined && (!Number.isInteger(entry['quantity']) || (entry['quantity'] as number) < 0)) return issue('quantity must be a non-negative integer');
        }
      }
      changes.push({ op, name, value: value as AttributeValues | undefined });
    });
    const submissionId = randomBytes(16).toString('hex');
    if (issues.length > 0) return json(200, { sku: listing.sku, status: 'INVALID', submissionId, issues });
    if (request.url.searchParams.get('mode') === 'VALIDATION_PREVIEW') return json(200, { sku: listing.sku, status: 'VALID', submissionId, issues: [] });
    for (const change of changes) {
      if (change.op === 'delete') delete listing.attributes[change.name];
      else if (change.op === 'merge') {
        // https://developer-docs.amazon.com/sp-api/docs/merge-a-listing: `merge` matches each
        // value on its selector (`fulfillment_channel_code`) and changes only the properties
        // the value names; `restock_date`, `lead_time_to_ship_max_days` and the rest stay.
        const merged = [...(listing.attributes[change.name] ?? [])];
        for (const incoming of change.value ?? []) {
          const at = merged.findIndex((entry) => entry['fulfillment_channel_code'] === incoming['fulfillment_channel_code']);
          if (at === -1) merged.push({ ...incoming });
          else merged[at] = { ...merged[at], ...incoming };
        }
        listing.attributes[change.name] = merged;
      } else {
        // `add` / `replace` (RFC 6902 as the Listings Items 2021-08-01 model describes
        // PatchOperation): the attribute becomes exactly the values sent, so a handling time
        // or restock date the request leaves out is gone.
        listing.attributes[change.name] = change.value ?? [];
      }
    }
    store.touch(listing);
    return json(200, { sku: listing.sku, status: 'ACCEPTED', submissionId, issues: [] });
  }

  /** Array parameters arrive comma-separated, as the SP-API clients send them. */
  function listParam(query: URLSearchParams, name: string): string[] | undefined {
    const value = query.get(name);
    return value === null ? undefined : value.split(',').filter((entry) => entry.length > 0);
  }

  /** The `includedData` datasets asked for, or an error naming the unknown one. */
  function datasets(query: URLSearchParams): Set<string> | SandboxResponse {
    const asked = listParam(query, 'includedData') ?? [];
    const unknown = asked.find((name) => !ORDER_DATASETS.includes(name));
    return unknown ? spError(400, 'InvalidInput', `Invalid includedData value: ${unknown}`) : new Set(asked);
  }

  /**
   * searchOrders (GET /orders/2026-01-01/orders), as orders_2026-01-01.json describes it: exactly
   * one of createdAfter / lastUpdatedAfter; a `*Before` only with its own `*After`, not before it
   * and at least two minutes in the past; `maxResultsPerPage` 1-100 (100 by default); the next
   * page with `paginationToken` and every other filter repeated unchanged (only
   * `maxResultsPerPage` and `includedData` may change), the token valid for 24 hours.
   */
  function searchOrders(request: SandboxRequest): SandboxResponse {
    const query = request.url.searchParams;
    const filters: Record<string, string> = {};
    for (const name of ['createdAfter', 'createdBefore', 'lastUpdatedAfter', 'lastUpdatedBefore', 'fulfillmentStatuses', 'marketplaceIds', 'fulfilledBy']) {
      const value = query.get(name);
      if (value !== null) filters[name] = value;
    }
    if (!filters['createdAfter'] === !filters['lastUpdatedAfter']) return spError(400, 'InvalidInput', 'Exactly one of createdAfter and lastUpdatedAfter must be provided');
    if (filters['createdAfter'] && filters['lastUpdatedBefore']) return spError(400, 'InvalidInput', 'lastUpdatedBefore cannot be provided with createdAfter');
    if (filters['lastUpdatedAfter'] && filters['createdBefore']) return spError(400, 'InvalidInput', 'createdBefore cannot be provided with lastUpdatedAfter');
    for (const name of ['createdAfter', 'createdBefore', 'lastUpdatedAfter', 'lastUpdatedBefore']) {
      if (filters[name] && Number.isNaN(Date.parse(filters[name]))) return spError(400, 'InvalidInput', `${name} is not a valid ISO 8601 date: ${filters[name]}`);
    }
    for (const [before, after] of [['createdBefore', 'createdAfter'], ['lastUpdatedBefore', 'lastUpdatedAfter']] as const) {
      if (!filters[before]) continue;
      if (Date.parse(filters[before]) < Date.parse(filters[after] ?? '')) return spError(400, 'InvalidInput', `${before} must be equal to or after ${after}`);
      if (Date.parse(filters[before]) > store.nowMs() - BEFORE_DATE_MARGIN_MS) return spError(400, 'InvalidInput', `${before} must be at least 2 minutes before the time of the request`);
    }
    const marketplaces = listParam(query, 'marketplaceIds');
    if (marketplaces && marketplaces.length > 50) return spError(400, 'InvalidInput', 'marketplaceIds accepts at most 50 values');
    const statuses = listParam(query, 'fulfillmentStatuses');
    const badStatus = statuses?.find((status) => !FULFILLMENT_STATUSES.includes(status));
    if (badStatus) return spError(400, 'InvalidInput', `Invalid fulfillmentStatuses value: ${badStatus}`);
    const fulfilledBy = listParam(query, 'fulfilledBy');
    const badParty = fulfilledBy?.find((party) => party !== 'MERCHANT' && party !== 'AMAZON');
    if (badParty) return spError(400, 'InvalidInput', `Invalid fulfilledBy value: ${badParty}`);
    const pageSize = Number(query.get('maxResultsPerPage') ?? MAX_RESULTS_PER_PAGE);
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_RESULTS_PER_PAGE) return spError(400, 'InvalidInput', `maxResultsPerPage must be between 1 and ${MAX_RESULTS_PER_PAGE}`);
    const included = datasets(query);
    if ('status' in included) return included;
    const byUpdate = Boolean(filters['lastUpdatedAfter']);
    const boundName = byUpdate ? 'lastUpdatedBefore' : 'createdBefore';
    let offset = 0;
    let bound = filters[boundName] ?? store.timestamp(-BEFORE_DATE_MARGIN_MS);
    const paginationToken = query.get('paginationToken');
    if (paginationToken) {
      let decoded: { filters: Record<string, string>; offset: number; bound: string; issuedAt: number };
      try {
        decoded = JSON.parse(Buffer.from(paginationToken, 'base64url').toString('utf8')) as typeof decoded;
      } catch {
        return spError(400, 'InvalidInput', 'Invalid paginationToken');
      }
      if (store.nowMs() - decoded.issuedAt > PAGINATION_TOKEN_TTL_MS) return spError(400, 'InvalidInput', 'The paginationToken has expired');
      if (JSON.stringify(decoded.filters) !== JSON.stringify(filters)) return spError(400, 'InvalidInput', 'The request parameters must be the same as those of the request that returned the paginationToken');
      offset = decoded.offset;
      bound = decoded.bound;
    }
    const inRange = (value: string, after: string | undefined) => !after || Date.parse(value) >= Date.parse(after);
    const explicitBound = filters[boundName];
    const matching = [...store.orders.values()]
      .filter((order) => !marketplaces || marketplaces.includes(order.marketplaceId))
      .filter((order) => (byUpdate ? inRange(order.lastUpdateDate, filters['lastUpdatedAfter']) : inRange(order.purchaseDate, filters['createdAfter'])))
      // Only a bound the caller set filters; the implied one (now − 2 min) is stated, as Amazon does, and newer orders still show.
      .filter((order) => !explicitBound || Date.parse(byUpdate ? order.lastUpdateDate : order.purchaseDate) <= Date.parse(explicitBound))
      .filter((order) => !statuses || statuses.includes(order.status))
      .filter((order) => !fulfilledBy || fulfilledBy.includes(order.fulfilledBy))
      .sort((left, right) => Date.parse(byUpdate ? left.lastUpdateDate : left.purchaseDate) - Date.parse(byUpdate ? right.lastUpdateDate : right.purchaseDate) || left.amazonOrderId.localeCompare(right.amazonOrderId));
    const body: Record<string, unknown> = { orders: matching.slice(offset, offset + pageSize).map((order) => orderJson(order, included)) };
    if (offset + pageSize < matching.length) {
      body['pagination'] = { nextToken: Buffer.from(JSON.stringify({ filters, offset: offset + pageSize, bound, issuedAt: store.nowMs() })).toString('base64url') };
    }
    body[boundName] = bound;
    return json(200, body);
  }

  /** getOrder (GET /orders/2026-01-01/orders/{orderId}): `{ order }`, items always included. */
  function getOrder(request: SandboxRequest): SandboxResponse {
    const included = datasets(request.url.searchParams);
    if ('status' in included) return included;
    const orderId = request.params['orderId'] ?? '';
    const order = store.orders.get(orderId);
    return order ? json(200, { order: orderJson(order, included) }) : spError(404, 'NotFound', `Order ${orderId} not found`);
  }

  /**
   * confirmShipment (POST /orders/v0/orders/{orderId}/shipmentConfirmation): `{ packageDetail,
   * marketplaceId }`, 204 with no body when taken. https://developer-docs.amazon.com/sp-api/reference/confirmshipment
   */
  function confirmShipment(request: SandboxRequest): SandboxResponse {
    let body: Record<string, unknown>;
    try {
      body = (parseJsonBody(request) ?? {}) as Record<string, unknown>;
    } catch {
      return spError(400, 'InvalidInput', 'The request body is not valid JSON');
    }
    const orderId = request.params['orderId'] ?? '';
    if (body['marketplaceId'] !== marketplaceId) return spError(400, 'InvalidInput', `Invalid marketplaceId: ${String(body['marketplaceId'] ?? '(missing)')}`);
    const order = store.orders.get(orderId);
    if (!order) return spError(404, 'NotFound', `Order ${orderId} not found`);
    const detail = body['packageDetail'] as Record<string, unknown> | undefined;
    if (!detail || typeof detail !== 'object') return spError(400, 'InvalidInput', 'packageDetail is required');
    const text = (name: string) => (typeof detail[name] === 'string' && (detail[name] as string).length > 0 ? (detail[name] as string) : null);
    const reference = text('packageReferenceId');
    // "Only positive numeric values are supported."
    if (!reference || !/^[1-9]\d*$/.test(reference)) return spError(400, 'InvalidInput', 'packageReferenceId must be a positive number');
    const carrierCode = text('carrierCode');
    if (!carrierCode) return spError(400, 'InvalidInput', 'carrierCode is required');
    if (carrierCode === 'Other' && !text('carrierName')) return spError(400, 'InvalidInput', 'carrierName is required when carrierCode is Other');
    const trackingNumber = text('trackingNumber');
    if (!trackingNumber) return spError(400, 'InvalidInput', 'trackingNumber is required');
    const shipDate = text('shipDate');
    if (!shipDate || Number.isNaN(Date.parse(shipDate))) return spError(400, 'InvalidInput', 'shipDate must be an ISO 8601 date-time');
    const items = detail['orderItems'];
    if (!Array.isArray(items) || items.length === 0) return spError(400, 'InvalidInput', 'orderItems is required');
    const lines: Array<{ orderItemId: string; quantity: number }> = [];
    for (const item of items as Array<Record<string, unknown>>) {
      if (typeof item['orderItemId'] !== 'string' || !Number.isInteger(item['quantity']) || (item['quantity'] as number) < 1) return spError(400, 'InvalidInput', 'Each orderItems entry needs an orderItemId and a positive quantity');
      lines.push({ orderItemId: item['orderItemId'], quantity: item['quantity'] as number });
    }
    const refused = store.confirmShipment(order, { packageReferenceId: reference, carrierCode, carrierName: text('carrierName'), shippingMethod: text('shippingMethod'), trackingNumber, shipDate, items: lines });
    if (refused) return spError(400, 'InvalidInput', refused);
    return { status: 204, body: undefined, headers: {} };
  }

  function lwaToken(request: SandboxRequest): SandboxResponse {
    if (request.method !== 'POST') return json(405, { error: 'invalid_request', error_description: 'Only POST is supported' });
    const form = parseFormOrJson(request);
    if (form['client_id'] !== lwa.clientId || form['client_secret'] !== lwa.clientSecret) return json(401, { error: 'invalid_client', error_description: 'Client authentication failed' });
    if (form['grant_type'] !== 'refresh_token') return json(400, { error: 'unsupported_grant_type', error_description: `The grant type ${form['grant_type'] ?? '(missing)'} is not supported here` });
    if (form['refresh_token'] !== lwa.refreshToken) return json(400, { error: 'invalid_grant', error_description: 'The request has an invalid grant parameter : refresh_token' });
    const issued = `Atza|${randomBytes(24).toString('base64url')}`;
    accessTokens.set(issued, parts.now() + LWA_TOKEN_TTL_SECONDS * 1000);
    return json(200, { access_token: issued, refresh_token: lwa.refreshToken, token_type: 'bearer', expires_in: LWA_TOKEN_TTL_SECONDS });
  }

  async function handle(request: SandboxRequest): Promise<SandboxResponse> {
    // Stands in for https://api.amazon.com/auth/o2/token (Login with Amazon).
    if (request.path === '/auth/o2/token') return lwaToken(request);
    const headers = { 'x-amzn-RequestId': requestId() };
    const matched = operations.match(request.method, request.path);
    if (matched === undefined || matched === 'method-not-allowed') {
      return withHeaders(spError(404, 'NotFound', `Resource not found: ${request.method} ${request.path}`), headers);
    }
    const operation = await matched.handler(request, undefined);
    const rateHeader = { ...headers, 'x-amzn-RateLimit-Limit': String(limits[operation].rate) };
    const token = header(request, 'x-amz-access-token');
    const expiresAt = token ? accessTokens.get(token) : undefined;
    if (!token || expiresAt === undefined) return withHeaders(spError(403, 'Unauthorized', 'Access to requested resource is denied.', token ? 'The access token you provided is revoked, malformed or invalid.' : ''), headers);
    if (expiresAt <= parts.now()) return withHeaders(spError(403, 'Unauthorized', 'Access to requested resource is denied.', 'The access token you provided has expired.'), headers);
    if (!buckets[operation].tryTake(1)) {
      return { ...withHeaders(spError(429, 'QuotaExceeded', 'You exceeded your quota for the requested resource.'), rateHeader), rateLimited: true };
    }
    return withHeaders(handlers[operation]({ ...request, params: matched.params }), rateHeader);
  }

  function operationFor(request: SandboxRequest): SpApiOperation | null {
    const matched = operations.match(request.method, request.path);
    return matched === undefined || matched === 'method-not-allowed' ? null : (matched.handler(request, undefined) as SpApiOperation);
  }

  const control: SandboxControlAdapter = {
    seed: (input) => store.seed(seedInputFrom(input, 'AMAZON')),
    placeOrder: (input) => store.placeOrder(input),
    cancelOrder: (orderId) => store.cancelOrder(orderId),
    fulfilOrder: (orderId) => store.fulfilOrder(orderId),
    shopperView: (orderId) => store.shopperView(orderId),
    setStock: (edit) => store.setStock(edit),
    stock: () => store.listedStock(),
    resetRateLimits: () => {
      for (const bucket of Object.values(buckets)) bucket.reset();
    },
    routes: [
      {
        // Who fulfils the orders placed from now on: the seller (MFN) or Amazon (FBA).
        method: 'PUT',
        path: '/_sandbox/fulfilled-by',
        handle(request) {
          const input = parseJsonBody(request) as { fulfilledBy?: unknown } | undefined;
          if (input?.fulfilledBy !== 'MERCHANT' && input?.fulfilledBy !== 'AMAZON') throw new ControlError(400, 'BAD_REQUEST', 'fulfilledBy must be MERCHANT or AMAZON');
          store.fulfilledBy = input.fulfilledBy;
          return json(200, { fulfilledBy: store.fulfilledBy });
        },
      },
    ],
  };

  const server = createSandboxServer({
    platform: 'amazon',
    api: {
      handle,
      serverError: (status) => withHeaders(spError(status, status === 503 ? 'ServiceUnavailable' : 'InternalFailure', status === 503 ? 'Service temporarily unavailable. Please retry.' : 'We encountered an internal error. Please try again.'), { 'x-amzn-RequestId': requestId() }),
      operationOf: (request) => operationFor(request),
    },
    control,
    webhooks,
    ...parts,
  });

  return {
    listen: (port, host) => server.listen(port, host),
    close: () => server.close(),
    get url() {
      return server.url;
    },
    store,
    buckets,
    callLog: parts.callLog,
    faults: parts.faults,
    sellerId,
    marketplaceId,
    accessToken,
    lwa,
  };
}

function withHeaders(response: SandboxResponse, headers: Record<string, string>): SandboxResponse {
  return { ...response, headers: { ...response.headers, ...headers } };
}

/**
 * An Orders v2026-01-01 `Order` (orders_2026-01-01.json): `orderId`, `createdTime`,
 * `lastUpdatedTime`, `salesChannel` and `orderItems` always; `fulfillment` (order and items) and
 * `proceeds` only when `includedData` asks for FULFILLMENT / PROCEEDS, so a client that forgets
 * to ask sees no status, as on Amazon.
 */
function orderJson(order: AmazonOrder, included: ReadonlySet<string>): Record<string, unknown> {
  const total = order.items.reduce((sum, item) => sum + Math.round(Number(item.unitPrice) * 100) * item.quantityOrdered, 0);
  const purchase = Date.parse(order.purchaseDate);
  const body: Record<string, unknown> = {
    orderId: order.amazonOrderId,
    createdTime: order.purchaseDate,
    lastUpdatedTime: order.lastUpdateDate,
    programs: [],
    salesChannel: { channelName: 'AMAZON', marketplaceId: order.marketplaceId, marketplaceName: 'Amazon.com.br' },
  };
  // Orders 2026-01-01 `OrderProceeds`: the grand total and its breakdown by category (ITEM, SHIPPING, TAX, ...).
  if (included.has('PROCEEDS')) {
    const amount = (cents: number) => ({ currencyCode: 'BRL', amount: (cents / 100).toFixed(2) });
    body['proceeds'] = { grandTotal: amount(total), breakdowns: [{ type: 'ITEM', subtotal: amount(total) }, { type: 'SHIPPING', subtotal: amount(0) }, { type: 'TAX', subtotal: amount(0) }] };
  }
  // `buyer` and `recipient` (BUYER, RECIPIENT): personal data, as Amazon gives it to a merchant-fulfilled seller.
  if (included.has('BUYER')) body['buyer'] = { buyerName: `${order.shopper.firstName} ${order.shopper.lastName}`, buyerEmail: `${order.shopper.firstName.toLowerCase()}.${order.amazonOrderId.slice(-7)}@marketplace.amazon.com.br` };
  if (included.has('RECIPIENT')) {
    const { address } = order.shopper;
    body['recipient'] = { deliveryAddress: { name: `${order.shopper.firstName} ${order.shopper.lastName}`, addressLine1: `${address.street}, ${address.number}`, addressLine2: address.district, city: address.city, stateOrRegion: address.state, postalCode: address.postalCode, countryCode: 'BR', phone: order.shopper.phone, addressType: 'RESIDENTIAL' } };
  }
  if (included.has('FULFILLMENT')) {
    body['fulfillment'] = {
      fulfillmentStatus: order.status,
      fulfilledBy: order.fulfilledBy,
      fulfillmentServiceLevel: 'STANDARD',
      shipByWindow: { earliestDateTime: new Date(purchase).toISOString().replace('.000Z', 'Z'), latestDateTime: new Date(purchase + 2 * 86_400_000).toISOString().replace('.000Z', 'Z') },
    };
  }
  // OrderPackage of orders_2026-01-01.json, for merchant-fulfilled orders.
  if (included.has('PACKAGES')) {
    body['packages'] = order.packages.map((pkg) => ({
      packageReferenceId: pkg.packageReferenceId,
      createdTime: pkg.createdTime,
      carrier: pkg.carrierName ?? pkg.carrierCode,
      shippingService: pkg.shippingMethod,
      shipTime: pkg.shipDate,
      trackingNumber: pkg.trackingNumber,
      packageStatus: { status: 'IN_TRANSIT' },
      packageItems: pkg.items.map((line) => ({ orderItemId: line.orderItemId, quantity: line.quantity })),
    }));
  }
  body['orderItems'] = order.items.map((item) => ({
    orderItemId: item.orderItemId,
    quantityOrdered: item.quantityOrdered,
    product: {
      asin: item.asin,
      title: item.title,
      sellerSku: item.sku,
      condition: { conditionType: 'NEW', conditionSubtype: 'NEW' },
      price: { unitPrice: { currencyCode: 'BRL', amount: item.unitPrice } },
    },
    ...(included.has('PROCEEDS') ? { proceeds: { proceedsTotal: { currencyCode: 'BRL', amount: (Number(item.unitPrice) * item.quantityOrdered).toFixed(2) } } } : {}),
    ...(included.has('FULFILLMENT') ? { fulfillment: { quantityFulfilled: item.quantityShipped, quantityUnfulfilled: order.status === 'CANCELLED' ? 0 : item.quantityOrdered - item.quantityShipped } } : {}),
  }));
  return body;
}
