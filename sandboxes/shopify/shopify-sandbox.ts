/**
 * Shopify Admin GraphQL API sandbox: `POST /admin/api/{version}/graphql.json` with
 * `X-Shopify-Access-Token`, a cost-based leaky bucket (`extensions.cost`, THROTTLED with HTTP
 * 200), and signed webhooks delivered at least once.
 */
import { randomUUID } from 'node:crypto';
import { execute, getOperationAST, GraphQLError, Kind, parse, validate } from 'graphql';
import type { DocumentNode, FragmentDefinitionNode, GraphQLSchema } from 'graphql';
import { seedInputFrom } from '../common/catalog.ts';
import type { SeedInput } from '../common/catalog.ts';
import { ControlError } from '../common/control-api.ts';
import type { SandboxControlAdapter } from '../common/control-api.ts';
import { header, json, parseJsonBody } from '../common/http.ts';
import type { SandboxRequest, SandboxResponse } from '../common/http.ts';
import { createSandboxParts, createSandboxServer } from '../common/sandbox-server.ts';
import type { SandboxServer } from '../common/sandbox-server.ts';
import { TokenBucket } from '../common/token-bucket.ts';
import { WebhookDispatcher } from '../common/webhooks.ts';
import type { WebhookRetryPolicy } from '../common/webhooks.ts';
import { queryCost } from './cost.ts';
import { buildShopifySchema, CAS_REQUIRED_FROM_VERSION, versionAtLeast, WEBHOOK_TOPICS } from './schema.ts';
import type { ShopifyContext } from './schema.ts';
import { ShopifyStore } from './store.ts';
import type { ShopifyWebhookSubscription } from './store.ts';
import { compliancePayload, inventoryLevelPayload, newEvent, orderPayload, shopifyWebhook } from './webhooks.ts';

/** Shopify plans' GraphQL Admin limits (bucket size, restore rate in points per second). */
export const SHOPIFY_PLANS = {
  standard: { maximumAvailable: 2000, restoreRate: 100 },
  advanced: { maximumAvailable: 4000, restoreRate: 200 },
  plus: { maximumAvailable: 20000, restoreRate: 1000 },
} as const;

/** Shopify refuses any single query whose requested cost is above this. */
export const MAX_SINGLE_QUERY_COST = 1000;
export const DEFAULT_API_VERSION = '2026-10';

/** Shopify retries a failed webhook 8 times over 4 hours; the sandbox keeps the count and compresses the time. */
export const SHOPIFY_WEBHOOK_RETRY: WebhookRetryPolicy = { maxAttempts: 9, initialDelayMs: 1_000, multiplier: 2, maxDelayMs: 60_000, timeoutMs: 5_000 };

export interface ShopifySandboxOptions {
  /** The Admin API access token clients must send. @default 'shpat_sandbox_access_token' */
  accessToken?: string;
  /** The app's client secret that signs webhooks. @default 'shopify-sandbox-client-secret' */
  apiSecretKey?: string;
  /** @default 'ponte-demo.myshopify.com' */
  shopDomain?: string;
  /** @default 'Ponte Demo' */
  shopName?: string;
  /** Rate limit: a plan name or explicit bucket. @default 'standard' */
  throttle?: keyof typeof SHOPIFY_PLANS | { maximumAvailable: number; restoreRate: number };
  /** @default 1000 */
  maxQueryCost?: number;
  /** API version given to subscriptions created through the control API or `webhooks`. @default '2026-10' */
  apiVersion?: string;
  /** Webhook subscriptions that exist from the start, as an app's TOML would declare them. Topic as `orders/create` or `ORDERS_CREATE`. */
  webhooks?: Array<{ topic: string; url: string }>;
  webhookRetry?: Partial<WebhookRetryPolicy>;
  /** Where the app's mandatory compliance webhooks go (its shopify.app.toml `compliance_topics` URL). */
  complianceWebhookUrl?: string;
  /** Catalog to seed at construction; `false` for an empty store. @default the demo catalog */
  seed?: SeedInput | false;
  /**
   * Start the order id sequence from the clock, so ids never repeat those of an earlier run (a
   * client such as Ponte remembers the ids it applied). `npm start` turns it on. @default false:
   * fixed ids, for tests that read them
   */
  uniqueOrderIds?: boolean;
  /** Clock, for tests of the leaky bucket. @default Date.now */
  now?: () => number;
}

