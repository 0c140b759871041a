/**
 * Shopify's Admin GraphQL API through Shopify's own client (`@shopify/admin-api-client`), with
 * the habits Shopify's limits ask for: a cost-aware limiter that reads `extensions.cost` from
 * every answer and waits before a query the bucket cannot pay for; THROTTLED answers (HTTP 200)
 * retried once the bucket has refilled; timeouts, and 5xx/429 retried with backoff and jitter
 * by `createPlatformFetch`.
 */
import { createAdminApiClient, type AdminApiClient } from '@shopify/admin-api-client';
import { createPlatformFetch, type PlatformFetch, type RequestLimiter } from '../platform-common/platform-fetch.ts';
import type { Logger } from '../../kit/logger.ts';

/** @default '2026-10', the sandbox's default and a version Shopify supports in Nov 2026 */
export const DEFAULT_API_VERSION = '2026-10';
/** The Standard plan's bucket; Advanced is 4000/200, Plus 20000/1000. */
export const STANDARD_PLAN_THROTTLE = { maximumAvailable: 2000, restoreRate: 100 };
/** What a query we have not sent before is assumed to cost, until Shopify tells us. */
const DEFAULT_EXPECTED_COST = 50;
const DEFAULT_MAX_THROTTLED_RETRIES = 5;
/**
 * Asked once per process before the first real query: one point (`shop` is an object, its `id` a
 * scalar), and its answer's `extensions.cost.throttleStatus` says what the bucket holds.
 */
const BUCKET_PROBE = 'query PonteBucketProbe { shop { id } }';

export interface ShopifyClientOptions {
  /** The shop's myshopify domain, e.g. `ponte-demo.myshopify.com`. */
  shopDomain: string;
  /** Admin API access token (`X-Shopify-Access-Token`). */
  accessToken: string;
  /** @default DEFAULT_API_VERSION */
  apiVersion?: string;
  /**
   * Where requests go instead of `https://{shopDomain}` (the sandbox's base URL). Shopify's client
   * insists on https://{shopDomain}; only its fetch is redirected.
   */
  baseUrl?: string | undefined;
  /**
   * The shop's plan limits, until the first answer reports them. `currentlyAvailable`: what the
   * bucket is taken to hold at start; by default nothing (see ShopifyCostLimiter).
   * @default STANDARD_PLAN_THROTTLE
   */
  throttle?: { maximumAvailable: number; restoreRate: number; currentlyAvailable?: number };
  /** Per attempt. @default 10_000 */
  timeoutMs?: number;
  /** Attempts on network errors, 5xx and 429, first included. @default 4 */
  maxAttempts?: number;
  /** @default 250 */
  baseDelayMs?: number;
  /** Retries of a THROTTLED answer, each after waiting for the bucket. @default 5 */
  maxThrottledRetries?: number;
  log: Logger;
  fetch?: typeof fetch;
}

/** Shopify answered, and said no: a bad query, a bad token. Retrying the same request will not help. */
export class ShopifyApiError extends Error {
  readonly code: string;
  readonly status: number | undefined;

  constructor(message: string, code: string, status?: number) {
    super(message);
    this.name = 'ShopifyApiError';
    this.code = code;
    this.status = status;
  }
}

/** Shopify could not be reached, failed (5xx), or kept throttling: try again later. */
export class ShopifyUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ShopifyUnavailable';
  }
}

export interface QueryCost {
  requestedQueryCost: number;
  actualQueryCost: number | null;
  throttleStatus: { maximumAvailable: number; currentlyAvailable: number; restoreRate: number };
}

/**
 * Shopify's leaky bucket, mirrored locally: points refill at `restoreRate` up to
 * `maximumAvailable`; a query waits until the bucket holds what it is expected to cost (what
 * Shopify last reported as its `requestedQueryCost`, or the caller's estimate). Every answer
 * resets the mirror to Shopify's own figures, so drift never accumulates.
 *
 * The bucket belongs to the app and the store, not to this process ("GraphQL Admin API rate limits
 * are based on the combination of the app and store", https://shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits):
 * a process started after a crash may find it drained by its predecessor. So the mirror starts
 * empty, refilling at the restore rate, until Shopify's first `throttleStatus` says what it holds
 * (`known`); the client asks for that with a one-point query before its first real one.
 */
export class ShopifyCostLimiter implements RequestLimiter {
  #maximumAvailable: number;
  #restoreRate: number;
  #available: number;
  #updatedAt: number;
  readonly #expected = new Map<string, number>();
  readonly #now: () => number;
  readonly #sleep: (ms: number) => Promise<void>;

  /** Whether Shopify has reported the bucket yet (until then it is taken as empty, refilling). */
  #known = false;

