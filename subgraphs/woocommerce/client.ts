/**
 * The WooCommerce REST API v3 (`/wp-json/wc/v3`) as Ponte uses it: listings by SKU, orders
 * changed since a watermark, and the store's webhooks.
 *
 * Built on `createPlatformFetch`, not on the official `@woocommerce/woocommerce-rest-api`:
 * that client is axios based with neither retries nor a limiter, it signs a request once
 * (an OAuth nonce cannot be replayed, so each retry must be signed afresh), and it is only a
 * devDependency here, absent from the production image (`npm ci --omit=dev`). The same auth
 * is spoken: HTTP Basic with the consumer key/secret over HTTPS (the query string when the host
 * strips the header), OAuth 1.0a one-legged (HMAC-SHA256) over plain HTTP, as WooCommerce requires.
 *
 * WooCommerce documents no rate limit: the store's own PHP workers are the limit, and a shared
 * host answers slowly or with 5xx long before anything else. So the client caps requests in
 * flight, keeps a polite rate, times out each attempt, and retries 5xx/429/timeouts with
 * backoff and jitter (honouring Retry-After, which caching proxies in front of stores send).
 */
import { createHmac, randomBytes } from 'node:crypto';
import { bucketLimiter, createPlatformFetch, PlatformRequestError, retryAfterMs, TokenBucket, type PlatformFetch } from '../platform-common/platform-fetch.ts';
import type { Logger } from '../../kit/logger.ts';

export const WC_API_PATH = '/wp-json/wc/v3';
/**
 * The Shipment Tracking extension's namespace (WooCommerce core has no tracking field; the extension
 * keeps tracking items as the order meta `_wc_shipment_tracking_items` and shows them to the shopper):
 * https://woocommerce.com/document/shipment-tracking/shipment-tracking-rest-api-create-tracking-item/
 */
export const SHIPMENT_TRACKING_API_PATH = '/wp-json/wc-shipment-tracking/v3';

/** An order note: https://woocommerce.github.io/woocommerce-rest-api-docs/#order-notes */
export interface WooOrderNote {
  id: number;
  note: string;
  customer_note: boolean;
}

export interface WooTrackingItem {
  tracking_id: string;
  tracking_number: string;
  tracking_provider?: string;
  custom_tracking_provider?: string;
}
/** WooCommerce's largest page (`per_page` 1–100). */
export const WC_MAX_PER_PAGE = 100;

/** The product and variation fields Ponte reads (`GET /products`), with WooCommerce's names. */
export interface WooProduct {
  id: number;
  parent_id: number;
  type: string;
  name: string;
  sku: string;
  status: string;
  permalink?: string | null;
  price: string;
  regular_price: string;
  sale_price?: string;
  on_sale?: boolean;
  /** A variation may say `parent`: its stock is counted on the parent product. */
  manage_stock: boolean | 'parent';
  stock_quantity: number | null;
  stock_status: string;
  backorders: string;
  categories?: Array<{ id: number; name: string; slug?: string }>;
  date_modified_gmt?: string | null;
}

/** WooCommerce's limit on items per `…/batch` call (create + update + delete). */
export const WC_MAX_BATCH_ITEMS = 100;

export interface WooStockUpdate {
  id: number;
  stockQuantity: number;
}

/** One item of a batch answer: the updated product/variation, or what WooCommerce refused. */
export type WooBatchItem = WooProduct | { id: number; error: { code: string; message: string; data?: { status?: number } } };

export interface WooOrderLine {
  id: number;
  product_id: number;
  variation_id: number;
  sku: string | null;
  quantity: number;
  name?: string;
  /** The line before discounts (decimal string). */
  subtotal?: string | null;
  /** The line after discounts (decimal string). */
  total?: string | null;
}

/** A `billing` or `shipping` address of an order (personal data: only `postcode` is ever kept). */
export interface WooAddress {
  first_name?: string | null;
  last_name?: string | null;
  address_1?: string | null;
  address_2?: string | null;
  city?: string | null;
  state?: string | null;
  postcode?: string | null;
  country?: string | null;
  email?: string | null;
  phone?: string | null;
  /** Brazilian Market on WooCommerce plugin. */
  cpf?: string | null;
  number?: string | null;
  neighborhood?: string | null;
}

/** The order fields Ponte reads (`GET /orders`, order webhooks). */
export interface WooOrder {
  id: number;
  status: string;
  date_created_gmt?: string | null;
  date_modified_gmt?: string | null;
  currency?: string | null;
  discount_total?: string | null;
  shipping_total?: string | null;
  total_tax?: string | null;
  total?: string | null;
  customer_id?: number | null;
  billing?: WooAddress | null;
  shipping?: WooAddress | null;
  line_items: WooOrderLine[];
}

