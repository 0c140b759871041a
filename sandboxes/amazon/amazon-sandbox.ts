/**
 * Amazon Selling Partner API sandbox: Listings Items 2021-08-01 (GET and JSON-Patch PATCH of
 * `/attributes/fulfillment_availability`, searchListingsItems by up to 20 SKUs), Orders v0 (getOrders with NextToken paging,
 * getOrder, getOrderItems), the `x-amz-access-token` header issued by a Login with Amazon
 * stand-in, and a token bucket per operation with Amazon's rate and burst, answered with
 * `x-amzn-RateLimit-Limit` and 429 QuotaExceeded.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { seedInputFrom } from '../common/catalog.ts';
import type { SeedInput } from '../common/catalog.ts';
import type { SandboxControlAdapter } from '../common/control-api.ts';
import { header, json, parseFormOrJson, parseJsonBody, Router } from '../common/http.ts';
import type { SandboxRequest, SandboxResponse } from '../common/http.ts';
import { createSandboxParts, createSandboxServer } from '../common/sandbox-server.ts';
import type { SandboxServer } from '../common/sandbox-server.ts';
import { TokenBucket } from '../common/token-bucket.ts';
import { WebhookDispatcher } from '../common/webhooks.ts';
import { AmazonStore, BRAZIL_MARKETPLACE_ID, merchantQuantity, priceOf } from './store.ts';
import type { AmazonListing, AmazonOrder, AttributeValues } from './store.ts';

export type SpApiOperation = 'getListingsItem' | 'searchListingsItems' | 'patchListingsItem' | 'getOrders' | 'getOrder' | 'getOrderItems';

/** Amazon's default usage plans (requests per second, burst), as its API models publish them. */
export const SP_API_RATE_LIMITS: Record<SpApiOperation, { rate: number; burst: number }> = {
  getListingsItem: { rate: 5, burst: 10 },
  searchListingsItems: { rate: 5, burst: 5 },
  patchListingsItem: { rate: 5, burst: 5 },
  getOrders: { rate: 0.0167, burst: 20 },
  getOrder: { rate: 0.5, burst: 30 },
  getOrderItems: { rate: 0.5, burst: 30 },
};