  constructor(options: { maximumAvailable: number; restoreRate: number; currentlyAvailable?: number; now?: () => number; sleep?: (ms: number) => Promise<void> }) {
    this.#maximumAvailable = options.maximumAvailable;
    this.#restoreRate = options.restoreRate;
    this.#available = Math.min(options.currentlyAvailable ?? 0, options.maximumAvailable);
    this.#known = options.currentlyAvailable !== undefined;
    this.#now = options.now ?? (() => performance.now());
    this.#sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.#updatedAt = this.#now();
  }

  /** Sets what `operation` is expected to cost, before sending it (a batch whose size varies). */
  expect(operation: string, cost: number): void {
    this.#expected.set(operation, cost);
  }

  /** Whether the bucket's state comes from Shopify (an answer, or the caller) rather than the empty assumption. */
  get known(): boolean {
    return this.#known;
  }

  /** Points the bucket holds now, as far as this process knows. */
  get available(): number {
    this.#refill();
    return this.#available;
  }

  /** Milliseconds until `cost` points are in the bucket (0: now). */
  waitFor(cost: number): number {
    this.#refill();
    const needed = Math.min(cost, this.#maximumAvailable);
    return this.#available >= needed ? 0 : Math.ceil(((needed - this.#available) / this.#restoreRate) * 1000);
  }

  /** Resolves once the bucket holds `points` (at most a full bucket), taking none of them. */
  async holding(points: number): Promise<void> {
    for (let wait = this.waitFor(points); wait > 0; wait = this.waitFor(points)) await this.#sleep(wait);
  }

  async acquire(operation: string): Promise<void> {
    const cost = Math.min(this.#expected.get(operation) ?? DEFAULT_EXPECTED_COST, this.#maximumAvailable);
    for (let wait = this.waitFor(cost); wait > 0; wait = this.waitFor(cost)) await this.#sleep(wait);
    // Taken now, so that concurrent queries do not all spend the same points.
    this.#available -= cost;
  }

  /** Takes in what Shopify reported with an answer. */
  observeCost(operation: string, cost: QueryCost): void {
    this.#expected.set(operation, cost.requestedQueryCost);
    this.#maximumAvailable = cost.throttleStatus.maximumAvailable;
    this.#restoreRate = cost.throttleStatus.restoreRate;
    this.#available = cost.throttleStatus.currentlyAvailable;
    this.#updatedAt = this.#now();
    this.#known = true;
  }

  #refill(): void {
    const now = this.#now();
    this.#available = Math.min(this.#maximumAvailable, this.#available + ((now - this.#updatedAt) / 1000) * this.#restoreRate);
    this.#updatedAt = now;
  }
}

interface GraphQLBody {
  data?: unknown;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
  extensions?: { cost?: QueryCost };
}

export class ShopifyClient {
  readonly shopDomain: string;
  readonly apiVersion: string;
  readonly limiter: ShopifyCostLimiter;
  readonly #admin: AdminApiClient;
  readonly #fetch: PlatformFetch;
  readonly #options: ShopifyClientOptions;
  readonly #log: Logger;
  /** The one-point query that tells a new process what the bucket holds; shared by concurrent first calls. */
  #probe: Promise<void> | undefined;

