import { bucketLimiter, createPlatformFetch, PlatformRequestError, retryAfterMs, TokenBucket, type PlatformFetch, type RequestLimiter } from '../platform-common/platform-fetch.ts';
import type { SqlClient } from '../../kit/database.ts';
import type { Logger } from '../../kit/logger.ts';
import { CallBudget } from '../platform-common/call-budget.ts';
import type { MlApplication, MlItem, MlItemSearch, MlItemUpdate, MlMultigetEntry, MlNotification, MlOrder, MlOrderSearch, MlShipmentDetail } from './api-types.ts';
import type { MercadoLivreTokens } from './oauth.ts';

/** Mercado Livre's multiget answers at most 20 ids per call. */
export const MULTIGET_MAX_IDS = 20;
/** `GET /users/{id}/items/search` pages hold at most 100 ids. */
export const SEARCH_PAGE_LIMIT = 100;
/** `GET /orders/search` pages hold 50 orders (see `searchOrders`). */
export const ORDER_SEARCH_PAGE_LIMIT = 50;
/** The per-application limit Mercado Livre documents (18,000 requests an hour). */
export const DEFAULT_REQUESTS_PER_HOUR = 18_000;
/** A minute's worth of requests may go at once. */
export const DEFAULT_BURST = 300;

export interface MercadoLivreClientOptions {
  /** e.g. `https://api.mercadolibre.com`, or the sandbox's URL. */
  baseUrl: string;
  /** The seller account (Mercado Livre user id) whose items and orders are read. */
  userId: string;
  tokens: MercadoLivreTokens;
  log: Logger;
  /**
   * The application's request budget, shared by every call this process makes.
   * @default { perHour: 18_000, burst: 300 }
   */
  rateLimit?: { perHour: number; burst: number };
  /**
   * Where the application's budget is kept (the subgraph's database: `CallBudget`), so that a
   * restarted process and the other replicas go on from what was spent; one row per application,
   * as Mercado Livre counts. Without it (tests, tools) this process keeps its own and starts it empty.
   */
  callBudget?: { db: SqlClient; applicationId: string };
  /**
   * Calls made while a shopper waits (listing reads): few attempts, short timeout.
   * @default { timeoutMs: 3000, maxAttempts: 2 }
   */
  interactive?: { timeoutMs?: number; maxAttempts?: number };
  /**
   * Calls made by background work (orders, the SKU index): patient, retried with backoff.
   * @default { timeoutMs: 10_000, maxAttempts: 4 }
   */
  background?: { timeoutMs?: number; maxAttempts?: number };
  /**
   * Listing quantity pushes: channel sync retries them itself with backoff (and holds each
   * claimed row only so long), so the client gives up early instead of waiting out an outage.
   * One attempt: a PUT that timed out may still have been applied, and repeating it at once
   * wrote the item twice (the order storm counted 1.2–1.3 PUTs per stock change under load);
   * channel sync's retry sends the newest quantity instead, after a backoff.
   * @default { timeoutMs: 5000, maxAttempts: 1 }
   */
  sync?: { timeoutMs?: number; maxAttempts?: number };
  fetch?: typeof fetch;
}

export interface MlShipment {
  id: number;
  mode: string;
  status: string;
  substatus: string | null;
  tracking_number: string | null;
  logistic?: { mode?: string; type?: string } | null;
}

/** Mercado Livre could not be reached, or kept failing (5xx, timeouts, 429) after retries. */
export class MercadoLivreUnavailable extends Error {
  readonly status: number | undefined;
  /** How long Mercado Livre asked us to wait (its Retry-After), when it said. */
  readonly retryAfterMs: number | undefined;

  constructor(message: string, status?: number, options?: { cause?: unknown; retryAfterMs?: number | undefined }) {
    super(message, options);
    this.name = 'MercadoLivreUnavailable';
    this.status = status;
    this.retryAfterMs = options?.retryAfterMs;
  }

  /** Mercado Livre itself failed (5xx, a timeout, unreachable), not its rate limit (429). */
  get outage(): boolean {
    return this.status !== 429;
  }
}