export interface WooWebhook {
  id: number;
  name: string;
  status: 'active' | 'paused' | 'disabled';
  topic: string;
  delivery_url: string;
}

/** The store answered with an error, or could not be reached. */
export class WooCommerceApiError extends Error {
  /** HTTP status; undefined when no answer came (timeout, connection refused or dropped). */
  readonly status: number | undefined;
  /** WooCommerce's error code (`woocommerce_rest_authentication_error`, ...). */
  readonly code: string;
  /** How long the store (or the caching proxy in front of it) asked us to wait, from Retry-After. */
  readonly retryAfterMs: number | undefined;

  constructor(message: string, status: number | undefined, code: string, options?: { cause?: unknown; retryAfterMs?: number | undefined }) {
    super(message, options);
    this.name = 'WooCommerceApiError';
    this.status = status;
    this.code = code;
    this.retryAfterMs = options?.retryAfterMs;
  }

  /** The store is down or overloaded, as opposed to refusing the request: worth trying later. */
  get unavailable(): boolean {
    return this.status === undefined || this.status === 429 || this.status >= 500;
  }
}

export interface WooCommerceClientOptions {
  /** The store's address (WordPress home URL), e.g. `https://loja.example.com.br`. */
  storeUrl: string;
  consumerKey: string;
  consumerSecret: string;
  /** Timeout of one attempt for reads that answer a GraphQL request. @default 3000 */
  interactiveTimeoutMs?: number;
  /** Attempts for those reads: a shopper-facing query must not wait long. @default 2 */
  interactiveMaxAttempts?: number;
  /** Timeout of one attempt for background work (order sweeps, webhook registration). @default 20000 */
  backgroundTimeoutMs?: number;
  /** @default 5 */
  backgroundMaxAttempts?: number;
  /**
   * Timeout of one attempt for stock pushes (channel sync). Shorter than background work: the
   * sync queue retries with its own backoff, and one hung store call must not hold every other
   * SKU's quantity back for minutes. @default 10000
   */
  syncTimeoutMs?: number;
  /** @default 3 */
  syncMaxAttempts?: number;
  /** First backoff step; later ones double, with full jitter. @default 250 */
  baseDelayMs?: number;
  /** Requests in flight to the store at once; PHP workers on a shared host are few. @default 4 */
  maxConcurrentRequests?: number;
  /** Sustained request rate Ponte allows itself against the store. @default 10 */
  requestsPerSecond?: number;
  /** @default 20 */
  burst?: number;
  fetch?: typeof fetch;
  /** Tests pass a fake clock for OAuth timestamps. */
  now?: () => number;
  /** Told once when the store turns out not to see the Authorization header. */
  log?: Pick<Logger, 'warn'>;
}

type Mode = 'interactive' | 'background' | 'sync';

export class WooCommerceClient {
  readonly #baseUrl: string;
  readonly #fetchers: Record<Mode, PlatformFetch>;

