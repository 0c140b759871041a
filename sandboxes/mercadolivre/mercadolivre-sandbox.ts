/**
 * Mercado Livre API sandbox: items with variations (`GET/PUT /items/{id}`), the seller's item
 * search, orders, OAuth 2.0 with 6-hour bearer tokens and single-use refresh tokens, a
 * per-application request limit answered with 429, and data-less notifications POSTed to the
 * application's callback URL and retried until answered.
 */
import { randomUUID } from 'node:crypto';
import { seedInputFrom } from '../common/catalog.ts';
import type { SeedInput } from '../common/catalog.ts';
import { ControlError } from '../common/control-api.ts';
import type { SandboxControlAdapter } from '../common/control-api.ts';
import { header, json, parseFormOrJson, parseJsonBody, Router, SandboxHttpError } from '../common/http.ts';
import type { RouteHandler, SandboxRequest, SandboxResponse } from '../common/http.ts';
import { createSandboxParts, createSandboxServer } from '../common/sandbox-server.ts';
import type { SandboxServer } from '../common/sandbox-server.ts';
import { TokenBucket } from '../common/token-bucket.ts';
import { WebhookDispatcher } from '../common/webhooks.ts';
import type { WebhookRetryPolicy } from '../common/webhooks.ts';
import { ACCESS_TOKEN_TTL_SECONDS, MlTokenIssuer } from './oauth.ts';
import type { IssuedToken, MlApplication } from './oauth.ts';
import { itemJson, orderJson, shipmentJson } from './resources.ts';
import { MlStore, SellerNotificationRefused, sellerSkuOf } from './store.ts';
import type { MlItem, MlOrder, MlShippingMode, MlVariation } from './store.ts';

/** 18,000 requests an hour per application, seen in Mercado Livre's documentation. */
export const DEFAULT_REQUESTS_PER_HOUR = 18_000;
export const MAX_SEARCH_LIMIT = 100;
/** `GET /orders/search` pages hold 50 orders (the documentation's example; see the route). */
export const MAX_ORDER_SEARCH_LIMIT = 50;
const HOUR_MS = 3_600_000;
/** Offset paging of a seller's items ends at this many results (see the items-search route). */
export const MAX_OFFSET_RESULTS = 1000;
/**
 * Mercado Livre expects an HTTP 200 within 500 ms and retries unanswered notifications for a
 * while before dropping them (they then appear in /missed_feeds). Times here are compressed.
 * https://developers.mercadolivre.com.br/pt_br/produto-receba-notificacoes ("Considerações",
 * "Histórico das notificações").
 */
export const MERCADOLIVRE_NOTIFICATION_RETRY: WebhookRetryPolicy = { maxAttempts: 8, initialDelayMs: 1_000, multiplier: 2, maxDelayMs: 60_000, timeoutMs: 500 };
export const NOTIFICATION_TOPICS = ['orders_v2', 'items'] as const;
/** How long /missed_feeds keeps a notification Mercado Livre gave up on: two days (issue 7, item 6; see the page above). */
export const MISSED_FEEDS_RETENTION_MS = 2 * 24 * 60 * 60 * 1000;

export interface MercadoLivreSandboxOptions {
  /** The seller account's user id. @default 1234567890 */
  userId?: number;
  /** The application (client) id and secret, and its registered redirect URI. */
  application?: Partial<MlApplication>;
  /** A token pair valid from the start, as an app that already went through OAuth would hold. */
  accessToken?: string;
  refreshToken?: string;
  /** @default 21600 (6 hours) */
  accessTokenTtlSeconds?: number;
  /**
   * Per-application limit as a token bucket. @default burst 300 (a minute's worth), refilled at
   * 18,000 an hour
   */
  rateLimit?: { burst: number; perHour: number };
  /** The application's notification callback URL (set in Mercado Livre's application manager). */
  notificationCallbackUrl?: string;
  /** Topics the application subscribed to. @default ['orders_v2'] */
  notificationTopics?: string[];
  notificationRetry?: Partial<WebhookRetryPolicy>;
  /** Catalog to seed at construction; `false` for an empty account. @default the demo catalog */
  seed?: SeedInput | false;
  /**
   * Start the order id sequence from the clock, so ids never repeat those of an earlier run (a
   * client such as Ponte remembers the ids it applied). `npm start` turns it on. @default false:
   * fixed ids, for tests that read them
   */
  uniqueOrderIds?: boolean;
  /** How orders placed ship: me2 (Mercado Envios, most Brazilian sellers), me1 or custom (the seller ships). @default me2 */
  shippingMode?: MlShippingMode;
  now?: () => number;
}