  constructor(options: ShopifyClientOptions) {
    if (!options.shopDomain) throw new Error('ShopifyClient needs the shop domain (e.g. ponte-demo.myshopify.com)');
    if (!options.accessToken) throw new Error('ShopifyClient needs an Admin API access token');
    this.#options = options;
    this.shopDomain = options.shopDomain;
    this.apiVersion = options.apiVersion ?? DEFAULT_API_VERSION;
    this.#log = options.log.child({ component: 'shopify-client' });
    this.limiter = new ShopifyCostLimiter(options.throttle ?? STANDARD_PLAN_THROTTLE);
    this.#fetch = createPlatformFetch({
      limiter: this.limiter,
      timeoutMs: options.timeoutMs ?? 10_000,
      maxAttempts: options.maxAttempts ?? 4,
      baseDelayMs: options.baseDelayMs ?? 250,
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
    this.#admin = createAdminApiClient({
      storeDomain: options.shopDomain,
      apiVersion: this.apiVersion,
      accessToken: options.accessToken,
      customFetchApi: (url, init) => this.#send(url, init ?? {}),
      logger: (entry) => {
        if (entry.type === 'Unsupported_Api_Version') this.#log.warn({ apiVersion: this.apiVersion }, 'Shopify API version not known to @shopify/admin-api-client');
      },
    });
  }

  /**
   * Runs one Admin API operation. The operation must be named (`query ListingsBySku { ... }`):
   * the limiter learns each operation's cost by name. Resolves to `data`; rejects with
   * ShopifyUnavailable (retry later) or ShopifyApiError (the request itself is wrong).
   */
  async request<Data>(operation: string, options: { variables?: Record<string, unknown>; expectedCost?: number } = {}): Promise<Data> {
    const name = operationName(operation);
    if (options.expectedCost !== undefined) this.limiter.expect(name, options.expectedCost);
    const answer = await this.#admin.request<Data>(operation, options.variables ? { variables: options.variables } : {});
    const errors = answer.errors;
    if (!errors) return answer.data as Data;
    const status = errors.networkStatusCode;
    const codes = (errors.graphQLErrors ?? []).map((error) => String((error.extensions as { code?: unknown } | undefined)?.code ?? ''));
    const detail = (errors.graphQLErrors ?? []).map((error) => error.message).join('; ') || errors.message || 'no detail';
    if (status === undefined || status >= 500 || status === 429 || codes.includes('THROTTLED')) {
      throw new ShopifyUnavailable(`Shopify ${name} failed${status ? ` with HTTP ${status}` : ''}: ${detail}`);
    }
    if (status === 401 || status === 403) throw new ShopifyApiError(`Shopify refused the access token for ${this.shopDomain} (HTTP ${status})`, 'UNAUTHORIZED', status);
    throw new ShopifyApiError(`Shopify ${name} failed: ${detail}`, codes[0] || 'SHOPIFY_ERROR', status);
  }

  async #send(url: string, init: { method?: string; headers?: HeadersInit; body?: string }): Promise<Response> {
    const target = this.#options.baseUrl ? rebase(url, this.#options.baseUrl) : url;
    const operation = init.body ? operationName((JSON.parse(init.body) as { query?: string }).query ?? '') : 'default';
    const maxThrottledRetries = this.#options.maxThrottledRetries ?? DEFAULT_MAX_THROTTLED_RETRIES;
    if (!this.limiter.known && operation !== 'PonteBucketProbe') await this.#learnBucket(target, init.headers);
    for (let throttled = 0; ; throttled++) {
      const response = await this.#fetch(target, { method: init.method ?? 'POST', ...(init.headers ? { headers: init.headers } : {}), ...(init.body !== undefined ? { body: init.body } : {}), operation });
      if (!response.ok || !(response.headers.get('content-type') ?? '').includes('json')) return response;
      const body = (await response.clone().json().catch(() => undefined)) as GraphQLBody | undefined;
      const cost = body?.extensions?.cost;
      if (cost?.throttleStatus) this.limiter.observeCost(operation, cost);
      const isThrottled = body?.errors?.some((error) => error.extensions?.code === 'THROTTLED') ?? false;
      if (!isThrottled || throttled >= maxThrottledRetries) return response;
      // The limiter now knows the bucket is short: the next acquire waits for the refill.
      this.#log.debug({ operation, requested: cost?.requestedQueryCost, available: cost?.throttleStatus.currentlyAvailable }, 'Shopify throttled the query; waiting for the bucket');
      await response.body?.cancel().catch(() => {});
    }
  }

  /**
   * Before this process's first query: the one-point probe, whose answer sets the limiter to the
   * bucket Shopify reports. Should it fail, the limiter keeps assuming an empty bucket, refilling.
   */
  #learnBucket(url: string, headers: HeadersInit | undefined): Promise<void> {
    this.limiter.expect('PonteBucketProbe', 1);
    this.#probe ??= this.#fetch(url, { method: 'POST', ...(headers ? { headers } : {}), body: JSON.stringify({ query: BUCKET_PROBE }), operation: 'PonteBucketProbe' })
      .then(async (response) => {
        const body = (await response.json().catch(() => undefined)) as GraphQLBody | undefined;
        if (body?.extensions?.cost?.throttleStatus) this.limiter.observeCost('PonteBucketProbe', body.extensions.cost);
      })
      .catch((error: unknown) => {
        this.#log.debug({ err: error }, 'Shopify bucket probe failed; assuming an empty bucket');
      });
    return this.#probe;
  }
}

/** `https://shop.myshopify.com/admin/api/…` → `{baseUrl}/admin/api/…` */
function rebase(url: string, baseUrl: string): string {
  const { pathname, search } = new URL(url);
  return `${baseUrl.replace(/\/+$/, '')}${pathname}${search}`;
}

/** The operation's name, or its first field, so the limiter can learn each one's cost. */
export function operationName(document: string): string {
  return /^\s*(?:query|mutation)\s+([_A-Za-z][_0-9A-Za-z]*)/.exec(document)?.[1] ?? /{\s*([_A-Za-z][_0-9A-Za-z]*)/.exec(document)?.[1] ?? 'default';
}
