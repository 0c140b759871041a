/**
 * WooCommerce REST API v3 sandbox under `/wp-json/wc/v3/`: products, variations, batch
 * updates, orders and webhooks; consumer key/secret authentication (Basic, query string or
 * OAuth 1.0a signatures); `page`/`per_page` with X-WP-Total, X-WP-TotalPages and Link; and
 * WooCommerce's error body `{ code, message, data: { status } }`. WooCommerce has no rate limit:
 * a struggling store is modelled with `responseDelayMs` and injected 5xx faults.
 */
import { randomBytes } from 'node:crypto';
import { seedInputFrom } from '../common/catalog.ts';
import type { SeedInput } from '../common/catalog.ts';
import { ControlError } from '../common/control-api.ts';
import type { SandboxControlAdapter } from '../common/control-api.ts';
import { header, json, parseJsonBody, Router, SandboxHttpError } from '../common/http.ts';
import type { RouteHandler, SandboxRequest, SandboxResponse } from '../common/http.ts';
import { createSandboxParts, createSandboxServer } from '../common/sandbox-server.ts';
import type { SandboxServer } from '../common/sandbox-server.ts';
import { WebhookDispatcher } from '../common/webhooks.ts';
import type { WebhookRetryPolicy } from '../common/webhooks.ts';
import { WooAuthenticator } from './auth.ts';
import type { WooApiKey } from './auth.ts';
import { noteJson, orderJson, productJson, SHIPMENT_TRACKING_NAMESPACE, trackingJson, variationAsProductJson, variationJson, WC_NAMESPACE, webhookJson } from './resources.ts';
import { ORDER_STATUSES, stockStatusFor, WooStore } from './store.ts';
import type { OrderStatus, WooProduct, WooStockFields, WooVariation, WooWebhook } from './store.ts';
import { wooWebhook, WEBHOOK_TOPICS } from './webhooks.ts';

export const MAX_PER_PAGE = 100;
export const DEFAULT_PER_PAGE = 10;
export const MAX_BATCH_ITEMS = 100;
/**
 * WooCommerce's `woocommerce_max_webhook_delivery_failures` (5). `WC_Webhook::failed_delivery()`
 * checks `failure_count > 5` before counting: failures 1–6 raise the count to 6, the 7th
 * consecutive one disables the webhook (woocommerce/woocommerce,
 * plugins/woocommerce/includes/class-wc-webhook.php). A 2xx, 301 or 302 resets the count.
 */
export const MAX_WEBHOOK_DELIVERY_FAILURES = 5;
/**
 * WooCommerce core delivers each webhook once (no retry); the failure only counts toward
 * disabling the webhook. Raise `maxAttempts` to model a store with a retrying plugin.
 */
export const WOOCOMMERCE_WEBHOOK_RETRY: WebhookRetryPolicy = { maxAttempts: 1, initialDelayMs: 1_000, multiplier: 2, maxDelayMs: 60_000, timeoutMs: 60_000 };

export interface WooCommerceSandboxOptions {
  /** API keys accepted. @default one read_write key `ck_sandbox` / `cs_sandbox` */
  apiKeys?: WooApiKey[];
  /** Added to every API answer, to model a slow shared host. @default 0 */
  responseDelayMs?: number;
  /** Address shown in X-WC-Webhook-Source; the listening address by default. */
  siteUrl?: string;
  /** Webhooks that exist from the start (as created in WooCommerce → Settings → Advanced → Webhooks). */
  webhooks?: Array<{ topic: string; url: string; secret?: string; name?: string }>;
  webhookRetry?: Partial<WebhookRetryPolicy>;
  /** Catalog to seed at construction; `false` for an empty store. @default the demo catalog */
  seed?: SeedInput | false;
  /**
   * Model a host that drops the `Authorization` header before PHP sees it (some Apache/CGI
   * setups). Also `PUT /_sandbox/host { stripAuthorizationHeader }`. @default false
   */
  stripAuthorizationHeader?: boolean;
  /**
   * Start the order id sequence from the clock, so ids never repeat those of an earlier run (a
   * client such as Ponte remembers the ids it applied). `npm start` turns it on. @default false:
   * fixed ids, for tests that read them
   */
  uniqueOrderIds?: boolean;
  now?: () => number;
}