export const LWA_TOKEN_TTL_SECONDS = 3600;
export const MAX_RESULTS_PER_PAGE = 100;
/** getOrders' `*Before` dates must be at least this far in the past. */
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
    .add('GET', '/orders/v0/orders', () => 'getOrders')
    .add('GET', '/orders/v0/orders/:orderId', () => 'getOrder')
    .add('GET', '/orders/v0/orders/:orderId/orderItems', () => 'getOrderItems');
  const handlers: Record<SpApiOperation, (request: SandboxRequest) => SandboxResponse> = { getListingsItem, searchListingsItems, patchListingsItem, getOrders, getOrder, getOrderItems };

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
      if (name === 'fulfillment_availability' && Array.isArray(value)) {
        for (const entry of value as Array<Record<string, unknown>>) {
          if (typeof entry['fulfillment_channel_code'] !== 'string') return issue('fulfillment_channel_code is required');
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
      else if (change.op === 'merge' && change.name === 'fulfillment_availability') {
        // Merge per fulfillment channel: the DEFAULT entry is replaced, FBA entries are kept.
        const incoming = change.value ?? [];
        const codes = new Set(incoming.map((entry) => entry['fulfillment_channel_code']));
        listing.attributes[change.name] = [...(listing.attributes[change.name] ?? []).filter((entry) => !codes.has(entry['fulfillment_channel_code'])), ...incoming];
      } else listing.attributes[change.name] = change.value ?? [];
    }
    store.touch(listing);
    return json(200, { sku: listing.sku, status: 'ACCEPTED', submissionId, issues: [] });
  }

  function getOrders(request: SandboxRequest): SandboxResponse {
    const query = request.url.searchParams;
    const marketplaces = query.get('MarketplaceIds');
    if (!marketplaces) return spError(400, 'InvalidInput', 'Missing required parameter MarketplaceIds');
    let filters: Record<string, string>;
    let offset = 0;
    const nextToken = query.get('NextToken');
    if (nextToken) {
      try {
        const decoded = JSON.parse(Buffer.from(nextToken, 'base64').toString('utf8')) as { filters: Record<string, string>; offset: number };
        filters = decoded.filters;
        offset = decoded.offset;
      } catch {
        return spError(400, 'InvalidInput', 'Invalid NextToken');
      }
    } else {
      filters = {};
      for (const name of ['CreatedAfter', 'CreatedBefore', 'LastUpdatedAfter', 'LastUpdatedBefore', 'OrderStatuses', 'MaxResultsPerPage']) {
        const value = query.get(name);
        if (value !== null) filters[name] = value;
      }
      if (!filters['CreatedAfter'] && !filters['LastUpdatedAfter']) return spError(400, 'InvalidInput', 'Either CreatedAfter or LastUpdatedAfter must be specified');
      if (filters['CreatedAfter'] && filters['LastUpdatedAfter']) return spError(400, 'InvalidInput', 'CreatedAfter and LastUpdatedAfter cannot both be specified');
      for (const name of ['CreatedAfter', 'CreatedBefore', 'LastUpdatedAfter', 'LastUpdatedBefore']) {
        if (filters[name] && Number.isNaN(Date.parse(filters[name]))) return spError(400, 'InvalidInput', `${name} is not a valid ISO 8601 date: ${filters[name]}`);
      }
      for (const name of ['CreatedBefore', 'LastUpdatedBefore']) {
        if (filters[name] && Date.parse(filters[name]) > store.nowMs() - BEFORE_DATE_MARGIN_MS) return spError(400, 'InvalidInput', `${name} must be at least 2 minutes before the time of the request`);
      }
    }
    const pageSize = Number(filters['MaxResultsPerPage'] ?? MAX_RESULTS_PER_PAGE);
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_RESULTS_PER_PAGE) return spError(400, 'InvalidInput', `MaxResultsPerPage must be between 1 and ${MAX_RESULTS_PER_PAGE}`);
    const byUpdate = Boolean(filters['LastUpdatedAfter']);
    const statuses = filters['OrderStatuses']?.split(',');
    const inRange = (value: string, after: string | undefined, before: string | undefined) => (!after || Date.parse(value) >= Date.parse(after)) && (!before || Date.parse(value) <= Date.parse(before));
    const matching = [...store.orders.values()]
      .filter((order) => marketplaces.split(',').includes(order.marketplaceId))
      .filter((order) => (byUpdate ? inRange(order.lastUpdateDate, filters['LastUpdatedAfter'], filters['LastUpdatedBefore']) : inRange(order.purchaseDate, filters['CreatedAfter'], filters['CreatedBefore'])))
      .filter((order) => !statuses || statuses.includes(order.status))
      .sort((left, right) => Date.parse(byUpdate ? left.lastUpdateDate : left.purchaseDate) - Date.parse(byUpdate ? right.lastUpdateDate : right.purchaseDate) || left.amazonOrderId.localeCompare(right.amazonOrderId));
    const page = matching.slice(offset, offset + pageSize);
    const payload: Record<string, unknown> = { Orders: page.map(orderJson) };
    if (offset + pageSize < matching.length) payload['NextToken'] = Buffer.from(JSON.stringify({ filters, offset: offset + pageSize })).toString('base64');
    payload[byUpdate ? 'LastUpdatedBefore' : 'CreatedBefore'] = filters[byUpdate ? 'LastUpdatedBefore' : 'CreatedBefore'] ?? store.timestamp(-BEFORE_DATE_MARGIN_MS);
    return json(200, { payload });
  }

  function orderNotFound(orderId: string): SandboxResponse {
    return spError(404, 'InvalidInput', `Invalid order ID: ${orderId}`);
  }

  function getOrder(request: SandboxRequest): SandboxResponse {
    const orderId = request.params['orderId'] ?? '';
    const order = store.orders.get(orderId);
    return order ? json(200, { payload: orderJson(order) }) : orderNotFound(orderId);
  }

  function getOrderItems(request: SandboxRequest): SandboxResponse {
    const orderId = request.params['orderId'] ?? '';
    const order = store.orders.get(orderId);
    if (!order) return orderNotFound(orderId);
    return json(200, {
      payload: {
        AmazonOrderId: order.amazonOrderId,
        OrderItems: order.items.map((item) => ({
          ASIN: item.asin,
          SellerSKU: item.sku,
          OrderItemId: item.orderItemId,
          Title: item.title,
          QuantityOrdered: item.quantityOrdered,
          QuantityShipped: item.quantityShipped,
          ProductInfo: { NumberOfItems: '1' },
          ItemPrice: { CurrencyCode: 'BRL', Amount: (Number(item.unitPrice) * item.quantityOrdered).toFixed(2) },
          ItemTax: { CurrencyCode: 'BRL', Amount: '0.00' },
          PromotionDiscount: { CurrencyCode: 'BRL', Amount: '0.00' },
          IsGift: 'false',
          ConditionId: 'New',
          ConditionSubtypeId: 'New',
          IsTransparency: false,
          SerialNumberRequired: false,
        })),
      },
    });
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
    setStock: (edit) => store.setStock(edit),
    stock: () => store.listedStock(),
    resetRateLimits: () => {
      for (const bucket of Object.values(buckets)) bucket.reset();
    },
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

function orderJson(order: AmazonOrder): Record<string, unknown> {
  const total = order.items.reduce((sum, item) => sum + Math.round(Number(item.unitPrice) * 100) * item.quantityOrdered, 0);
  const shipped = order.items.reduce((sum, item) => sum + item.quantityShipped, 0);
  const ordered = order.items.reduce((sum, item) => sum + item.quantityOrdered, 0);
  const purchase = Date.parse(order.purchaseDate);
  return {
    AmazonOrderId: order.amazonOrderId,
    PurchaseDate: order.purchaseDate,
    LastUpdateDate: order.lastUpdateDate,
    OrderStatus: order.status,
    FulfillmentChannel: 'MFN',
    SalesChannel: 'Amazon.com.br',
    ShipServiceLevel: 'Std BR Dom',
    ...(order.status === 'Pending' ? {} : { OrderTotal: { CurrencyCode: 'BRL', Amount: (total / 100).toFixed(2) } }),
    NumberOfItemsShipped: shipped,
    NumberOfItemsUnshipped: order.status === 'Canceled' ? 0 : ordered - shipped,
    PaymentMethod: 'Other',
    PaymentMethodDetails: ['Standard'],
    MarketplaceId: order.marketplaceId,
    ShipmentServiceLevelCategory: 'Standard',
    OrderType: 'StandardOrder',
    EarliestShipDate: new Date(purchase).toISOString().replace('.000Z', 'Z'),
    LatestShipDate: new Date(purchase + 2 * 86_400_000).toISOString().replace('.000Z', 'Z'),
    IsBusinessOrder: false,
    IsPrime: false,
    IsPremiumOrder: false,
    IsGlobalExpressEnabled: false,
    IsReplacementOrder: false,
    IsSoldByAB: false,
    IsISPU: false,
    IsAccessPointOrder: false,
    HasRegulatedItems: false,
  };
}