  constructor(options: WooCommerceClientOptions) {
    if (!options.storeUrl) throw new Error('WooCommerceClient needs the store URL (WOOCOMMERCE_STORE_URL)');
    if (!options.consumerKey || !options.consumerSecret) throw new Error('WooCommerceClient needs a consumer key and secret');
    this.#baseUrl = options.storeUrl.replace(/\/+$/, '');
    const bucket = new TokenBucket(options.requestsPerSecond ?? 10, options.burst ?? 20);
    const limiter = bucketLimiter(bucket);
    const signedFetch = authenticatedFetch(options, new ConcurrencyLimit(options.maxConcurrentRequests ?? 4));
    const baseDelayMs = options.baseDelayMs ?? 250;
    this.#fetchers = {
      interactive: createPlatformFetch({ timeoutMs: options.interactiveTimeoutMs ?? 3000, maxAttempts: options.interactiveMaxAttempts ?? 2, baseDelayMs, limiter, fetch: signedFetch }),
      background: createPlatformFetch({ timeoutMs: options.backgroundTimeoutMs ?? 20_000, maxAttempts: options.backgroundMaxAttempts ?? 5, baseDelayMs, limiter, fetch: signedFetch }),
      sync: createPlatformFetch({ timeoutMs: options.syncTimeoutMs ?? 10_000, maxAttempts: options.syncMaxAttempts ?? 3, baseDelayMs, limiter, fetch: signedFetch }),
    };
  }

  /**
   * Products and variations with these SKUs, in one call: with a SKU filter WooCommerce searches
   * both post types, so a variation comes back with its `parent_id`.
   */
  async productsBySku(skus: readonly string[], mode: Mode = 'interactive'): Promise<WooProduct[]> {
    if (skus.length === 0) return [];
    if (skus.length > WC_MAX_PER_PAGE) throw new RangeError(`At most ${WC_MAX_PER_PAGE} SKUs per call, got ${skus.length}`);
    const { data } = await this.#request<WooProduct[]>(mode, 'GET', '/products', { sku: skus.join(','), per_page: String(WC_MAX_PER_PAGE) });
    return data;
  }

  /** Products by WooCommerce id (variable parents, for their categories), in one call. */
  async productsById(ids: readonly number[], mode: Mode = 'interactive'): Promise<WooProduct[]> {
    if (ids.length === 0) return [];
    if (ids.length > WC_MAX_PER_PAGE) throw new RangeError(`At most ${WC_MAX_PER_PAGE} ids per call, got ${ids.length}`);
    const { data } = await this.#request<WooProduct[]>(mode, 'GET', '/products', { include: ids.join(','), per_page: String(WC_MAX_PER_PAGE) });
    return data;
  }

  /**
   * Sets the stock of simple products (`POST /products/batch`, at most 100). WooCommerce answers
   * each item on its own: the product, or `{ id, error }` for one it refused. Setting an absolute
   * quantity is idempotent, so the client's retries of the whole call are safe.
   */
  async updateProductStock(items: readonly WooStockUpdate[]): Promise<WooBatchItem[]> {
    return this.#stockBatch('/products/batch', items);
  }

  /** Sets the stock of variations of one variable product (`POST /products/{parent}/variations/batch`). */
  async updateVariationStock(parentId: number, items: readonly WooStockUpdate[]): Promise<WooBatchItem[]> {
    return this.#stockBatch(`/products/${parentId}/variations/batch`, items);
  }

  async #stockBatch(path: string, items: readonly WooStockUpdate[]): Promise<WooBatchItem[]> {
    if (items.length === 0) return [];
    if (items.length > WC_MAX_BATCH_ITEMS) throw new RangeError(`At most ${WC_MAX_BATCH_ITEMS} items per batch, got ${items.length}`);
    // manage_stock is sent every time: a quantity on a listing that does not manage stock is ignored by WooCommerce.
    const update = items.map((item) => ({ id: item.id, manage_stock: true, stock_quantity: item.stockQuantity }));
    const { data } = await this.#request<{ update?: WooBatchItem[] }>('sync', 'POST', path, {}, { update });
    return data.update ?? [];
  }

  /** Every order changed after `modifiedAfterGmt` (`YYYY-MM-DDTHH:MM:SS`, UTC), all pages, oldest first. */
  async ordersModifiedAfter(modifiedAfterGmt: string): Promise<WooOrder[]> {
    return this.#allPages<WooOrder>('/orders', { modified_after: modifiedAfterGmt, dates_are_gmt: 'true', orderby: 'date', order: 'asc' });
  }

  /** One order (`GET /orders/{id}`); a 404 `woocommerce_rest_shop_order_invalid_id` when there is none. */
  async order(id: string): Promise<WooOrder> {
    return (await this.#request<WooOrder>('sync', 'GET', `/orders/${encodeURIComponent(id)}`, {})).data;
  }

  async customerNotes(orderId: string): Promise<WooOrderNote[]> {
    return (await this.#request<WooOrderNote[]>('sync', 'GET', `/orders/${encodeURIComponent(orderId)}/notes`, { type: 'customer' })).data;
  }

  /** A customer note: e-mailed to the shopper and shown on their order page. */
  async addCustomerNote(orderId: string, note: string): Promise<WooOrderNote> {
    return (await this.#request<WooOrderNote>('sync', 'POST', `/orders/${encodeURIComponent(orderId)}/notes`, {}, { note, customer_note: true })).data;
  }

  /** `PUT /orders/{id}` with a new status (`completed` sends the shopper the Completed Order e-mail). */
  async setOrderStatus(orderId: string, status: string): Promise<WooOrder> {
    return (await this.#request<WooOrder>('sync', 'PUT', `/orders/${encodeURIComponent(orderId)}`, {}, { status })).data;
  }

  async shipmentTrackings(orderId: string): Promise<WooTrackingItem[]> {
    return (await this.#request<WooTrackingItem[]>('sync', 'GET', `/orders/${encodeURIComponent(orderId)}/shipment-trackings`, {}, undefined, SHIPMENT_TRACKING_API_PATH)).data;
  }

  /** A tracking item with a custom provider (the carrier's name and link as given), the extension's documented way for carriers not in its list. */
  async addShipmentTracking(orderId: string, item: { carrier: string; trackingNumber: string; trackingUrl: string | null; dateShipped: string }): Promise<WooTrackingItem> {
    const body = { custom_tracking_provider: item.carrier, tracking_number: item.trackingNumber, date_shipped: item.dateShipped, ...(item.trackingUrl ? { custom_tracking_link: item.trackingUrl } : {}) };
    return (await this.#request<WooTrackingItem>('sync', 'POST', `/orders/${encodeURIComponent(orderId)}/shipment-trackings`, {}, body, SHIPMENT_TRACKING_API_PATH)).data;
  }

  async webhooks(): Promise<WooWebhook[]> {
    return this.#allPages<WooWebhook>('/webhooks', { status: 'all' });
  }

  async createWebhook(input: { name: string; topic: string; deliveryUrl: string; secret: string }): Promise<WooWebhook> {
    const { data } = await this.#request<WooWebhook>('background', 'POST', '/webhooks', {}, { name: input.name, topic: input.topic, delivery_url: input.deliveryUrl, secret: input.secret, status: 'active' });
    return data;
  }

  /**
   * Re-activates a webhook (WooCommerce disables one on the 7th consecutive failed delivery:
   * `failed_delivery()` in plugins/woocommerce/includes/class-wc-webhook.php) and sets its secret.
   */
  async activateWebhook(id: number, input: { secret: string; deliveryUrl: string }): Promise<WooWebhook> {
    const { data } = await this.#request<WooWebhook>('background', 'PUT', `/webhooks/${id}`, {}, { status: 'active', secret: input.secret, delivery_url: input.deliveryUrl });
    return data;
  }

  async #allPages<Item>(path: string, query: Record<string, string>): Promise<Item[]> {
    const items: Item[] = [];
    for (let page = 1; ; page++) {
      const { data, headers } = await this.#request<Item[]>('background', 'GET', path, { ...query, per_page: String(WC_MAX_PER_PAGE), page: String(page) });
      items.push(...data);
      const totalPages = Number(headers.get('x-wp-totalpages') ?? 1);
      if (page >= totalPages || data.length === 0) return items;
    }
  }

  async #request<Data>(mode: Mode, method: string, path: string, query: Record<string, string>, body?: unknown, apiPath = WC_API_PATH): Promise<{ data: Data; headers: Headers }> {
    const url = new URL(`${this.#baseUrl}${apiPath}${path}`);
    for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
    const operation = `${method} ${path.replace(/\/\d+/g, '/{id}')}`;
    let response: Response;
    try {
      response = await this.#fetchers[mode](url.toString(), {
        method,
        operation,
        headers: { Accept: 'application/json', ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (error) {
      const reason = error instanceof PlatformRequestError ? error.message : `${operation} failed: ${(error as Error).message}`;
      throw new WooCommerceApiError(`WooCommerce store unreachable: ${reason}`, undefined, 'woocommerce_unreachable', { cause: error });
    }
    if (!response.ok) throw await apiError(operation, response);
    return { data: (await response.json()) as Data, headers: response.headers };
  }
}

/** WooCommerce errors are `{ code, message, data: { status } }`; a broken WordPress answers an HTML page. */
async function apiError(operation: string, response: Response): Promise<WooCommerceApiError> {
  const text = await response.text().catch(() => '');
  let code = `http_${response.status}`;
  let message = `HTTP ${response.status}`;
  try {
    const parsed = JSON.parse(text) as { code?: unknown; message?: unknown };
    if (typeof parsed.code === 'string') code = parsed.code;
    if (typeof parsed.message === 'string') message = parsed.message;
  } catch {
    if (text.trimStart().startsWith('<')) message = `HTTP ${response.status} (an HTML error page: the site itself failed)`;
  }
  return new WooCommerceApiError(`WooCommerce ${operation} answered ${response.status}: ${message}`, response.status, code, { retryAfterMs: retryAfterMs(response.headers.get('retry-after')) });
}

/**
 * Authenticates each attempt separately, inside the concurrency limit: createPlatformFetch
 * calls this once per attempt, so a retry carries a fresh OAuth nonce and timestamp.
 *
 * Over HTTPS the key goes as HTTP Basic. Some hosts drop the `Authorization` header before PHP
 * sees it; WooCommerce then finds no key and the endpoint answers 401 with its permission error
 * (`woocommerce_rest_cannot_view`, `…_cannot_edit`, …; older releases said "Consumer key is
 * missing"). WooCommerce's documented remedy is the key and secret as `consumer_key` /
 * `consumer_secret` query parameters, which it reads first (perform_basic_authentication() in
 * woocommerce/woocommerce plugins/woocommerce/includes/class-wc-rest-authentication.php;
 * https://woocommerce.github.io/woocommerce-rest-api-docs/#authentication-over-https). So on
 * that answer the call is made again that way, and so is every later one of this client.
 * Over plain HTTP WooCommerce accepts neither: OAuth 1.0a one-legged signing stays.
 */
function authenticatedFetch(options: WooCommerceClientOptions, limit: ConcurrencyLimit): typeof fetch {
  const doFetch = options.fetch ?? fetch;
  const now = options.now ?? Date.now;
  const basic = `Basic ${Buffer.from(`${options.consumerKey}:${options.consumerSecret}`).toString('base64')}`;
  let keyInQuery = false;
  const withKeyInQuery = (url: URL): URL => {
    const keyed = new URL(url);
    keyed.searchParams.set('consumer_key', options.consumerKey);
    keyed.searchParams.set('consumer_secret', options.consumerSecret);
    return keyed;
  };
  return (input, init) =>
    limit.run(async () => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      const method = (init?.method ?? 'GET').toUpperCase();
      if (url.protocol !== 'https:') return doFetch(oauthSignedUrl(method, url, options.consumerKey, options.consumerSecret, now()), init);
      if (keyInQuery) return doFetch(withKeyInQuery(url), init);
      const response = await doFetch(url, { ...init, headers: { ...(init?.headers as Record<string, string> | undefined), Authorization: basic } });
      if (!(await keyWasNotSeen(response))) return response;
      keyInQuery = true;
      await response.body?.cancel().catch(() => {});
      options.log?.warn({ store: url.origin }, 'the WooCommerce store did not see the Authorization header (stripped by the host?): sending the consumer key in the query string from now on');
      return doFetch(withKeyInQuery(url), init);
    });
}

/** A 401 that says WooCommerce saw no key at all (as opposed to a key it refused). */
async function keyWasNotSeen(response: Response): Promise<boolean> {
  if (response.status !== 401) return false;
  const body = (await response
    .clone()
    .json()
    .catch(() => undefined)) as { code?: unknown; message?: unknown } | undefined;
  const code = typeof body?.code === 'string' ? body.code : '';
  const message = typeof body?.message === 'string' ? body.message : '';
  return /^woocommerce_rest_cannot_/.test(code) || /consumer key is missing/i.test(message);
}

/** RFC 3986 percent-encoding, as OAuth 1.0a requires. */
function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** OAuth 1.0a one-legged signature in the query string (RFC 5849), WooCommerce's scheme over plain HTTP. */
export function oauthSignedUrl(method: string, url: URL, consumerKey: string, consumerSecret: string, nowMs: number): URL {
  const signed = new URL(url);
  signed.searchParams.set('oauth_consumer_key', consumerKey);
  signed.searchParams.set('oauth_nonce', randomBytes(16).toString('hex'));
  signed.searchParams.set('oauth_signature_method', 'HMAC-SHA256');
  signed.searchParams.set('oauth_timestamp', String(Math.floor(nowMs / 1000)));
  const normalised = [...signed.searchParams]
    .map(([key, value]) => [percentEncode(key), percentEncode(value)] as const)
    .sort(([leftKey, leftValue], [rightKey, rightValue]) => (leftKey === rightKey ? compare(leftValue, rightValue) : compare(leftKey, rightKey)))
    .map(([key, value]) => `${key}=${value}`)
    .join('&');
  const baseString = `${method}&${percentEncode(`${url.protocol}//${url.host}${url.pathname}`)}&${percentEncode(normalised)}`;
  signed.searchParams.set('oauth_signature', createHmac('sha256', `${percentEncode(consumerSecret)}&`).update(baseString).digest('base64'));
  return signed;
}

function compare(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0;
}

/** At most `limit` calls at once; the others wait their turn in arrival order. */
class ConcurrencyLimit {
  readonly #limit: number;
  #active = 0;
  readonly #waiting: Array<() => void> = [];

  constructor(limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`maxConcurrentRequests must be a positive integer, got ${limit}`);
    this.#limit = limit;
  }

  async run<Result>(work: () => Promise<Result>): Promise<Result> {
    // A finishing call hands its slot straight to the next waiter, so a newcomer cannot slip in between.
    if (this.#active >= this.#limit) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    else this.#active++;
    try {
      return await work();
    } finally {
      const next = this.#waiting.shift();
      if (next) next();
      else this.#active--;
    }
  }
}