/** Mercado Livre answered with a client error (4xx other than 401/429): retrying will not help. */
export class MercadoLivreApiError extends Error {
  readonly status: number;
  /** Mercado Livre's `error` field, e.g. `not_found`, `validation_error`. */
  readonly code: string;

  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = 'MercadoLivreApiError';
    this.status = status;
    this.code = code;
  }
}

/**
 * The per-application token bucket as a limiter for createPlatformFetch. Mercado Livre applies its
 * limit per application (Client ID), counts requests as they arrive and answers 429 past it
 * (https://developers.mercadolivre.com.br/en_us/rate-limit-429-error): the bucket keeps the
 * requests in flight out of its capacity (see TokenBucket), and starts empty, because a process
 * started again cannot know how much of the application's budget the one before it spent. The
 * subgraph passes its database instead (`callBudget`), where that is known.
 */
export function applicationLimiter(rate: { perHour: number; burst: number }, options: { now?: () => number } = {}): RequestLimiter {
  return bucketLimiter(new TokenBucket(rate.perHour / 3600, rate.burst, { initialTokens: 0, ...options }));
}

/**
 * Which calls go first when the application's budget runs short (a storm of orders): a shopper's
 * page, then what changes or protects stock (reading an order, its shipment for routing, a listing
 * that has sold out: Mercado Livre would go on selling it), then the other quantity pushes, which
 * lose nothing by waiting (the newest quantity is sent when they go, several changes in one call).
 * Those leave a tenth of the burst to the others: in a storm the orders arrive a few at a time,
 * and between them the pushes would otherwise spend the whole burst (a storm measured 79 pushes in
 * its last 5 s while the orders then waited on the refill). A third held the pushes back for 35 s
 * after the storm, waiting for a refill the orders did not need.
 */
export function callPriority(operation: string): number {
  switch (operation) {
    case 'multigetItems':
    case 'getApplication':
    case 'missedFeeds':
      return 0;
    case 'getOrder':
    case 'searchOrders':
    case 'getShipment':
    case 'updateItemSoldOut':
    // One multiget before the listing writes of items Mercado Livre's own sales have lowered:
    // it spares every write whose quantity the listing shows already.
    case 'checkItems':
      return 1;
    default:
      return 2;
  }
}

type Mode = 'interactive' | 'background' | 'sync';
/** The multiget for a page (`multigetItems`) or before listing writes (`checkItems`): they go at different priorities. */
export type ItemsReadOperation = 'multigetItems' | 'checkItems';
/** /missed_feeds pages hold at most 100 messages. */
const MISSED_FEEDS_PAGE = 100;

/**
 * A small typed client for the Mercado Livre API (there is no maintained Node client): bearer
 * auth with refresh on expiry or on a 401, the application's rate limit as a token bucket
 * shared by every call, and timeouts and retries (backoff with jitter, Retry-After honoured on
 * 429 and 5xx) from createPlatformFetch.
 */
export class MercadoLivreClient {
  readonly #options: MercadoLivreClientOptions;
  readonly #baseUrl: string;
  readonly #fetchers: Record<Mode, PlatformFetch>;
  /** The application's budget kept in the database, when the client was given one. */
  #budget: CallBudget | undefined;
  /** Tokens the other calls leave to order reads and sold-out writes while those are being made. */
  readonly #reserveForUrgent: number;