export interface WooCommerceSandbox extends SandboxServer {
  readonly store: WooStore;
  readonly webhooks: WebhookDispatcher;
  readonly callLog: ReturnType<typeof createSandboxParts>['callLog'];
  readonly faults: ReturnType<typeof createSandboxParts>['faults'];
  readonly apiKeys: WooApiKey[];
  /** The host quirks in force; change them at run time here or with `PUT /_sandbox/host`. */
  readonly host: { stripAuthorizationHeader: boolean };
}

interface RequestContext {
  siteUrl: string;
  key: WooApiKey | undefined;
}

export function wooError(status: number, code: string, message: string, extra: Record<string, unknown> = {}): SandboxHttpError {
  return new SandboxHttpError(status, { code, message, data: { status, ...extra } });
}

function invalidParams(params: Record<string, string>): SandboxHttpError {
  return wooError(400, 'rest_invalid_param', `Invalid parameter(s): ${Object.keys(params).join(', ')}`, { params });
}

const invalidId = (code: string) => wooError(404, code, 'Invalid ID.');

export function createWooCommerceSandbox(options: WooCommerceSandboxOptions = {}): WooCommerceSandbox {
  const apiKeys = options.apiKeys ?? [{ consumerKey: 'ck_sandbox', consumerSecret: 'cs_sandbox', permissions: 'read_write' }];
  const parts = createSandboxParts(options.now);
  const store = new WooStore(parts.now, options.uniqueOrderIds);
  const authenticator = new WooAuthenticator(apiKeys, parts.now);
  const host = { stripAuthorizationHeader: options.stripAuthorizationHeader ?? false };
  const webhooks = new WebhookDispatcher({
    retry: { ...WOOCOMMERCE_WEBHOOK_RETRY, ...options.webhookRetry },
    // WooCommerce counts 2xx, 301 and 302 as delivered.
    isSuccess: (status) => status >= 200 && status < 303,
    now: parts.now,
  });
  let listeningUrl = '';
  const siteUrl = () => options.siteUrl ?? (listeningUrl || 'http://localhost');

  const createWebhook = (input: { topic: string; url: string; secret?: string; name?: string; status?: WooWebhook['status'] }): WooWebhook => {
    const now = store.timestamp();
    const webhook: WooWebhook = {
      id: store.nextWebhookId(),
      name: input.name ?? `Webhook created on ${now}`,
      status: input.status ?? 'active',
      topic: input.topic,
      deliveryUrl: input.url,
      secret: input.secret ?? randomBytes(25).toString('hex'),
      failureCount: 0,
      dateCreated: now,
      dateModified: now,
    };
    store.webhooks.set(webhook.id, webhook);
    return webhook;
  };
  for (const target of options.webhooks ?? []) createWebhook(target);

  store.onEvent((event) => {
    const targets = [...store.webhooks.values()].filter((webhook) => webhook.status === 'active' && webhook.topic === event.topic);
    if (targets.length === 0) return;
    const payload = 'order' in event ? orderJson(event.order, siteUrl()) : productJson(store, event.product, siteUrl());
    for (const webhook of targets) {
      webhooks.dispatch(
        wooWebhook(webhook, payload, siteUrl(), (ok) => {
          if (ok) {
            webhook.failureCount = 0;
            return;
          }
          if (webhook.failureCount > MAX_WEBHOOK_DELIVERY_FAILURES) webhook.status = 'disabled';
          else webhook.failureCount++;
        }),
      );
    }
  });

  if (options.seed !== false) store.seed(options.seed ?? seedInputFrom(undefined, 'WOOCOMMERCE'));

  // Routes answer a JSON body (200) or a full SandboxResponse when they need a status or headers.
  const router = new Router<RequestContext, unknown>();
  const route = (method: string, path: string, handler: RouteHandler<RequestContext, unknown>) => router.add(method, `${WC_NAMESPACE}${path}`, handler);

  // ---- products ----
  route('GET', '/products', (request, context) => {
    const query = request.url.searchParams;
    type Found = { kind: 'product'; item: WooProduct } | { kind: 'variation'; item: WooVariation };
    let found: Found[] = [...store.products.values()].map((item) => ({ kind: 'product' as const, item }));
    const sku = query.get('sku');
    if (sku) {
      // With a SKU filter WooCommerce searches variations too (post types product and product_variation).
      const skus = sku.split(',');
      found = [...found, ...[...store.variations.values()].map((item) => ({ kind: 'variation' as const, item }))].filter((entry) => skus.includes(entry.item.sku));
    }
    const search = query.get('search');
    if (search) found = found.filter(({ item }) => item.name.toLowerCase().includes(search.toLowerCase()) || item.sku.toLowerCase().includes(search.toLowerCase()));
    for (const field of ['type', 'status', 'stock_status'] as const) {
      const wanted = query.get(field);
      if (!wanted || wanted === 'any') continue;
      found = found.filter((entry) => {
        if (entry.kind === 'variation') return (field === 'type' ? 'variation' : field === 'status' ? entry.item.status : entry.item.stockStatus) === wanted;
        return (field === 'type' ? entry.item.type : field === 'status' ? entry.item.status : store.parentStockStatus(entry.item)) === wanted;
      });
    }
    const include = query.get('include');
    if (include) found = found.filter(({ item }) => include.split(',').map(Number).includes(item.id));
    const modifiedAfter = query.get('modified_after');
    if (modifiedAfter) found = found.filter(({ item }) => item.dateModified > modifiedAfter.slice(0, 19));
    const sorted = sortBy(found.map((entry) => ({ ...entry, id: entry.item.id, dateCreated: entry.item.dateCreated, name: entry.item.name })), query.get('orderby') ?? 'date', query.get('order') ?? 'desc');
    return paged(request, sorted, (entry) => (entry.kind === 'variation' ? variationAsProductJson(entry.item, context.siteUrl) : productJson(store, entry.item, context.siteUrl)));
  });
  route('GET', '/products/:id', (request, context) => productJson(store, productById(request.params['id']), context.siteUrl));
  route('PUT', '/products/:id', (request, context) => {
    const product = productById(request.params['id']);
    applyProductUpdate(product, body(request));
    return productJson(store, product, context.siteUrl);
  });
  route('PATCH', '/products/:id', (request, context) => {
    const product = productById(request.params['id']);
    applyProductUpdate(product, body(request));
    return productJson(store, product, context.siteUrl);
  });
  route('POST', '/products/batch', (request, context) => {
    const input = batchBody(request);
    const update = (input.update ?? []).map((item) => {
      try {
        const product = productById(String(item['id'] ?? ''));
        applyProductUpdate(product, item);
        return productJson(store, product, context.siteUrl);
      } catch (error) {
        return batchItemError(item['id'], error);
      }
    });
    return { create: (input.create ?? []).map((item) => batchItemError(item['id'] ?? 0, notSupported('create'))), update, delete: (input.delete ?? []).map((id) => batchItemError(id, notSupported('delete'))) };
  });

  // ---- variations ----
  route('GET', '/products/:id/variations', (request, context) => {
    const product = productById(request.params['id']);
    let variations = product.variationIds.map((id) => store.variations.get(id)).filter((variation) => variation !== undefined);
    const sku = request.url.searchParams.get('sku');
    if (sku) variations = variations.filter((variation) => variation.sku === sku);
    return paged(request, variations, (variation) => variationJson(variation, context.siteUrl));
  });
  route('GET', '/products/:id/variations/:variationId', (request, context) => variationJson(variationOf(request.params['id'], request.params['variationId']), context.siteUrl));
  route('PUT', '/products/:id/variations/:variationId', (request, context) => {
    const variation = variationOf(request.params['id'], request.params['variationId']);
    applyStockUpdate(variation, body(request));
    store.emit({ topic: 'product.updated', product: productById(request.params['id']) });
    return variationJson(variation, context.siteUrl);
  });
  route('POST', '/products/:id/variations/batch', (request, context) => {
    const product = productById(request.params['id']);
    const input = batchBody(request);
    const update = (input.update ?? []).map((item) => {
      try {
        const variation = variationOf(String(product.id), String(item['id'] ?? ''));
        applyStockUpdate(variation, item);
        return variationJson(variation, context.siteUrl);
      } catch (error) {
        return batchItemError(item['id'], error);
      }
    });
    if (update.length > 0) store.emit({ topic: 'product.updated', product });
    return { create: (input.create ?? []).map((item) => batchItemError(item['id'] ?? 0, notSupported('create'))), update, delete: (input.delete ?? []).map((id) => batchItemError(id, notSupported('delete'))) };
  });

  // ---- orders ----
  route('GET', '/orders', (request, context) => {
    const query = request.url.searchParams;
    let orders = [...store.orders.values()];
    const status = query.get('status');
    if (status && status !== 'any') orders = orders.filter((order) => status.split(',').includes(order.status));
    const after = query.get('after');
    if (after) orders = orders.filter((order) => order.dateCreated > after.slice(0, 19));
    const before = query.get('before');
    if (before) orders = orders.filter((order) => order.dateCreated < before.slice(0, 19));
    const modifiedAfter = query.get('modified_after');
    if (modifiedAfter) orders = orders.filter((order) => order.dateModified > modifiedAfter.slice(0, 19));
    return paged(request, sortBy(orders, query.get('orderby') ?? 'date', query.get('order') ?? 'desc'), (order) => orderJson(order, context.siteUrl));
  });
  route('GET', '/orders/:id', (request, context) => orderJson(orderById(request.params['id']), context.siteUrl));
  route('PUT', '/orders/:id', (request, context) => {
    const order = orderById(request.params['id']);
    const input = body(request);
    if (input['status'] !== undefined) {
      if (!ORDER_STATUSES.includes(input['status'] as OrderStatus)) throw invalidParams({ status: `status is not one of ${ORDER_STATUSES.join(', ')}.` });
      store.setOrderStatus(order, input['status'] as OrderStatus);
    }
    return orderJson(order, context.siteUrl);
  });

  // ---- order notes: https://woocommerce.github.io/woocommerce-rest-api-docs/#order-notes ----
  route('GET', '/orders/:id/notes', (request) => {
    const order = orderById(request.params['id']);
    const type = request.url.searchParams.get('type') ?? 'any';
    if (!['any', 'customer', 'internal'].includes(type)) throw invalidParams({ type: 'type is not one of any, customer, and internal.' });
    return order.notes.filter((note) => type === 'any' || note.customerNote === (type === 'customer')).toReversed().map(noteJson);
  });
  route('POST', '/orders/:id/notes', (request) => {
    const order = orderById(request.params['id']);
    const input = body(request);
    if (typeof input['note'] !== 'string' || input['note'].length === 0) return json(400, { code: 'rest_missing_callback_param', message: 'Missing parameter(s): note', data: { status: 400, params: ['note'] } });
    return json(201, noteJson(store.addNote(order, input['note'], input['customer_note'] === true)));
  });

  // ---- webhooks ----
  route('GET', '/webhooks', (request, context) => {
    const status = request.url.searchParams.get('status');
    const list = [...store.webhooks.values()].filter((webhook) => !status || status === 'all' || webhook.status === status);
    return paged(request, list, (webhook) => webhookJson(webhook, context.siteUrl));
  });
  route('POST', '/webhooks', (request, context) => {
    const input = body(request);
    const missing = ['topic', 'delivery_url'].filter((name) => input[name] === undefined);
    if (missing.length > 0) throw wooError(400, 'rest_missing_callback_param', `Missing parameter(s): ${missing.join(', ')}`, { params: missing });
    const topic = String(input['topic']).toLowerCase();
    if (!WEBHOOK_TOPICS.includes(topic)) throw wooError(400, 'woocommerce_rest_webhook_invalid_topic', 'Webhook topic is required and must be valid.');
    const url = String(input['delivery_url']);
    if (!/^https?:\/\/\S+$/.test(url)) throw wooError(400, 'woocommerce_rest_webhook_invalid_delivery_url', 'Webhook delivery URL must be a valid URL starting with http:// or https://.');
    const webhook = createWebhook({
      topic,
      url,
      ...(typeof input['secret'] === 'string' && input['secret'] ? { secret: input['secret'] } : {}),
      ...(typeof input['name'] === 'string' ? { name: input['name'] } : {}),
      ...(input['status'] === 'paused' || input['status'] === 'disabled' ? { status: input['status'] } : {}),
    });
    return json(201, webhookJson(webhook, context.siteUrl), { Location: `${context.siteUrl}${WC_NAMESPACE}/webhooks/${webhook.id}` });
  });
  route('GET', '/webhooks/:id', (request, context) => webhookJson(webhookById(request.params['id']), context.siteUrl));
  route('PUT', '/webhooks/:id', (request, context) => {
    const webhook = webhookById(request.params['id']);
    const input = body(request);
    if (input['status'] !== undefined) {
      if (!['active', 'paused', 'disabled'].includes(String(input['status']))) throw invalidParams({ status: 'status is not one of active, paused, and disabled.' });
      webhook.status = input['status'] as WooWebhook['status'];
      // Re-activating starts the failure count afresh, as saving the webhook in wp-admin does.
      if (webhook.status === 'active') webhook.failureCount = 0;
    }
    if (typeof input['delivery_url'] === 'string') webhook.deliveryUrl = input['delivery_url'];
    if (typeof input['secret'] === 'string') webhook.secret = input['secret'];
    if (typeof input['name'] === 'string') webhook.name = input['name'];
    store.touch(webhook);
    return webhookJson(webhook, context.siteUrl);
  });
  route('DELETE', '/webhooks/:id', (request, context) => {
    const webhook = webhookById(request.params['id']);
    if (request.url.searchParams.get('force') !== 'true') throw wooError(501, 'woocommerce_rest_trash_not_supported', 'Webhooks do not support trashing.');
    store.webhooks.delete(webhook.id);
    return webhookJson(webhook, context.siteUrl);
  });

  function productById(id: string | undefined) {
    const product = store.products.get(Number(id));
    if (!product) throw invalidId('woocommerce_rest_product_invalid_id');
    return product;
  }

  function variationOf(productId: string | undefined, variationId: string | undefined) {
    const product = productById(productId);
    const variation = store.variations.get(Number(variationId));
    if (!variation || variation.parentId !== product.id) throw invalidId('woocommerce_rest_product_variation_invalid_id');
    return variation;
  }

  function orderById(id: string | undefined) {
    const order = store.orders.get(Number(id));
    if (!order) throw invalidId('woocommerce_rest_shop_order_invalid_id');
    return order;
  }

  function webhookById(id: string | undefined) {
    const webhook = store.webhooks.get(Number(id));
    if (!webhook) throw invalidId('woocommerce_rest_webhook_invalid_id');
    return webhook;
  }

  function applyProductUpdate(product: ReturnType<typeof productById>, input: Record<string, unknown>): void {
    if (input['name'] !== undefined) {
      if (typeof input['name'] !== 'string') throw invalidParams({ name: 'name is not of type string.' });
      product.name = input['name'];
    }
    if (input['status'] !== undefined) {
      if (!['publish', 'draft', 'private', 'pending'].includes(String(input['status']))) throw invalidParams({ status: 'status is not one of draft, pending, private, and publish.' });
      product.status = input['status'] as typeof product.status;
    }
    applyStockUpdate(product, input);
    store.emit({ topic: 'product.updated', product });
  }

  /** Stock and price fields shared by products and variations, validated as WooCommerce's schema does. */
  function applyStockUpdate(target: WooStockFields & { dateCreated: string; dateModified: string }, input: Record<string, unknown>): void {
    const invalid: Record<string, string> = {};
    if (input['stock_quantity'] !== undefined && input['stock_quantity'] !== null && !Number.isInteger(input['stock_quantity'])) invalid['stock_quantity'] = 'stock_quantity is not of type integer.';
    if (input['manage_stock'] !== undefined && typeof input['manage_stock'] !== 'boolean') invalid['manage_stock'] = 'manage_stock is not of type boolean.';
    if (input['stock_status'] !== undefined && !['instock', 'outofstock', 'onbackorder'].includes(String(input['stock_status']))) invalid['stock_status'] = 'stock_status is not one of instock, outofstock, and onbackorder.';
    if (input['backorders'] !== undefined && !['no', 'notify', 'yes'].includes(String(input['backorders']))) invalid['backorders'] = 'backorders is not one of no, notify, and yes.';
    if (input['regular_price'] !== undefined && typeof input['regular_price'] !== 'string') invalid['regular_price'] = 'regular_price is not of type string.';
    if (input['sku'] !== undefined && typeof input['sku'] !== 'string') invalid['sku'] = 'sku is not of type string.';
    if (Object.keys(invalid).length > 0) throw invalidParams(invalid);
    if (typeof input['sku'] === 'string' && input['sku'] !== target.sku) {
      const owner = store.listingBySku(input['sku']);
      if (owner) throw wooError(400, 'product_invalid_sku', 'Invalid or duplicated SKU.', { resource_id: owner.kind === 'variation' ? owner.variation.id : owner.product.id, unique_sku: input['sku'] });
      target.sku = input['sku'];
    }
    if (typeof input['manage_stock'] === 'boolean') target.manageStock = input['manage_stock'];
    if (input['stock_quantity'] !== undefined && target.manageStock) target.stockQuantity = input['stock_quantity'] as number | null;
    if (typeof input['backorders'] === 'string') target.backorders = input['backorders'] as WooStockFields['backorders'];
    if (typeof input['stock_status'] === 'string' && !target.manageStock) target.stockStatus = input['stock_status'] as WooStockFields['stockStatus'];
    if (typeof input['regular_price'] === 'string') target.regularPrice = input['regular_price'];
    target.stockStatus = stockStatusFor(target);
    store.touch(target);
  }

  // ---- the Shipment Tracking extension, as a store with it installed answers:
  // https://woocommerce.com/document/shipment-tracking/shipment-tracking-rest-api-create-tracking-item/ ----
  const trackingRoute = (method: string, path: string, handler: RouteHandler<RequestContext, unknown>) => router.add(method, `${SHIPMENT_TRACKING_NAMESPACE}${path}`, handler);
  trackingRoute('GET', '/orders/:id/shipment-trackings', (request) => orderById(request.params['id']).trackingItems.map(trackingJson));
  trackingRoute('POST', '/orders/:id/shipment-trackings', (request) => {
    const order = orderById(request.params['id']);
    const input = body(request);
    const number = input['tracking_number'];
    if (typeof number !== 'string' || number.length === 0) return json(400, { code: 'rest_missing_callback_param', message: 'Missing parameter(s): tracking_number', data: { status: 400, params: ['tracking_number'] } });
    const provider = typeof input['tracking_provider'] === 'string' ? input['tracking_provider'] : '';
    const customProvider = typeof input['custom_tracking_provider'] === 'string' ? input['custom_tracking_provider'] : '';
    if (!provider && !customProvider) return json(400, { code: 'rest_invalid_param', message: 'Invalid parameter(s): tracking_provider', data: { status: 400, params: { tracking_provider: 'Either tracking_provider or custom_tracking_provider is required.' } } });
    const shipped = typeof input['date_shipped'] === 'string' ? input['date_shipped'] : store.timestamp().slice(0, 10);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(shipped)) return json(400, { code: 'rest_invalid_param', message: 'Invalid parameter(s): date_shipped', data: { status: 400, params: { date_shipped: 'date_shipped must be YYYY-MM-DD.' } } });
    const item = store.addTrackingItem(order, { trackingProvider: provider, customTrackingProvider: customProvider, customTrackingLink: typeof input['custom_tracking_link'] === 'string' ? input['custom_tracking_link'] : '', trackingNumber: number, dateShipped: Date.parse(`${shipped}T00:00:00Z`) / 1000 });
    return json(201, trackingJson(item), { Location: `${SHIPMENT_TRACKING_NAMESPACE}/orders/${order.id}/shipment-trackings/${item.trackingId}` });
  });

  async function handle(request: SandboxRequest): Promise<SandboxResponse> {
    if (options.responseDelayMs) await new Promise((resolve) => setTimeout(resolve, options.responseDelayMs));
    const matched = router.match(request.method, request.path);
    if (matched === undefined || matched === 'method-not-allowed') {
      return json(404, { code: 'rest_no_route', message: 'No route was found matching the URL and request method.', data: { status: 404 } });
    }
    // A host that strips the header: WooCommerce then sees no key at all, and (with no error of its
    // own: perform_basic_authentication() just returns false, plugins/woocommerce/includes/class-wc-rest-authentication.php)
    // the endpoint answers its permission error, e.g. 401 woocommerce_rest_cannot_view. The docs name
    // the symptom: "if you see a 'Consumer key is missing' error when authenticating over SSL, you
    // have a server issue", and the remedy, the key and secret in the query string.
    const { authorization: _stripped, ...unstripped } = request.headers;
    const auth = authenticator.authenticate(host.stripAuthorizationHeader ? { ...request, headers: unstripped } : request);
    if (!auth.ok && !('anonymous' in auth)) return json(auth.status, { code: auth.code, message: auth.message, data: { status: auth.status } });
    if (!auth.ok) return forbiddenFor(request);
    const writes = request.method !== 'GET';
    if (writes && auth.key.permissions === 'read') return json(401, { code: 'woocommerce_rest_authentication_error', message: 'The API key provided does not have write permissions.', data: { status: 401 } });
    if (!writes && auth.key.permissions === 'write') return json(401, { code: 'woocommerce_rest_authentication_error', message: 'The API key provided does not have read permissions.', data: { status: 401 } });
    const context: RequestContext = { siteUrl: `http://${header(request, 'host') ?? request.url.host}`, key: auth.key };
    try {
      const result = await matched.handler({ ...request, params: matched.params }, context);
      return isResponse(result) ? result : json(200, result);
    } catch (error) {
      if (error instanceof SyntaxError) return json(400, { code: 'rest_invalid_json', message: 'Invalid JSON body passed.', data: { status: 400 } });
      throw error;
    }
  }

  const control: SandboxControlAdapter = {
    seed: (input) => store.seed(seedInputFrom(input, 'WOOCOMMERCE')),
    placeOrder: (input) => store.placeOrder(input),
    cancelOrder: (orderId) => store.cancelOrder(orderId),
    fulfilOrder: (orderId) => store.fulfilOrder(orderId),
    shopperView: (orderId) => store.shopperView(orderId),
    setStock: (edit) => store.setStock(edit),
    stock: () => store.listedStock(),
    subscribe: ({ topic, url }) => {
      if (!WEBHOOK_TOPICS.includes(topic)) throw new ControlError(400, 'UNKNOWN_TOPIC', `Unknown WooCommerce webhook topic ${topic}; use one of ${WEBHOOK_TOPICS.join(', ')}`);
      const webhook = createWebhook({ topic, url });
      return { id: String(webhook.id), topic: webhook.topic, url: webhook.deliveryUrl, secret: webhook.secret };
    },
    // WooCommerce has no rate limit to reset.
    resetRateLimits: () => undefined,
    routes: [
      {
        method: 'PUT',
        path: '/_sandbox/host',
        handle(request) {
          const input = parseJsonBody(request) as { stripAuthorizationHeader?: unknown } | undefined;
          if (typeof input?.stripAuthorizationHeader !== 'boolean') throw new ControlError(400, 'BAD_REQUEST', 'stripAuthorizationHeader must be a boolean');
          host.stripAuthorizationHeader = input.stripAuthorizationHeader;
          return json(200, host);
        },
      },
    ],
  };

  const server = createSandboxServer({
    platform: 'woocommerce',
    api: {
      handle,
      serverError: (status) =>
        status >= 500
          ? { status, headers: { 'Content-Type': 'text/html; charset=UTF-8' }, body: '<!DOCTYPE html><html><head><title>WordPress &rsaquo; Error</title></head><body id="error-page"><p>There has been a critical error on this website.</p></body></html>' }
          : json(status, { code: 'rest_error', message: `HTTP ${status}`, data: { status } }),
    },
    control,
    webhooks,
    ...parts,
  });

  return {
    async listen(port, host) {
      listeningUrl = await server.listen(port, host);
      return listeningUrl;
    },
    close: () => server.close(),
    get url() {
      return server.url;
    },
    store,
    webhooks,
    callLog: parts.callLog,
    faults: parts.faults,
    apiKeys,
    host,
  };
}