export interface MercadoLivreSandbox extends SandboxServer {
  readonly store: MlStore;
  readonly tokens: MlTokenIssuer;
  readonly webhooks: WebhookDispatcher;
  readonly rateLimit: TokenBucket;
  readonly callLog: ReturnType<typeof createSandboxParts>['callLog'];
  readonly faults: ReturnType<typeof createSandboxParts>['faults'];
  readonly userId: number;
  readonly application: MlApplication;
  readonly accessToken: string;
  readonly refreshToken: string;
  /** Where notifications go; settable at runtime, as in the application manager. */
  notificationCallbackUrl: string | undefined;
  notificationTopics: string[];
  /** Topics switched off after their notifications went unanswered, with when (ISO 8601). */
  readonly disabledTopics: ReadonlyMap<string, string>;
}

interface MissedFeed {
  _id: string;
  resource: string;
  user_id: number;
  topic: string;
  application_id: number;
  attempts: number;
  sent: string;
  received: string;
  request: { url: string; headers: Record<string, string>; data: string };
  response: { req_time: number; status: number | null; headers: Record<string, string>; data: string };
}

export /** Whether the caller asked for the current shipments JSON (`x-format-new: true`). */
function formatNew(request: SandboxRequest): boolean {
  return header(request, 'x-format-new')?.toLowerCase() === 'true';
}

function mlError(status: number, error: string, message: string, cause: unknown[] = []): SandboxHttpError {
  return new SandboxHttpError(status, { message, error, status, cause });
}

function validationError(code: string, message: string, references: string[]): SandboxHttpError {
  return mlError(400, 'validation_error', 'Validation error', [{ department: 'items', cause_id: 0, type: 'error', code, references, message }]);
}

interface Caller {
  token: IssuedToken;
}