  constructor(options: MercadoLivreClientOptions) {
    if (!options.baseUrl) throw new Error('MercadoLivreClient needs the API base URL');
    if (!options.userId) throw new Error('MercadoLivreClient needs the seller user id');
    this.#options = options;
    this.#baseUrl = options.baseUrl.replace(/\/+$/, '');
    const rate = options.rateLimit ?? { perHour: DEFAULT_REQUESTS_PER_HOUR, burst: DEFAULT_BURST };
    this.#reserveForUrgent = Math.floor(rate.burst / 10);
    const limiter = options.callBudget
      ? (this.#budget = new CallBudget(options.callBudget.db, { budget: `mercadolivre:${options.callBudget.applicationId}`, ratePerSecond: rate.perHour / 3600, burst: rate.burst, priorityOf: callPriority, reserveFor: (operation) => (callPriority(operation) > 1 ? this.#reserveForUrgent : 0) }))
      : applicationLimiter(rate);
    const fetchImpl = options.fetch ?? fetch;
    this.#fetchers = {
      interactive: createPlatformFetch({ limiter, fetch: fetchImpl, timeoutMs: options.interactive?.timeoutMs ?? 3000, maxAttempts: options.interactive?.maxAttempts ?? 2, baseDelayMs: 100, maxDelayMs: 1000 }),
      background: createPlatformFetch({ limiter, fetch: fetchImpl, timeoutMs: options.background?.timeoutMs ?? 10_000, maxAttempts: options.background?.maxAttempts ?? 4 }),
      sync: createPlatformFetch({ limiter, fetch: fetchImpl, timeoutMs: options.sync?.timeoutMs ?? 5000, maxAttempts: options.sync?.maxAttempts ?? 1, baseDelayMs: 200, maxDelayMs: 2000 }),
    };
  }

  get userId(): string {
    return this.#options.userId;
  }

  /**
   * Calls waiting for the application's budget that go before a listing write of a quantity
   * other than 0 (order and shipment reads, sold-out writes): 0 without a budget in the database.
   */
  callsAheadOfListingWrites(): number {
    return this.#budget?.waitingBefore(callPriority('updateItem')) ?? 0;
  }

  /**
   * Whether the application's budget is down to the share the listing writes leave to the urgent
   * calls (a tenth of the burst): a storm has spent it, and each call now waits on the refill.
   * False without a budget in the database.
   */
  budgetLow(): boolean {
    return this.#budget !== undefined && this.#budget.tokensAbout < this.#reserveForUrgent;
  }

  /**
   * Items by id through the multiget, 20 ids per call (one call for up to 20 items). Ids
   * Mercado Livre does not know are left out of the result.
   */
  async items(ids: readonly string[], options: { mode?: Mode; operation?: ItemsReadOperation } = {}): Promise<MlItem[]> {
    const unique = [...new Set(ids)];
    const chunks: string[][] = [];
    for (let start = 0; start < unique.length; start += MULTIGET_MAX_IDS) chunks.push(unique.slice(start, start + MULTIGET_MAX_IDS));
    const answers = await Promise.all(
      chunks.map((chunk) =>
        this.#get<MlMultigetEntry[]>(`/items?ids=${chunk.map(encodeURIComponent).join(',')}&include_attributes=all`, options.mode ?? 'interactive', options.operation ?? 'multigetItems'),
      ),
    );
    return answers.flat().flatMap((entry) => (entry.code === 200 ? [entry.body as MlItem] : []));
  }

  /** Every item id of the seller, all statuses, following the pages. */
  async sellerItemIds(): Promise<string[]> {
    // Offset paging stops at 1,000 results; `search_type=scan` walks any number of items, 100 per
    // page at most, each page naming the next by `scroll_id`, until a page comes back empty.
    // https://developers.mercadolivre.com.br/pt_br/items-e-buscas ("Modo de busca acima de 1000 registros")
    const ids: string[] = [];
    const base = `/users/${encodeURIComponent(this.userId)}/items/search?search_type=scan&limit=${SEARCH_PAGE_LIMIT}`;
    let scrollId: string | undefined;
    for (;;) {
      const page = await this.#get<MlItemSearch>(scrollId ? `${base}&scroll_id=${encodeURIComponent(scrollId)}` : base, 'background', 'searchItems');
      ids.push(...page.results);
      if (page.results.length === 0 || ids.length >= page.paging.total || !page.scroll_id) return ids;
      scrollId = page.scroll_id;
    }
  }

  /**
   * Changes an item (`PUT /items/{id}`), e.g. `{ available_quantity }` or `{ variations }`, and
   * answers the item as Mercado Livre now shows it (with attributes, so SKUs can be learned).
   */
  async updateItem(itemId: string, changes: MlItemUpdate): Promise<MlItem> {
    const soldOut = changes.available_quantity === 0 || (changes.variations ?? []).some((variation) => variation.available_quantity === 0);
    return this.#request<MlItem>('PUT', `/items/${encodeURIComponent(itemId)}`, 'sync', soldOut ? 'updateItemSoldOut' : 'updateItem', changes);
  }

