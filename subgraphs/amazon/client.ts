/**
 * A small typed client for the Selling Partner API operations Ponte uses, built on the platform
 * kit's `createPlatformFetch` (timeouts, retries with backoff and jitter) and a token bucket per
 * operation with Amazon's published usage plans.
 *
 * Why not the @sp-api-sdk clients: their `*ApiClient` wrappers take their endpoint from a fixed
 * region table and exchange tokens at Amazon's own LWA host, and their generated classes bring
 * axios with its own retry and rate-limit layer. Ponte needs one retry policy, a limiter it can
 * configure and observe, and both hosts configurable; the SDK's published types still name
 * every field (see dictionary.ts).
 */
import type { Item, ItemSearchResults, ListingsItemPatchRequest, ListingsItemSubmissionResponse } from '@sp-api-sdk/listings-items-api-2021-08-01';
import type { GetOrderResponse, Order, SearchOrdersResponse } from '@sp-api-sdk/orders-api-2026-01-01';
import { createPlatformFetch, PlatformRequestError, TokenBucket, type PlatformFetch, type RequestLimiter } from '../platform-common/platform-fetch.ts';
import type { Logger } from '../../kit/logger.ts';

export type SpApiOperation = 'searchListingsItems' | 'getListingsItem' | 'patchListingsItem' | 'searchOrders' | 'getOrder' | 'confirmShipment';

export interface RateLimit {
  /** Requests per second restored to the bucket. */
  rate: number;
  burst: number;
}

/** Amazon's default usage plans (rate per second, burst), as its API models publish them. */
export const SP_API_USAGE_PLANS: Readonly<Record<SpApiOperation, RateLimit>> = {
  searchListingsItems: { rate: 5, burst: 5 },
  getListingsItem: { rate: 5, burst: 10 },
  // Listings Items 2021-08-01 model (and @sp-api-sdk's table): patch refills 5/s but bursts only 5.
  patchListingsItem: { rate: 5, burst: 5 },
  // Orders API v2026-01-01 (models/orders-api-model/orders_2026-01-01.json in
  // amzn/selling-partner-api-models): v0's getOrders/getOrderItems are deprecated, to be gone by
  // 27 March 2027 (https://developer-docs.amazon.com/sp-api/docs/orders-api-migration-guide).
  searchOrders: { rate: 0.0056, burst: 20 },
  getOrder: { rate: 0.5, burst: 30 },
  // https://developer-docs.amazon.com/sp-api/reference/confirmshipment
  confirmShipment: { rate: 2, burst: 10 },
};

/** searchListingsItems takes at most 20 identifiers, and pages of at most 20. */
export const MAX_SKUS_PER_LISTINGS_SEARCH = 20;
/** searchOrders pages hold at most 100 orders (`maxResultsPerPage`, orders_2026-01-01.json). */
const ORDERS_PAGE_SIZE = 100;
/**
 * The datasets Ponte asks orders for: FULFILLMENT carries the status, who fulfils and each item's
 * shipped quantity; items come with every order. Nothing personal (BUYER, RECIPIENT) is asked for.
 */
// FULFILLMENT for the status, PROCEEDS for the amounts, RECIPIENT for the ship-to CEP (orders_2026-01-01.json `includedData`).
const ORDER_DATASETS = 'FULFILLMENT,PROCEEDS,RECIPIENT';
/** A fresh access token is fetched this long before the current one expires. */
const TOKEN_REFRESH_MARGIN_MS = 60_000;
const DEFAULT_LWA_TIMEOUT_MS = 10_000;
/**
 * Our buckets refill a little slower than Amazon's: Amazon counts a call when it arrives, and
 * uneven network latency can bring two calls closer together there than they left here.
 */
const RATE_SAFETY_FACTOR = 0.9;
const BURST_RESERVE = 1;