/** What WordPress answers an unauthenticated call: the endpoint's own permission error. */
function forbiddenFor(request: SandboxRequest): SandboxResponse {
  const single = /\/\d+$/.test(request.path);
  const [code, message] =
    request.method === 'GET'
      ? single
        ? ['woocommerce_rest_cannot_view', 'Sorry, you cannot view this resource.']
        : ['woocommerce_rest_cannot_view', 'Sorry, you cannot list resources.']
      : request.path.endsWith('/batch')
        ? ['woocommerce_rest_cannot_batch', 'Sorry, you are not allowed to batch manipulate this resource.']
        : request.method === 'POST'
          ? ['woocommerce_rest_cannot_create', 'Sorry, you are not allowed to create resources.']
          : request.method === 'DELETE'
            ? ['woocommerce_rest_cannot_delete', 'Sorry, you are not allowed to delete this resource.']
            : ['woocommerce_rest_cannot_edit', 'Sorry, you are not allowed to edit this resource.'];
  return json(401, { code, message, data: { status: 401 } });
}

function isResponse(value: unknown): value is SandboxResponse {
  return typeof value === 'object' && value !== null && 'status' in value && typeof (value as { status: unknown }).status === 'number' && ('body' in value || 'headers' in value);
}

function body(request: SandboxRequest): Record<string, unknown> {
  const parsed = parseJsonBody(request);
  if (parsed === undefined) return {};
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw wooError(400, 'rest_invalid_json', 'Invalid JSON body passed.');
  return parsed as Record<string, unknown>;
}