export interface ShopifySandbox extends SandboxServer {
  readonly store: ShopifyStore;
  readonly webhooks: WebhookDispatcher;
  readonly throttle: TokenBucket;
  readonly callLog: ReturnType<typeof createSandboxParts>['callLog'];
  readonly faults: ReturnType<typeof createSandboxParts>['faults'];
  readonly accessToken: string;
  readonly apiSecretKey: string;
  readonly shopDomain: string;
}

const GRAPHQL_PATH = /^\/admin\/api\/([^/]+)\/graphql\.json$/;
const VERSION_FORMAT = /^(\d{4}-(01|04|07|10)|unstable)$/;
const INVALID_TOKEN_BODY = { errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' };

export function createShopifySandbox(options: ShopifySandboxOptions = {}): ShopifySandbox {
  const accessToken = options.accessToken ?? 'shpat_sandbox_access_token';
  const apiSecretKey = options.apiSecretKey ?? 'shopify-sandbox-client-secret';
  const shopDomain = options.shopDomain ?? 'ponte-demo.myshopify.com';
  const defaultVersion = options.apiVersion ?? DEFAULT_API_VERSION;
  const maxQueryCost = options.maxQueryCost ?? MAX_SINGLE_QUERY_COST;
  const limits = typeof options.throttle === 'object' ? options.throttle : SHOPIFY_PLANS[options.throttle ?? 'standard'];
  if (!limits) throw new Error(`Unknown Shopify plan "${String(options.throttle)}": use ${Object.keys(SHOPIFY_PLANS).join(', ')} or { maximumAvailable, restoreRate }`);

  const parts = createSandboxParts(options.now);
  const store = new ShopifyStore({ shopName: options.shopName ?? 'Ponte Demo', shopDomain, now: parts.now, uniqueOrderIds: options.uniqueOrderIds });
  const throttle = new TokenBucket(limits.maximumAvailable, limits.restoreRate, parts.now);
  const webhooks = new WebhookDispatcher({ retry: { ...SHOPIFY_WEBHOOK_RETRY, ...options.webhookRetry }, now: parts.now });
  // Shopify serves each API version its own schema: 2026-04 removed compareQuantity / ignoreCompareQuantity.
  const schemas = { legacy: buildShopifySchema('2026-01'), current: buildShopifySchema('2026-04') };
  const schemaFor = (version: string): GraphQLSchema => (versionAtLeast(version, CAS_REQUIRED_FROM_VERSION) ? schemas.current : schemas.legacy);

  const subscribe = (topic: string, url: string, apiVersion = defaultVersion): ShopifyWebhookSubscription => {
    const enumTopic = toEnumTopic(topic);
    const existing = [...store.webhookSubscriptions.values()].find((subscription) => subscription.topic === enumTopic && subscription.uri === url);
    if (existing) return existing;
    const now = store.timestamp();
    const subscription: ShopifyWebhookSubscription = { id: store.nextId(), topic: enumTopic, uri: url, apiVersion, createdAt: now, updatedAt: now };
    store.webhookSubscriptions.set(subscription.id, subscription);
    return subscription;
  };
  for (const target of options.webhooks ?? []) subscribe(target.topic, target.url);

  store.onEvent((event) => {
    const topic = event.kind === 'order' ? event.topic : 'inventory_levels/update';
    const enumTopic = toEnumTopic(topic);
    const targets = [...store.webhookSubscriptions.values()].filter((subscription) => subscription.topic === enumTopic);
    if (targets.length === 0) return;
    const payload = event.kind === 'order' ? orderPayload(store, event.order) : inventoryLevelPayload(event.level);
    const webhookEvent = newEvent(topic, payload, new Date(parts.now()).toISOString(), event.eventId);
    for (const subscription of targets) webhooks.dispatch(shopifyWebhook(webhookEvent, subscription, shopDomain, apiSecretKey));
  });

  if (options.seed !== false) store.seed(options.seed ?? seedInputFrom(undefined, 'SHOPIFY'));

  const throttleStatus = () => ({ maximumAvailable: throttle.capacity, currentlyAvailable: Math.floor(throttle.available), restoreRate: throttle.refillPerSecond });

  async function handle(request: SandboxRequest): Promise<SandboxResponse> {
    const match = GRAPHQL_PATH.exec(request.path);
    if (!match) return json(404, { errors: 'Not Found' });
    const version = match[1] as string;
    const headers = { 'X-Shopify-API-Version': version, 'X-Request-Id': randomUUID() };
    if (!VERSION_FORMAT.test(version)) return json(404, { errors: 'Not Found' }, headers);
    const schema = schemaFor(version);
    if (header(request, 'x-shopify-access-token') !== accessToken) return json(401, INVALID_TOKEN_BODY, headers);
    if (request.method !== 'POST') return json(405, { errors: 'Method Not Allowed' }, headers);

    let body: { query?: unknown; variables?: unknown; operationName?: unknown };
    try {
      body = (parseJsonBody(request) ?? {}) as typeof body;
    } catch {
      return json(400, { errors: { query: 'Required parameter missing or invalid' } }, headers);
    }
    if (typeof body.query !== 'string' || body.query.trim() === '') return json(400, { errors: { query: 'Required parameter missing or invalid' } }, headers);
    const variables = body.variables && typeof body.variables === 'object' ? (body.variables as Record<string, unknown>) : {};
    const operationName = typeof body.operationName === 'string' ? body.operationName : undefined;

    let document: DocumentNode;
    try {
      document = parse(body.query);
    } catch (error) {
      return json(200, { errors: [graphQLErrorJson(error as GraphQLError)] }, headers);
    }
    const validationErrors = validate(schema, document);
    if (validationErrors.length > 0) return json(200, { errors: validationErrors.map(graphQLErrorJson) }, headers);
    const operation = getOperationAST(document, operationName);
    if (!operation) return json(200, { errors: [{ message: 'An operation name is required when the document has more than one operation' }] }, headers);
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);

    const requestedQueryCost = queryCost(schema, operation, fragments, variables);
    if (requestedQueryCost > maxQueryCost) {
      return json(
        200,
        {
          errors: [
            {
              message: `Query cost is ${requestedQueryCost}, which exceeds the single query max cost limit (${maxQueryCost}).\n\nSee https://shopify.dev/concepts/about-apis/rate-limits for more information on how the\ncost of a query is calculated.\n\nTo query larger amounts of data with fewer limits, bulk operations should be used instead.\nSee https://shopify.dev/tutorials/perform-bulk-operations-with-admin-api for usage details.\n`,
              extensions: { code: 'MAX_COST_EXCEEDED', cost: requestedQueryCost, maxCost: maxQueryCost },
            },
          ],
          extensions: { cost: { requestedQueryCost, actualQueryCost: null, throttleStatus: throttleStatus() } },
        },
        headers,
      );
    }
    if (!throttle.tryTake(requestedQueryCost)) {
      return {
        ...json(
          200,
          {
            errors: [{ message: 'Throttled', extensions: { code: 'THROTTLED', documentation: 'https://shopify.dev/api/usage/rate-limits' } }],
            extensions: { cost: { requestedQueryCost, actualQueryCost: null, throttleStatus: throttleStatus() } },
          },
          headers,
        ),
        rateLimited: true,
      };
    }

    const context: ShopifyContext = { store, apiVersion: version };
    const result = await execute({ schema, document, variableValues: variables, operationName, contextValue: context });
    const actualQueryCost = result.data ? queryCost(schema, operation, fragments, variables, result.data) : requestedQueryCost;
    // Shopify charges the requested cost up front and refunds what the query did not use.
    throttle.refund(Math.max(0, requestedQueryCost - actualQueryCost));
    const response: Record<string, unknown> = {};
    if (result.errors) response['errors'] = result.errors.map(graphQLErrorJson);
    response['data'] = result.data ?? null;
    response['extensions'] = { cost: { requestedQueryCost, actualQueryCost, throttleStatus: throttleStatus() } };
    return json(200, response, headers);
  }

  const COMPLIANCE_TOPICS = ['customers/data_request', 'customers/redact', 'shop/redact'] as const;
  let complianceUrl = options.complianceWebhookUrl;
  let dataRequests = 0;

  const control: SandboxControlAdapter = {
    seed: (body) => store.seed(seedInputFrom(body, 'SHOPIFY')),
    placeOrder: (input) => store.placeOrder(input),
    cancelOrder: (orderId) => store.cancelOrder(orderId),
    fulfilOrder: (orderId) => store.fulfilOrder(orderId),
    shopperView: (orderId) => store.shopperView(orderId),
    setStock: (edit) => store.setAvailable(edit),
    stock: () => store.listedStock(),
    subscribe: ({ topic, url }) => {
      if (!(toEnumTopic(topic) in WEBHOOK_TOPICS)) throw new ControlError(400, 'UNKNOWN_TOPIC', `Unknown Shopify webhook topic ${topic}; the sandbox emits ${Object.values(WEBHOOK_TOPICS).join(', ')}`);
      const subscription = subscribe(topic, url);
      return { id: `gid://shopify/WebhookSubscription/${subscription.id}`, topic: WEBHOOK_TOPICS[subscription.topic] ?? subscription.topic, url: subscription.uri };
    },
    resetRateLimits: () => throttle.reset(),
    routes: [
      {
        // The app's cost bucket as Shopify holds it, read without spending a point of it (a
        // query's `throttleStatus` would take one the app's own limiter does not know of).
        method: 'GET',
        path: '/_sandbox/throttle',
        handle: () => ({ status: 200, body: { currentlyAvailable: throttle.available, maximumAvailable: limits.maximumAvailable, restoreRate: limits.restoreRate } }),
      },
    ],
    complianceWebhooks: {
      configure: (url) => {
        complianceUrl = url;
        return { url };
      },
      send: ({ topic, customer, orders }) => {
        const known = COMPLIANCE_TOPICS.find((each) => each === topic);
        if (!known) throw new ControlError(400, 'UNKNOWN_TOPIC', `Unknown compliance topic ${topic}; Shopify sends ${COMPLIANCE_TOPICS.join(', ')}`);
        if (!complianceUrl) throw new ControlError(409, 'NO_COMPLIANCE_URL', 'No compliance webhook URL is configured: PUT /_sandbox/compliance-webhooks { url } first');
        if (known !== 'shop/redact' && !customer) throw new ControlError(400, 'BAD_REQUEST', `${known} needs a customer`);
        const payload = compliancePayload(known, { id: 1, domain: shopDomain }, { ...(customer ? { customer } : {}), ...(orders ? { orders } : {}), dataRequestId: ++dataRequests });
        const event = newEvent(known, payload, new Date(parts.now()).toISOString());
        const now = store.timestamp();
        webhooks.dispatch(shopifyWebhook(event, { id: 0, topic: known, uri: complianceUrl, apiVersion: defaultVersion, createdAt: now, updatedAt: now }, shopDomain, apiSecretKey));
        return { eventId: event.eventId, topic: known, url: complianceUrl };
      },
    },
  };

  const server = createSandboxServer({
    platform: 'shopify',
    api: {
      handle,
      serverError: (status) => json(status, { errors: status === 503 ? 'Service Unavailable' : 'Internal Server Error' }),
      operationOf: (request) => operationNameOf(request),
    },
    control,
    webhooks,
    ...parts,
  });

  return {
    listen: (port, host) => server.listen(port, host),
    close: () => server.close(),
    store,
    webhooks,
    throttle,
    callLog: parts.callLog,
    faults: parts.faults,
    accessToken,
    apiSecretKey,
    shopDomain,
    get url() {
      return server.url;
    },
  };
}

/** `orders/create` → `ORDERS_CREATE`; enum names pass through. */
function toEnumTopic(topic: string): string {
  return topic.includes('/') ? topic.replace('/', '_').toUpperCase() : topic;
}

function graphQLErrorJson(error: GraphQLError): Record<string, unknown> {
  const formatted = error.toJSON();
  return { message: formatted.message, ...(formatted.locations ? { locations: formatted.locations } : {}), ...(formatted.path ? { path: formatted.path } : {}), ...(formatted.extensions ? { extensions: formatted.extensions } : {}) };
}

/** The GraphQL operation name, or the first root field, for the call log. */
function operationNameOf(request: SandboxRequest): string | null {
  try {
    const body = parseJsonBody(request) as { query?: string; operationName?: string } | undefined;
    if (!body?.query) return null;
    if (body.operationName) return body.operationName;
    const operation = getOperationAST(parse(body.query), undefined);
    const firstField = operation?.selectionSet.selections.find((selection) => selection.kind === Kind.FIELD);
    return operation?.name?.value ?? (firstField && firstField.kind === Kind.FIELD ? firstField.name.value : null);
  } catch {
    return null;
  }
}