export interface AmazonClientOptions {
  /** SP-API endpoint, e.g. `https://sellingpartnerapi-na.amazon.com` (or the sandbox's URL). */
  baseUrl: string;
  /** Login with Amazon: token endpoint (`https://api.amazon.com/auth/o2/token`), app credentials, seller's refresh token. */
  lwa: { tokenUrl: string; clientId: string; clientSecret: string; refreshToken: string };
  sellerId: string;
  marketplaceId: string;
  /** Per-operation overrides of Amazon's usage plans (tests use larger buckets). */
  rateLimits?: Partial<Record<SpApiOperation, RateLimit>>;
  /**
   * Listing reads serve a GraphQL request: fail fast so the field degrades instead of the query hanging.
   * @default { timeoutMs: 3000, maxAttempts: 2 }
   */
  interactive?: { timeoutMs?: number; maxAttempts?: number };
  /**
   * Order polling runs in the background and can afford to be patient.
   * @default { timeoutMs: 10000, maxAttempts: 4 }
   */
  background?: { timeoutMs?: number; maxAttempts?: number };
  /** First backoff step between retries. @default 250 */
  retryBaseDelayMs?: number;
  log: Logger;
  fetch?: typeof fetch;
}

/** Amazon could not be reached or refused the call; `code` is SP-API's error code when it sent one. */
export class AmazonApiError extends Error {
  readonly operation: SpApiOperation | 'lwaToken' | 'client';
  readonly status: number | undefined;
  readonly code: string;
  /** On a 429: one refill interval at the rate Amazon applied (`x-amzn-RateLimit-Limit`), when it said. */
  readonly retryAfterMs: number | undefined;

  constructor(operation: SpApiOperation | 'lwaToken' | 'client', message: string, status: number | undefined, code: string, options?: { cause?: unknown; retryAfterMs?: number | undefined }) {
    super(message, options);
    this.name = 'AmazonApiError';
    this.operation = operation;
    this.status = status;
    this.code = code;
    this.retryAfterMs = options?.retryAfterMs;
  }
}

export class AmazonClient {
  readonly sellerId: string;
  readonly marketplaceId: string;
  readonly limiter: SpApiRateLimiter;
  readonly #options: AmazonClientOptions;
  readonly #interactive: PlatformFetch;
  readonly #background: PlatformFetch;
  readonly #log: Logger;
  #accessToken: { value: string; expiresAt: number } | undefined;
  #refreshing: Promise<string> | undefined;

  constructor(options: AmazonClientOptions) {
    for (const [name, value] of Object.entries({ baseUrl: options.baseUrl, sellerId: options.sellerId, marketplaceId: options.marketplaceId, ...options.lwa })) {
      if (!value) throw new Error(`The Amazon client needs ${name}`);
    }
    this.#options = options;
    this.sellerId = options.sellerId;
    this.marketplaceId = options.marketplaceId;
    this.#log = options.log.child({ component: 'sp-api' });
    this.limiter = new SpApiRateLimiter({ ...SP_API_USAGE_PLANS, ...options.rateLimits });
    const common = { limiter: this.limiter, baseDelayMs: options.retryBaseDelayMs ?? 250, sleep: (ms: number) => this.limiter.sleep(ms), ...(options.fetch ? { fetch: options.fetch } : {}) };
    this.#interactive = createPlatformFetch({ ...common, timeoutMs: options.interactive?.timeoutMs ?? 3000, maxAttempts: options.interactive?.maxAttempts ?? 2 });
    this.#background = createPlatformFetch({ ...common, timeoutMs: options.background?.timeoutMs ?? 10_000, maxAttempts: options.background?.maxAttempts ?? 4 });
  }