  /**
   * Notifications Mercado Livre stopped retrying because our callback did not answer (down for
   * longer than its retry window), for one topic, oldest first.
   */
  async missedNotifications(applicationId: string, topic: string): Promise<MlNotification[]> {
    const missed: MlNotification[] = [];
    for (let offset = 0; ; offset += MISSED_FEEDS_PAGE) {
      const page = await this.#get<{ messages: MlNotification[]; total: number }>(
        `/missed_feeds?app_id=${encodeURIComponent(applicationId)}&topic=${encodeURIComponent(topic)}&offset=${offset}&limit=${MISSED_FEEDS_PAGE}`,
        'background',
        'missedFeeds',
      );
      missed.push(...page.messages);
      if (page.messages.length === 0 || offset + MISSED_FEEDS_PAGE >= page.total) return missed;
    }
  }

  /**
   * The application as Mercado Livre has it (`GET /applications/{id}`): the callback URL and the
   * topics it receives now. A topic Mercado Livre switched off is missing from the list.
   */
  async application(applicationId: string): Promise<MlApplication> {
    return this.#get<MlApplication>(`/applications/${encodeURIComponent(applicationId)}`, 'interactive', 'getApplication');
  }

  /** How many notifications of a topic /missed_feeds still keeps (two days), and the newest. */
  async missedNotificationsSummary(applicationId: string, topic: string): Promise<{ total: number; newest: MlNotification | undefined }> {
    const query = `app_id=${encodeURIComponent(applicationId)}&topic=${encodeURIComponent(topic)}`;
    const first = await this.#get<{ messages: MlNotification[]; total: number }>(`/missed_feeds?${query}&offset=0&limit=1`, 'interactive', 'missedFeeds');
    if (first.total <= 1) return { total: first.total, newest: first.messages[0] };
    const last = await this.#get<{ messages: MlNotification[]; total: number }>(`/missed_feeds?${query}&offset=${first.total - 1}&limit=1`, 'interactive', 'missedFeeds');
    return { total: first.total, newest: last.messages[0] ?? first.messages[0] };
  }

  /** The order, or null when Mercado Livre does not know it (yet). */
  async order(orderId: string): Promise<MlOrder | null> {
    try {
      return await this.#get<MlOrder>(`/orders/${encodeURIComponent(orderId)}`, 'background', 'getOrder');
    } catch (error) {
      if (error instanceof MercadoLivreApiError && error.status === 404) return null;
      throw error;
    }
  }

  /**
   * One page of the seller's orders updated since a time (`GET /orders/search?seller=…`), each
   * result the whole order with its `date_last_updated`. Mercado Livre's date filters count to
   * the hour (minutes, seconds and milliseconds are dropped), a seller's search leaves cancelled
   * orders out, and `sort` is date_asc (the default) or date_desc, by `date_closed` for a seller:
   * https://developers.mercadolivre.com.br/gerenciamento-de-vendas ("Consultar orders", "Filtrar
   * orders", "Ordenar uma order"). Pages hold 50 (its example's `paging.limit`); the date is sent
   * as its examples write it, `2015-07-01T00:00:00.000-00:00`.
   */
  async searchOrders(query: { updatedFrom: number; sort: 'date_asc' | 'date_desc'; offset?: number; limit?: number }): Promise<MlOrderSearch> {
    const updatedFrom = new Date(query.updatedFrom).toISOString().replace(/Z$/, '-00:00');
    const params = new URLSearchParams({
      seller: this.userId,
      'order.date_last_updated.from': updatedFrom,
      sort: query.sort,
      limit: String(Math.min(query.limit ?? ORDER_SEARCH_PAGE_LIMIT, ORDER_SEARCH_PAGE_LIMIT)),
      offset: String(query.offset ?? 0),
    });
    return this.#get<MlOrderSearch>(`/orders/search?${params}`, 'background', 'searchOrders');
  }

  /**
   * A shipment (`GET /shipments/{id}`, the id an order names in `shipping.id`), or null when Mercado
   * Livre does not know it. Sent with `x-format-new: true`, which Mercado Livre requires for the
   * current JSON: the buyer's address is then `destination.shipping_address`
   * (https://developers.mercadolivre.com.br/pt_br/gerenciamento-de-envios). A background call: the
   * inbox worker reads it with the order.
   */
  async shipment(shipmentId: string): Promise<MlShipmentDetail | null> {
    try {
      return await this.#request<MlShipmentDetail>('GET', `/shipments/${encodeURIComponent(shipmentId)}`, 'background', 'getShipment', undefined, { 'x-format-new': 'true' });
    } catch (error) {
      if (error instanceof MercadoLivreApiError && error.status === 404) return null;
      throw error;
    }
  }

  /**
   * The order's shipment (`GET /orders/{id}/shipments`): its mode (me1/custom: the seller ships;
   * me2: Mercado Envios), status and tracking. https://developers.mercadolivre.com.br/status-de-pedidos-rastreamento
   */
  async orderShipment(orderId: string): Promise<MlShipment> {
    return this.#get<MlShipment>(`/orders/${encodeURIComponent(orderId)}/shipments`, 'sync', 'getOrderShipment');
  }

  /** `POST /shipments/{id}/seller_notifications`: the seller informs a status (shipped, with the tracking) the buyer is shown. */
  async notifyShipment(shipmentId: number, notification: { status: 'shipped'; trackingNumber: string; trackingUrl: string | null; comment: string; date: string }): Promise<void> {
    await this.#request<{ status: string }>('POST', `/shipments/${shipmentId}/seller_notifications`, 'sync', 'sellerNotification', {
      payload: { comment: notification.comment, date: notification.date },
      tracking_number: notification.trackingNumber,
      ...(notification.trackingUrl ? { tracking_url: notification.trackingUrl } : {}),
      status: notification.status,
      substatus: null,
    });
  }

  #get<Body>(path: string, mode: Mode, operation: string): Promise<Body> {
    return this.#request<Body>('GET', path, mode, operation);
  }

  async #request<Body>(method: 'GET' | 'PUT' | 'POST', path: string, mode: Mode, operation: string, body?: unknown, extraHeaders: Record<string, string> = {}): Promise<Body> {
    let token = await this.#options.tokens.accessToken();
    const content = body === undefined ? {} : { body: JSON.stringify(body) };
    const requestHeaders: Record<string, string> = body === undefined ? { ...extraHeaders } : { 'content-type': 'application/json', ...extraHeaders };
    for (let attempt = 1; ; attempt++) {
      let response: Response;
      try {
        response = await this.#fetchers[mode](`${this.#baseUrl}${path}`, { method, operation, headers: { authorization: `Bearer ${token}`, accept: 'application/json', ...requestHeaders }, ...content });
      } catch (error) {
        throw new MercadoLivreUnavailable(`Mercado Livre unreachable (${operation}): ${(error as Error).message}`, (error as PlatformRequestError).status, { cause: error });
      }
      if (response.ok) return (await response.json()) as Body;
      const answer = (await response.json().catch(() => ({}))) as { error?: string; message?: string; code?: string; cause?: Array<{ message?: string }> };
      // An expired or revoked token: refresh once and repeat the call.
      if (response.status === 401 && attempt === 1) {
        token = await this.#options.tokens.refresh(token);
        continue;
      }
      if (response.status === 429 || response.status >= 500) {
        throw new MercadoLivreUnavailable(`Mercado Livre answered HTTP ${response.status} to ${operation} (${answer.error ?? answer.code ?? ''} ${answer.message ?? ''})`.trim(), response.status, {
          retryAfterMs: retryAfterMs(response.headers.get('retry-after')),
        });
      }
      // A validation_error says what was wrong only in `cause`; keep it for the dead letter.
      const causes = (answer.cause ?? []).flatMap((cause) => (cause.message ? [cause.message] : [])).join('; ');
      throw new MercadoLivreApiError(response.status, answer.error ?? answer.code ?? 'unknown', `Mercado Livre refused ${operation}: HTTP ${response.status} ${answer.message ?? ''}${causes ? ` (${causes})` : ''}`.trim());
    }
  }
}