export function createMercadoLivreSandbox(options: MercadoLivreSandboxOptions = {}): MercadoLivreSandbox {
  const userId = options.userId ?? 1_234_567_890;
  const application: MlApplication = {
    applicationId: options.application?.applicationId ?? 5_512_345_678_901_234,
    clientSecret: options.application?.clientSecret ?? 'ml-sandbox-client-secret',
    redirectUri: options.application?.redirectUri ?? 'http://localhost:4000/mercadolivre/oauth/callback',
  };
  const parts = createSandboxParts(options.now);
  const store = new MlStore(userId, parts.now, options.uniqueOrderIds);
  if (options.shippingMode) store.shippingMode = options.shippingMode;
  const tokens = new MlTokenIssuer(parts.now, options.accessTokenTtlSeconds ?? ACCESS_TOKEN_TTL_SECONDS);
  const accessToken = options.accessToken ?? `APP_USR-${application.applicationId}-sandbox-${userId}`;
  const refreshToken = options.refreshToken ?? `TG-sandbox-refresh-${userId}`;
  tokens.preissue(accessToken, refreshToken, userId, application.applicationId);
  const limit = options.rateLimit ?? { burst: DEFAULT_REQUESTS_PER_HOUR / 60, perHour: DEFAULT_REQUESTS_PER_HOUR };
  const rateLimit = new TokenBucket(limit.burst, limit.perHour / 3600, parts.now);
  const webhooks = new WebhookDispatcher({ retry: { ...MERCADOLIVRE_NOTIFICATION_RETRY, ...options.notificationRetry }, now: parts.now });
  const missedFeeds: MissedFeed[] = [];
  /** Open scan scrolls of the item search, by scroll id. */
  const scrolls = new Map<string, { ids: string[]; position: number }>();

  // The application manager's settings: changeable while running.
  const sandbox: { notificationCallbackUrl: string | undefined; notificationTopics: string[]; disabledTopics: Map<string, string> } = {
    notificationCallbackUrl: options.notificationCallbackUrl,
    notificationTopics: [...(options.notificationTopics ?? ['orders_v2'])],
    // A topic whose notifications the callback failed to take (no 200 within 500 ms, through every
    // retry) is switched off until the application subscribes to it again; the value is when.
    disabledTopics: new Map(),
  };

  store.onEvent((event) => {
    const url = sandbox.notificationCallbackUrl;
    if (!url || !sandbox.notificationTopics.includes(event.topic) || sandbox.disabledTopics.has(event.topic)) return;
    const id = randomUUID();
    const received = new Date(parts.now()).toISOString();
    // The notification says what changed, never how: the receiver must GET the resource.
    const bodyFor = (attempt: number, sentAt: Date) =>
      JSON.stringify({ _id: id, resource: event.resource, user_id: userId, topic: event.topic, application_id: application.applicationId, attempts: attempt, sent: sentAt.toISOString(), received });
    const maxAttempts = webhooks.retryPolicy.maxAttempts;
    webhooks.dispatch({
      eventId: id,
      topic: event.topic,
      url,
      render: (attempt, sentAt) => ({ body: bodyFor(attempt, sentAt), headers: { 'Content-Type': 'application/json', Accept: 'application/json' } }),
      onAttempt: (attempt) => {
        if (attempt.ok || attempt.duplicate || attempt.attempt < maxAttempts) return;
        missedFeeds.push({
          _id: id,
          resource: event.resource,
          user_id: userId,
          topic: event.topic,
          application_id: application.applicationId,
          attempts: attempt.attempt,
          sent: attempt.sentAt,
          received,
          request: { url, headers: attempt.headers, data: attempt.body },
          response: { req_time: 0, status: attempt.status, headers: {}, data: attempt.error ?? '' },
        });
        if (!sandbox.disabledTopics.has(event.topic)) sandbox.disabledTopics.set(event.topic, new Date(parts.now()).toISOString());
      },
    });
  });

  if (options.seed !== false) store.seed(options.seed ?? seedInputFrom(undefined, 'MERCADO_LIVRE'));

  const router = new Router<Caller, unknown>();
  const route = (method: string, path: string, handler: RouteHandler<Caller, unknown>) => router.add(method, path, handler);

  route('GET', '/users/me', (_request, caller) => ({ id: caller.token.userId, nickname: `PONTE_SANDBOX_${caller.token.userId}`, site_id: 'MLB', country_id: 'BR' }));
  route('GET', '/items', (request) => {
    const ids = (request.url.searchParams.get('ids') ?? '').split(',').filter(Boolean);
    if (ids.length === 0) throw mlError(400, 'bad_request', 'ids parameter is required');
    if (ids.length > 20) throw mlError(400, 'bad_request', 'Cannot request more than 20 ids');
    const includeAttributes = request.url.searchParams.get('include_attributes') === 'all';
    return ids.map((id) => {
      const item = store.items.get(id);
      return item
        ? { code: 200, body: pick(itemJson(item, userId, { includeAttributes }), request) }
        : { code: 404, body: { message: `Item with id ${id} not found`, error: 'not_found', status: 404, cause: [] } };
    });
  });
  route('GET', '/items/:id', (request) => pick(itemJson(itemById(request.params['id']), userId, { includeAttributes: request.url.searchParams.get('include_attributes') === 'all' }), request));
  route('PUT', '/items/:id', (request, caller) => {
    const item = itemById(request.params['id']);
    if (caller.token.userId !== userId) throw mlError(403, 'forbidden', 'The caller is not the seller of this item');
    updateItem(item, jsonBody(request));
    return itemJson(item, userId, { includeAttributes: true });
  });
  // The seller's items. Offset paging reaches the first 1,000 results only; past that Mercado
  // Livre requires `search_type=scan` (no offset) and then the `scroll_id` each answer returns,
  // limit 50 by default and 100 at most:
  // https://developers.mercadolivre.com.br/pt_br/items-e-buscas ("Modo de busca acima de 1000
  // registros: Trabalhar com Scan + Hash") and
  // http://developers.mercadolibre.com/pt-br/news/nova-modalidade-para-realizar-pesquisas-com-o-recurso-search/
  route('GET', '/users/:userId/items/search', (request, caller) => {
    if (request.params['userId'] !== String(caller.token.userId)) throw mlError(403, 'forbidden', 'invalid caller.id');
    const query = request.url.searchParams;
    const limitParam = Number(query.get('limit') ?? 50);
    if (!Number.isInteger(limitParam) || limitParam < 0 || limitParam > MAX_SEARCH_LIMIT) throw mlError(400, 'bad_request', `Limit must be a lower or equal than ${MAX_SEARCH_LIMIT}`);
    const scrollId = query.get('scroll_id');
    const scan = query.get('search_type') === 'scan';
    if (scrollId !== null && !scan) throw mlError(400, 'bad_request', 'scroll_id is only valid with search_type=scan');
    if (scan && query.has('offset')) throw mlError(400, 'bad_request', 'offset is not allowed with search_type=scan; use scroll_id');
    let items = [...store.items.values()];
    const status = query.get('status');
    if (status) items = items.filter((item) => item.status === status);
    const sku = query.get('seller_sku') ?? query.get('sku');
    if (sku) items = items.filter((item) => sellerSkuOf(item.attributes) === sku || item.variations.some((variation) => sellerSkuOf(variation.attributes) === sku));
    const common = { seller_id: String(userId), query: null, orders: [{ id: 'stop_time_asc', name: 'Order by stop time asc' }], available_orders: [{ id: 'stop_time_asc', name: 'Order by stop time asc' }] };
    if (scan) {
      // A scroll is a snapshot of the ids at its first call, walked in pages of `limit`.
      let scroll: { ids: string[]; position: number } | undefined;
      if (scrollId !== null) {
        scroll = scrolls.get(scrollId);
        if (!scroll) throw mlError(400, 'bad_request', 'Invalid scroll_id');
      } else scroll = { ids: items.map((item) => item.id), position: 0 };
      const page = scroll.ids.slice(scroll.position, scroll.position + limitParam);
      const next = Buffer.from(randomUUID()).toString('base64');
      scrolls.set(next, { ids: scroll.ids, position: scroll.position + page.length });
      if (scrollId !== null) scrolls.delete(scrollId);
      return { ...common, paging: { limit: limitParam, total: scroll.ids.length }, results: page, scroll_id: next };
    }
    const offset = Number(query.get('offset') ?? 0);
    if (!Number.isInteger(offset) || offset < 0) throw mlError(400, 'bad_request', 'Invalid offset');
    // The documentation states the limit, not the refusal's wording: the body has Mercado
    // Livre's error shape, and the sandbox refuses any page that reaches past result 1,000.
    if (offset + limitParam > MAX_OFFSET_RESULTS) throw mlError(400, 'bad_request', `The offset and limit exceed the maximum of ${MAX_OFFSET_RESULTS} results; use search_type=scan and scroll_id to read further`);
    return { ...common, paging: { limit: limitParam, offset, total: items.length }, results: items.slice(offset, offset + limitParam).map((item) => item.id) };
  });
  // The seller's orders: https://developers.mercadolivre.com.br/gerenciamento-de-vendas ("Consultar
  // orders", "Filtrar orders", "Ordenar uma order"). A seller's search leaves cancelled orders out;
  // a date filter counts to the hour, dropping minutes, seconds and milliseconds; `sort` is date_asc
  // (the default) or date_desc, by date_closed for a seller; each result is the order with its
  // `date_last_updated`, and pages hold 50 (`paging { total, offset, limit }`).
  route('GET', '/orders/search', (request, caller) => {
    const query = request.url.searchParams;
    if (query.get('seller') !== String(caller.token.userId)) throw mlError(403, 'forbidden', 'Invalid caller.id for seller');
    const limitParam = Number(query.get('limit') ?? MAX_ORDER_SEARCH_LIMIT);
    const offset = Number(query.get('offset') ?? 0);
    // The page size and what an unknown sort or date gets are not documented beyond the example
    // (a page of 50, the two sorts): the sandbox refuses more, so a client cannot come to rely on it.
    if (!Number.isInteger(limitParam) || limitParam < 1 || limitParam > MAX_ORDER_SEARCH_LIMIT) throw mlError(400, 'bad_request', `Invalid limit. Max limit is ${MAX_ORDER_SEARCH_LIMIT}`);
    if (!Number.isInteger(offset) || offset < 0) throw mlError(400, 'bad_request', 'Invalid offset');
    const sort = query.get('sort') ?? 'date_asc';
    if (sort !== 'date_asc' && sort !== 'date_desc') throw mlError(400, 'bad_request', `Invalid sort ${sort}: use date_asc or date_desc`);
    let orders = [...store.orders.values()].filter((order) => order.status !== 'cancelled');
    const status = query.get('order.status');
    if (status) orders = orders.filter((order) => status.split(',').includes(order.status));
    const updatedFrom = query.get('order.date_last_updated.from');
    if (updatedFrom) {
      const from = Date.parse(updatedFrom);
      if (!Number.isFinite(from)) throw mlError(400, 'bad_request', `Invalid date ${updatedFrom}`);
      orders = orders.filter((order) => Date.parse(order.lastUpdated) >= Math.floor(from / HOUR_MS) * HOUR_MS);
    }
    const closedAt = (order: MlOrder) => Date.parse(order.dateClosed);
    orders.sort((left, right) => (closedAt(left) - closedAt(right) || left.id - right.id) * (sort === 'date_desc' ? -1 : 1));
    const sorts = { date_asc: 'Date ascending', date_desc: 'Date descending' } as const;
    const other = sort === 'date_asc' ? 'date_desc' : 'date_asc';
    return {
      query: null,
      results: orders.slice(offset, offset + limitParam).map((order) => ({
        ...orderJson(order, userId, store.shipments.get(order.shippingId)),
        date_last_updated: new Date(Date.parse(order.lastUpdated)).toISOString(),
      })),
      sort: { id: sort, name: sorts[sort] },
      available_sorts: [{ id: other, name: sorts[other] }],
      filters: [],
      paging: { total: orders.length, offset, limit: limitParam },
      display: 'complete',
    };
  });
  route('GET', '/orders/:id', (request, caller) => {
    const order = store.orders.get(Number(request.params['id']));
    if (!order) throw mlError(404, 'not_found', `Order ${request.params['id']} not found`);
    if (caller.token.userId !== userId) throw mlError(403, 'forbidden', 'Invalid caller.id');
    return orderJson(order, userId, store.shipments.get(order.shippingId));
  });
  // Shipments: https://developers.mercadolivre.com.br/status-de-pedidos-rastreamento
  route('GET', '/orders/:id/shipments', (request, caller) => {
    const order = store.orders.get(Number(request.params['id']));
    if (!order) throw mlError(404, 'not_found', `Order ${request.params['id']} not found`);
    if (caller.token.userId !== userId) throw mlError(403, 'forbidden', 'Invalid caller.id');
    return shipmentJson(store.shipments.get(order.shippingId)!, order, { formatNew: formatNew(request) });
  });
  // The shipment an order names in shipping.id, with where it goes; the seller's own only.
  route('GET', '/shipments/:id', (request, caller) => {
    const shipment = store.shipments.get(Number(request.params['id']));
    if (!shipment) throw mlError(404, 'not_found', `Shipment ${request.params['id']} not found`);
    if (caller.token.userId !== userId) throw mlError(403, 'forbidden', 'Invalid caller.id');
    return shipmentJson(shipment, store.orders.get(shipment.orderId), { formatNew: formatNew(request) });
  });
  route('POST', '/shipments/:id/seller_notifications', (request) => {
    const shipment = store.shipments.get(Number(request.params['id']));
    if (!shipment) throw mlError(404, 'not_found', `Shipment ${request.params['id']} not found`);
    const input = parseJsonBody(request) as Record<string, unknown> | undefined;
    if (!input || typeof input !== 'object') throw mlError(400, 'bad_request', 'body is required');
    const payload = (input['payload'] ?? {}) as Record<string, unknown>;
    const text = (value: unknown) => (typeof value === 'string' && value.length > 0 && value !== 'null' ? value : null);
    try {
      store.notifyShipment(shipment, {
        status: String(input['status'] ?? ''),
        substatus: text(input['substatus']),
        trackingNumber: text(input['tracking_number']),
        trackingUrl: text(input['tracking_url']),
        serviceId: typeof payload['service_id'] === 'number' ? payload['service_id'] : null,
        comment: text(payload['comment']),
        date: text(payload['date']),
      });
    } catch (error) {
      if (error instanceof SellerNotificationRefused) throw mlError(error.status, error.code, error.message);
      throw error;
    }
    return { status: 'OK' };
  });
  route('GET', '/missed_feeds', (request, caller) => {
    const query = request.url.searchParams;
    if (query.get('app_id') !== String(caller.token.applicationId)) throw mlError(403, 'forbidden', 'app_id does not belong to the caller');
    const topic = query.get('topic');
    // Kept two days, then gone.
    const keptFrom = parts.now() - MISSED_FEEDS_RETENTION_MS;
    const messages = missedFeeds.filter((feed) => Date.parse(feed.received) >= keptFrom).filter((feed) => !topic || feed.topic === topic);
    const offset = Number(query.get('offset') ?? 0);
    const limitParam = Math.min(Number(query.get('limit') ?? 10), 100);
    return { messages: messages.slice(offset, offset + limitParam), total: messages.length, offset, limit: limitParam };
  });
  // The application as the application manager shows it: where notifications go and the topics
  // it receives now (a disabled topic is absent until the app subscribes to it again).
  route('GET', '/applications/:appId', (request, caller) => {
    if (request.params['appId'] !== String(caller.token.applicationId)) throw mlError(403, 'forbidden', 'The application does not belong to the caller');
    return {
      id: application.applicationId,
      site_id: 'MLB',
      name: 'Ponte',
      url: application.redirectUri,
      notifications_callback_url: sandbox.notificationCallbackUrl ?? null,
      notifications_topics: sandbox.notificationTopics.filter((topic) => !sandbox.disabledTopics.has(topic)),
    };
  });

  function itemById(id: string | undefined): MlItem {
    const item = store.items.get(id ?? '');
    if (!item) throw mlError(404, 'not_found', `Item with id ${id} not found`);
    return item;
  }

  function updateItem(item: MlItem, input: Record<string, unknown>): void {
    if (item.status === 'closed') throw validationError('item.status.invalid', `Item ${item.id} is closed and cannot be modified`, ['item.status']);
    if (input['available_quantity'] !== undefined) {
      if (item.variations.length > 0) {
        throw validationError('item.available_quantity.invalid', `Item ${item.id} has variations: update available_quantity on each variation`, ['item.available_quantity']);
      }
      if (!Number.isInteger(input['available_quantity']) || (input['available_quantity'] as number) < 0) {
        throw validationError('item.available_quantity.invalid', 'available_quantity must be a non-negative integer', ['item.available_quantity']);
      }
    }
    if (input['price'] !== undefined && (typeof input['price'] !== 'number' || input['price'] <= 0)) throw validationError('item.price.invalid', 'price must be a positive number', ['item.price']);
    if (input['status'] !== undefined && !['active', 'paused', 'closed'].includes(String(input['status']))) throw validationError('item.status.invalid', 'status must be active, paused or closed', ['item.status']);
    const variations = input['variations'] === undefined ? undefined : replaceVariations(item, input['variations']);

    // Validated: apply.
    if (typeof input['available_quantity'] === 'number') item.availableQuantity = input['available_quantity'];
    if (typeof input['price'] === 'number') item.price = input['price'];
    if (variations) item.variations = variations;
    if (typeof input['status'] === 'string') {
      item.status = input['status'] as MlItem['status'];
      item.subStatus = [];
    }
    store.reactivateIfRestocked(item);
    store.itemChanged(item);
  }

  /**
   * Mercado Livre replaces the whole variation list: an entry with `id` updates that variation,
   * one without creates a variation, and a variation left out is deleted.
   */
  function replaceVariations(item: MlItem, input: unknown): MlVariation[] {
    if (!Array.isArray(input)) throw validationError('item.variations.invalid', 'variations must be a list', ['item.variations']);
    return input.map((entry: unknown, index): MlVariation => {
      const fields = (entry ?? {}) as Record<string, unknown>;
      const quantity = fields['available_quantity'];
      if (quantity !== undefined && (!Number.isInteger(quantity) || (quantity as number) < 0)) {
        throw validationError('item.variations.available_quantity.invalid', `variations[${index}].available_quantity must be a non-negative integer`, [`item.variations[${index}].available_quantity`]);
      }
      if (fields['id'] !== undefined) {
        const existing = item.variations.find((variation) => variation.id === Number(fields['id']));
        if (!existing) throw validationError('item.variations.id.invalid', `Variation ${String(fields['id'])} does not belong to item ${item.id}`, [`item.variations[${index}].id`]);
        return {
          ...existing,
          availableQuantity: typeof quantity === 'number' ? quantity : existing.availableQuantity,
          price: typeof fields['price'] === 'number' ? fields['price'] : existing.price,
        };
      }
      const combinations = fields['attribute_combinations'];
      if (!Array.isArray(combinations) || combinations.length === 0) {
        throw validationError('item.variations.attribute_combinations.missing', `variations[${index}] needs an id (to keep it) or attribute_combinations (to create it)`, [`item.variations[${index}]`]);
      }
      const attributes = Array.isArray(fields['attributes']) ? (fields['attributes'] as MlVariation['attributes']) : [];
      return {
        id: store.nextVariationId(),
        price: typeof fields['price'] === 'number' ? fields['price'] : item.price,
        availableQuantity: typeof quantity === 'number' ? quantity : 0,
        soldQuantity: 0,
        attributeCombinations: combinations as MlVariation['attributeCombinations'],
        attributes: attributes.map((attribute) => ({ id: attribute.id, name: attribute.name ?? attribute.id, value_id: attribute.value_id ?? null, value_name: attribute.value_name })),
      };
    });
  }

  async function handle(request: SandboxRequest): Promise<SandboxResponse> {
    if (request.path === '/oauth/token') {
      if (request.method !== 'POST') return json(405, { message: 'Method not allowed', error: 'method_not_allowed', status: 405, cause: [] });
      const result = tokens.exchange(application, parseFormOrJson(request));
      return 'access_token' in result ? json(200, result) : json(result.status, result.body);
    }
    if (request.path === '/authorization' && request.method === 'GET') {
      // Stands in for auth.mercadolivre.com.br: the seller has already agreed, so redirect with a code.
      const query = request.url.searchParams;
      if (query.get('client_id') !== String(application.applicationId)) return json(400, { message: 'invalid client_id', error: 'invalid_client', status: 400, cause: [] });
      const redirectUri = query.get('redirect_uri') ?? application.redirectUri;
      const target = new URL(redirectUri);
      target.searchParams.set('code', tokens.issueCode(userId, application.applicationId, redirectUri));
      const state = query.get('state');
      if (state) target.searchParams.set('state', state);
      return { status: 302, headers: { Location: target.toString() } };
    }

    const matched = router.match(request.method, request.path);
    if (matched === undefined || matched === 'method-not-allowed') {
      return json(404, { message: `Resource ${request.path} not found.`, error: 'not_found', status: 404, cause: [] });
    }
    const authorization = header(request, 'authorization');
    if (!authorization) return json(401, { message: 'authorization value not present', error: 'unauthorized', status: 401, cause: [] });
    const token = tokens.verify(authorization.replace(/^Bearer\s+/i, ''));
    if (token === 'invalid') return json(401, { message: 'invalid access token', error: 'invalid_token', status: 401, cause: [] });
    if (token === 'expired') return json(401, { message: 'expired_token', error: 'invalid_token', status: 401, cause: [] });
    if (!rateLimit.tryTake(1)) {
      return { ...json(429, { code: 'local_rate_limited', message: 'Local limit exceeded' }), rateLimited: true };
    }
    try {
      const result = await matched.handler({ ...request, params: matched.params }, { token });
      return json(200, result);
    } catch (error) {
      if (error instanceof SyntaxError) return json(400, { message: 'body is not a valid JSON', error: 'bad_request', status: 400, cause: [] });
      throw error;
    }
  }

  const control: SandboxControlAdapter = {
    seed: (input) => store.seed(seedInputFrom(input, 'MERCADO_LIVRE')),
    placeOrder: (input) => store.placeOrder(input),
    cancelOrder: (orderId) => store.cancelOrder(orderId),
    fulfilOrder: (orderId) => store.fulfilOrder(orderId),
    shopperView: (orderId) => store.shopperView(orderId),
    setStock: (edit) => store.setStock(edit),
    stock: () => store.listedStock(),
    subscribe: ({ topic, url }) => {
      if (!(NOTIFICATION_TOPICS as readonly string[]).includes(topic)) throw new ControlError(400, 'UNKNOWN_TOPIC', `The sandbox notifies ${NOTIFICATION_TOPICS.join(' and ')}, not ${topic}`);
      // One callback URL per application, as in Mercado Livre's application manager.
      sandbox.notificationCallbackUrl = url;
      if (!sandbox.notificationTopics.includes(topic)) sandbox.notificationTopics.push(topic);
      // Subscribing again is what turns a disabled topic back on.
      sandbox.disabledTopics.delete(topic);
      return { id: String(application.applicationId), topic, url };
    },
    resetRateLimits: () => rateLimit.reset(),
    routes: [
      {
        // The seller's shipping setup, for the orders placed from now on.
        method: 'PUT',
        path: '/_sandbox/shipping-mode',
        handle(request) {
          const input = parseJsonBody(request) as { mode?: unknown } | undefined;
          if (input?.mode !== 'me1' && input?.mode !== 'me2' && input?.mode !== 'custom') throw new ControlError(400, 'BAD_REQUEST', 'mode must be me1, me2 or custom');
          store.shippingMode = input.mode;
          return json(200, { mode: store.shippingMode });
        },
      },
    ],
  };

  const server = createSandboxServer({
    platform: 'mercadolivre',
    api: {
      handle,
      serverError: (status) => json(status, { message: status === 503 ? 'Service unavailable' : 'Internal server error', error: status === 503 ? 'service_unavailable' : 'internal_error', status, cause: [] }),
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
    tokens,
    webhooks,
    rateLimit,
    callLog: parts.callLog,
    faults: parts.faults,
    userId,
    application,
    accessToken,
    refreshToken,
    get notificationCallbackUrl() {
      return sandbox.notificationCallbackUrl;
    },
    set notificationCallbackUrl(url: string | undefined) {
      sandbox.notificationCallbackUrl = url;
    },
    get notificationTopics() {
      return sandbox.notificationTopics;
    },
    set notificationTopics(topics: string[]) {
      sandbox.notificationTopics = [...topics];
      for (const topic of topics) sandbox.disabledTopics.delete(topic);
    },
    get disabledTopics() {
      return sandbox.disabledTopics;
    },
  };
}

function jsonBody(request: SandboxRequest): Record<string, unknown> {
  const parsed = parseJsonBody(request);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw mlError(400, 'bad_request', 'body must be a JSON object');
  return parsed as Record<string, unknown>;
}

/** `?attributes=id,available_quantity` keeps only those fields, as Mercado Livre does. */
function pick(resource: Record<string, unknown>, request: SandboxRequest): Record<string, unknown> {
  const fields = request.url.searchParams.get('attributes');
  if (!fields) return resource;
  return Object.fromEntries(fields.split(',').filter((field) => field in resource).map((field) => [field, resource[field]]));
}