  /** Listings for up to 20 SKUs in one searchListingsItems call; SKUs not listed are simply absent. */
  async listingsForSkus(skus: readonly string[]): Promise<Item[]> {
    if (skus.length === 0) return [];
    if (skus.length > MAX_SKUS_PER_LISTINGS_SEARCH) throw new RangeError(`searchListingsItems takes at most ${MAX_SKUS_PER_LISTINGS_SEARCH} SKUs, got ${skus.length}`);
    const items: Item[] = [];
    let pageToken: string | undefined;
    do {
      const page = await this.#call<ItemSearchResults>(this.#interactive, 'searchListingsItems', `/listings/2021-08-01/items/${encodeURIComponent(this.sellerId)}`, {
        marketplaceIds: this.marketplaceId,
        identifiers: skus.join(','),
        identifiersType: 'SKU',
        includedData: 'summaries,offers,fulfillmentAvailability,issues',
        pageSize: String(MAX_SKUS_PER_LISTINGS_SEARCH),
        ...(pageToken ? { pageToken } : {}),
      });
      items.push(...page.items);
      pageToken = page.pagination?.nextToken;
    } while (pageToken);
    return items;
  }

  /**
   * One listing (getListingsItem), for the background work that needs a single SKU's details
   * (the product type a patch must name). Throws AmazonApiError 404 `NOT_FOUND` when not listed.
   */
  async listingItem(sku: string, includedData: readonly string[] = ['summaries', 'fulfillmentAvailability']): Promise<Item> {
    return this.#call<Item>(this.#background, 'getListingsItem', this.#listingPath(sku), { marketplaceIds: this.marketplaceId, includedData: includedData.join(',') });
  }

  /**
   * Partially updates one listing (patchListingsItem). Amazon answers 200 for both ACCEPTED and
   * INVALID submissions; the caller reads `status` and `issues`.
   */
  async patchListing(sku: string, request: ListingsItemPatchRequest): Promise<ListingsItemSubmissionResponse> {
    return this.#call<ListingsItemSubmissionResponse>(this.#background, 'patchListingsItem', this.#listingPath(sku), { marketplaceIds: this.marketplaceId }, { method: 'PATCH', body: request });
  }

  /**
   * Every merchant-fulfilled order updated at or after `lastUpdatedAfter` (searchOrders), with
   * its items, following `pagination.nextToken`: each next page repeats every filter, as the
   * model requires. `lastUpdatedBefore` is the upper bound Amazon applied: every order updated up
   * to it is in the list.
   */
  async ordersUpdatedSince(lastUpdatedAfter: string): Promise<{ orders: Order[]; lastUpdatedBefore: string | undefined }> {
    const orders: Order[] = [];
    let lastUpdatedBefore: string | undefined;
    let paginationToken: string | undefined;
    const filters = { marketplaceIds: this.marketplaceId, lastUpdatedAfter, fulfilledBy: 'MERCHANT', includedData: ORDER_DATASETS, maxResultsPerPage: String(ORDERS_PAGE_SIZE) };
    do {
      const page = await this.#call<SearchOrdersResponse>(this.#background, 'searchOrders', '/orders/2026-01-01/orders', paginationToken ? { ...filters, paginationToken } : filters);
      if (!Array.isArray(page.orders)) throw new AmazonApiError('searchOrders', 'searchOrders answered without orders', 200, 'InvalidResponse');
      orders.push(...page.orders);
      lastUpdatedBefore ??= page.lastUpdatedBefore;
      paginationToken = page.pagination?.nextToken;
    } while (paginationToken);
    return { orders, lastUpdatedBefore };
  }

  /** One order with its items and fulfilment (getOrder). Throws AmazonApiError 404 when Amazon has no such order. */
  async order(orderId: string): Promise<Order> {
    const { order } = await this.#call<GetOrderResponse>(this.#background, 'getOrder', `/orders/2026-01-01/orders/${encodeURIComponent(orderId)}`, { includedData: ORDER_DATASETS });
    return order;
  }

  /**
   * How often order polling can run for ever without a 429: one searchOrders call per poll,
   * spaced by the operation's restore rate as this client paces it (a poll that needs more pages
   * takes them from the burst, which the quiet polls after it refill).
   */
  /**
   * confirmShipment (Orders API v0: v2026-01-01 has none of its own, and v0's confirmShipment is not
   * among the operations it retires: https://developer-docs.amazon.com/sp-api/changelog/new-introducing-the-orders-api-v2026-01-01).
   * 204 when taken. The same packageReferenceId again edits that package rather than adding one
   * (https://developer-docs.amazon.com/sp-api/docs/confirm-the-shipment-status).
   */
  async confirmShipment(orderId: string, packageDetail: { packageReferenceId: string; carrierCode: string; carrierName?: string; trackingNumber: string; shipDate: string; orderItems: Array<{ orderItemId: string; quantity: number }> }): Promise<void> {
    await this.#call<void>(this.#background, 'confirmShipment', `/orders/v0/orders/${encodeURIComponent(orderId)}/shipmentConfirmation`, {}, { method: 'POST', body: { packageDetail, marketplaceId: this.marketplaceId } });
  }

  get orderPollIntervalMs(): number {
    return orderPollIntervalFor(this.limiter.rateOf('searchOrders') ?? SP_API_USAGE_PLANS.searchOrders.rate);
  }

  /** Stops waiting for rate-limit tokens and backoffs: pending calls fail at once (shutdown). */
  close(): void {
    this.limiter.close();
  }

  #listingPath(sku: string): string {
    return `/listings/2021-08-01/items/${encodeURIComponent(this.sellerId)}/${encodeURIComponent(sku)}`;
  }

  async #call<Body>(platformFetch: PlatformFetch, operation: SpApiOperation, path: string, query: Record<string, string>, write?: { method: 'PATCH' | 'POST'; body: unknown }): Promise<Body> {
    const search = new URLSearchParams(query).toString();
    const url = `${this.#options.baseUrl.replace(/\/+$/, '')}${path}${search ? `?${search}` : ''}`;
    for (let attempt = 1; ; attempt++) {
      const token = await this.#token();
      let response: Response;
      try {
        const headers: Record<string, string> = { 'x-amz-access-token': token, accept: 'application/json', 'user-agent': 'Ponte/0.1 (Language=TypeScript)' };
        response = await platformFetch(
          url,
          write
            ? { method: write.method, operation, headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(write.body) }
            : { method: 'GET', operation, headers },
        );
      } catch (error) {
        if (error instanceof AmazonApiError) throw error;
        throw new AmazonApiError(operation, `Amazon ${operation} unreachable: ${(error as Error).message}`, undefined, error instanceof PlatformRequestError ? 'Unreachable' : 'Aborted', { cause: error });
      }
      if (response.status === 204) return undefined as Body;
      if (response.ok) return (await response.json()) as Body;
      const body = (await response.json().catch(() => ({}))) as { errors?: Array<{ code?: string; message?: string; details?: string }> };
      const error = body.errors?.[0];
      const code = error?.code ?? `HTTP_${response.status}`;
      // An access token revoked or expired early: fetch a new one once, then give up.
      if (response.status === 403 && code === 'Unauthorized' && attempt === 1) {
        this.#accessToken = undefined;
        continue;
      }
      // Throttled even after the fetch's own retries: say when the operation's bucket has a token again.
      const statedRate = Number(response.headers.get('x-amzn-ratelimit-limit'));
      const rate = statedRate > 0 ? statedRate : this.limiter.rateOf(operation);
      const retryAfterMs = response.status === 429 && rate ? Math.ceil(1000 / rate) : undefined;
      throw new AmazonApiError(operation, `Amazon ${operation} failed with HTTP ${response.status} ${code}: ${error?.message ?? 'no message'}${error?.details ? ` (${error.details})` : ''}`, response.status, code, { retryAfterMs });
    }
  }

  /** A valid LWA access token, refreshed shortly before it expires; concurrent callers share one refresh. */
  async #token(): Promise<string> {
    if (this.#accessToken && this.#accessToken.expiresAt - TOKEN_REFRESH_MARGIN_MS > Date.now()) return this.#accessToken.value;
    this.#refreshing ??= this.#refreshToken().finally(() => {
      this.#refreshing = undefined;
    });
    return this.#refreshing;
  }

  async #refreshToken(): Promise<string> {
    const { tokenUrl, clientId, clientSecret, refreshToken } = this.#options.lwa;
    let response: Response;
    try {
      response = await (this.#options.fetch ?? fetch)(tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8', accept: 'application/json' },
        body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: clientId, client_secret: clientSecret }),
        signal: AbortSignal.timeout(DEFAULT_LWA_TIMEOUT_MS),
      });
    } catch (error) {
      throw new AmazonApiError('lwaToken', `Login with Amazon unreachable: ${(error as Error).message}`, undefined, 'Unreachable', { cause: error });
    }
    const body = (await response.json().catch(() => ({}))) as { access_token?: string; expires_in?: number; error?: string; error_description?: string };
    if (!response.ok || !body.access_token) {
      throw new AmazonApiError('lwaToken', `Login with Amazon refused the refresh token: ${body.error ?? response.status} ${body.error_description ?? ''}`.trim(), response.status, body.error ?? `HTTP_${response.status}`);
    }
    this.#accessToken = { value: body.access_token, expiresAt: Date.now() + (body.expires_in ?? 3600) * 1000 };
    this.#log.debug({ expiresIn: body.expires_in }, 'LWA access token refreshed');
    return body.access_token;
  }
}