function batchBody(request: SandboxRequest): { create?: Array<Record<string, unknown>>; update?: Array<Record<string, unknown>>; delete?: unknown[] } {
  const input = body(request) as { create?: Array<Record<string, unknown>>; update?: Array<Record<string, unknown>>; delete?: unknown[] };
  const count = (input.create?.length ?? 0) + (input.update?.length ?? 0) + (input.delete?.length ?? 0);
  if (count > MAX_BATCH_ITEMS) throw wooError(413, 'woocommerce_rest_request_entity_too_large', `Unable to accept more than ${MAX_BATCH_ITEMS} items for this request.`);
  return input;
}

function notSupported(operation: string): SandboxHttpError {
  return wooError(501, 'woocommerce_rest_sandbox_not_supported', `The sandbox does not ${operation} products in a batch (see sandboxes/README.md).`);
}

function batchItemError(id: unknown, error: unknown): Record<string, unknown> {
  if (error instanceof SandboxHttpError) {
    const { code, message, data } = error.body as { code: string; message: string; data: Record<string, unknown> };
    return { id: Number(id) || 0, error: { code, message, data } };
  }
  throw error;
}

function sortBy<Item extends { id: number; dateCreated: string; name?: string }>(items: Item[], orderby: string, order: string): Item[] {
  const direction = order.toLowerCase() === 'asc' ? 1 : -1;
  const key = (item: Item): string | number => (orderby === 'title' ? (item.name ?? '') : orderby === 'id' ? item.id : item.dateCreated);
  return [...items].sort((left, right) => {
    const a = key(left);
    const b = key(right);
    return (a < b ? -1 : a > b ? 1 : left.id - right.id) * direction;
  });
}