/**
 * One token bucket per SP-API operation, as Amazon limits them. A 429 means Amazon's bucket is
 * emptier than ours thinks (another application on the same seller account): the operation then
 * pauses for one refill interval at the rate Amazon states in `x-amzn-RateLimit-Limit`.
 */
export class SpApiRateLimiter implements RequestLimiter {
  readonly #buckets = new Map<string, TokenBucket>();
  readonly #limits: Readonly<Record<string, RateLimit>>;
  readonly #pausedUntil = new Map<string, number>();
  readonly #closed = new AbortController();

  constructor(limits: Readonly<Record<string, RateLimit>>) {
    this.#limits = limits;
    // One token of the burst is kept in reserve: a call delayed on its way (a busy event loop, a
    // slow network) arrives right before the next one, and Amazon counts arrivals, not departures.
    for (const [operation, { rate, burst }] of Object.entries(limits)) this.#buckets.set(operation, new TokenBucket(rate * RATE_SAFETY_FACTOR, Math.max(1, burst - BURST_RESERVE)));
  }

  async acquire(operation: string): Promise<void> {
    const bucket = this.#buckets.get(operation);
    for (;;) {
      if (this.#closed.signal.aborted) throw closedError();
      const paused = (this.#pausedUntil.get(operation) ?? 0) - Date.now();
      const wait = paused > 0 ? paused : (bucket?.take() ?? 0);
      if (wait <= 0) return;
      await this.sleep(wait);
    }
  }

  release(operation: string, outcome: 'answered' | 'abandoned'): void {
    this.#buckets.get(operation)?.release(outcome);
  }

  observe(operation: string, response: Response): void {
    if (response.status !== 429) return;
    // Amazon states the rate it applied (it can differ from the published plan); trust it first.
    const stated = Number(response.headers.get('x-amzn-ratelimit-limit'));
    const rate = stated > 0 ? stated : this.#limits[operation]?.rate;
    if (rate) this.#pausedUntil.set(operation, Date.now() + Math.ceil(1000 / rate));
  }

  /** The rate (requests per second) this limiter assumes Amazon grants the operation. */
  rateOf(operation: string): number | undefined {
    return this.#limits[operation]?.rate;
  }

  /** A sleep that ends early (rejecting) when the limiter is closed. */
  sleep(ms: number): Promise<void> {
    const signal = this.#closed.signal;
    if (signal.aborted) return Promise.reject(closedError());
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = () => {
        clearTimeout(timer);
        reject(closedError());
      };
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  close(): void {
    this.#closed.abort();
  }
}

/** One poll per restore interval of searchOrders at the rate the client paces it (see RATE_SAFETY_FACTOR): 0.0056/s gives 198.5 s. */
export function orderPollIntervalFor(searchOrdersRate: number): number {
  return Math.ceil(1000 / (searchOrdersRate * RATE_SAFETY_FACTOR));
}

function closedError(): AmazonApiError {
  return new AmazonApiError('client', 'The Amazon client is closed', undefined, 'Closed');
}