function paged<Item>(request: SandboxRequest, items: Item[], render: (item: Item) => unknown): SandboxResponse {
  const query = request.url.searchParams;
  const invalid: Record<string, string> = {};
  const perPage = Number(query.get('per_page') ?? DEFAULT_PER_PAGE);
  const page = Number(query.get('page') ?? 1);
  if (!Number.isInteger(perPage) || perPage < 1 || perPage > MAX_PER_PAGE) invalid['per_page'] = `per_page must be between 1 (inclusive) and ${MAX_PER_PAGE} (inclusive)`;
  if (!Number.isInteger(page) || page < 1) invalid['page'] = 'page must be greater than or equal to 1';
  if (Object.keys(invalid).length > 0) throw invalidParams(invalid);
  const total = items.length;
  const totalPages = Math.ceil(total / perPage);
  const window = items.slice((page - 1) * perPage, page * perPage);
  const headers: Record<string, string> = { 'X-WP-Total': String(total), 'X-WP-TotalPages': String(totalPages) };
  const linkFor = (target: number) => {
    const url = new URL(`http://${header(request, 'host') ?? request.url.host}${request.path}`);
    for (const [key, value] of query) if (!key.startsWith('oauth_') && key !== 'consumer_key' && key !== 'consumer_secret' && key !== 'page') url.searchParams.append(key, value);
    url.searchParams.set('page', String(target));
    return url.toString();
  };
  const links: string[] = [];
  if (page > 1 && page - 1 <= totalPages) links.push(`<${linkFor(page - 1)}>; rel="prev"`);
  if (page < totalPages) links.push(`<${linkFor(page + 1)}>; rel="next"`);
  if (links.length > 0) headers['Link'] = links.join(', ');
  return json(200, window.map(render), headers);
}
