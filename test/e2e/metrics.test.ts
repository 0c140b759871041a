import { getMetricsFromIterator, type PromMetrics } from 'prom2javascript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SandboxControlClient } from '../../sandboxes/common/control-client.ts';
import { startCommerce, type RunningCommerce } from '../support/all-platforms.ts';
import { as, graphql, TEST_KEYS } from '../support/ponte.ts';
import { subscribe } from '../support/subscriptions.ts';

/**
 * Every service serves GET /metrics in Prometheus' text format, to a key with `metrics:read` only.
 * Real traffic runs through the whole system (a storefront query, a reservation, a refused one, a
 * Shopify order delivered by webhook, the listing pushes that follow), then every service is
 * scraped and parsed with a Prometheus text parser, and the series moved as the traffic implies.
 */
const SERVICES = ['gateway', 'inventory', 'catalog', 'access', 'shopify', 'woocommerce', 'mercadolivre', 'amazon'] as const;
type Service = (typeof SERVICES)[number];
const PLATFORMS = ['shopify', 'woocommerce', 'mercadolivre', 'amazon'] as const;

let commerce: RunningCommerce;
/** A monitoring key made in the access subgraph, as `npm run keys -- create --role monitoring` makes one. */
let monitoringKey: string;

function metricsUrl(service: Service): string {
  const { ponte } = commerce;
  const graphqlUrl = { gateway: ponte.gatewayUrl, inventory: ponte.inventoryUrl, catalog: ponte.catalogUrl, access: ponte.accessUrl }[service as string] ?? ponte.extraUrls[service]!;
  return new URL('/metrics', graphqlUrl).toString();
}

async function scrape(service: Service, key = monitoringKey): Promise<PromMetrics> {
  const response = await fetch(metricsUrl(service), { headers: { authorization: `Bearer ${key}` } });
  const text = await response.text();
  expect(response.status, `${service}: ${text.slice(0, 200)}`).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  // prom2javascript: a Prometheus text-format parser (families by name, samples with their labels).
  // It refuses NaN samples, which the format allows (Prometheus reads them) and prom-client writes
  // for Node's event-loop-lag gauges when two scrapes come within one sampling interval: only
  // those are left out, and none of Ponte's own series may be NaN.
  const lines = text.split('\n');
  const notANumber = lines.filter((line) => /^[^#].* nan$/i.test(line));
  expect(notANumber.filter((line) => !line.startsWith('nodejs_eventloop_lag_')), service).toEqual([]);
  return getMetricsFromIterator(lines.filter((line) => !notANumber.includes(line))[Symbol.iterator]());
}

/** The sum of the samples of `name` whose labels include `labels` (a histogram: its count). */
function valueOf(families: PromMetrics, name: string, labels: Record<string, string> = {}): number {
  const family = families[name];
  if (!family) throw new Error(`no series ${name} among ${Object.keys(families).filter((found) => found.startsWith('ponte_') || found.startsWith('graphql_')).join(', ')}`);
  return (family.data as Array<{ labels: Record<string, string>; value?: number; count?: number }>)
    .filter((sample) => Object.entries(labels).every(([label, value]) => sample.labels[label] === value))
    .reduce((sum, sample) => sum + (family.type === 'histogram' ? (sample.count ?? 0) : (sample.value ?? 0)), 0);
}

async function eventually<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

beforeAll(async () => {
  commerce = await startCommerce();
  const created = await graphql<{ createApiKey: { plaintextKey: string; apiKey: { role: string; scopes: string[] } } }>(
    commerce.ponte.gatewayUrl,
    'mutation { createApiKey(input: { name: "prometheus", role: monitoring }) { plaintextKey apiKey { role scopes } } }',
    {},
    as('admin'),
  );
  expect(created.errors).toBeUndefined();
  expect(created.data!.createApiKey.apiKey).toEqual({ role: 'monitoring', scopes: ['metrics:read'] });
  monitoringKey = created.data!.createApiKey.plaintextKey;
}, 300_000);
afterAll(async () => {
  await commerce?.close();
});

describe('GET /metrics', () => {
  it('every service shows the traffic it served', async () => {
    const before = Object.fromEntries(await Promise.all(SERVICES.map(async (service) => [service, await scrape(service)] as const))) as Record<Service, PromMetrics>;
    const { gatewayUrl } = commerce.ponte;

    // A storefront page, twice: the second is answered from the response cache.
    const page = 'query StorefrontPage { products(first: 3) { nodes { sku title totalAvailable } } }';
    for (let i = 0; i < 2; i++) expect((await graphql(gatewayUrl, page, {}, as('storefront'))).errors).toBeUndefined();
    // A reservation, and one refused for want of stock.
    const reserved = await graphql(gatewayUrl, 'mutation ReserveForOrder { reserveStock(input: { idempotencyKey: "metrics-1", channel: "shopify-br", orderReference: "M-1", lines: [{ sku: "MOC-URBANA-VERDE", quantity: 1 }] }) { reservation { id } } }', {}, as('partner'));
    expect(reserved.errors).toBeUndefined();
    const refused = await graphql(gatewayUrl, 'mutation ReserveForOrder { reserveStock(input: { idempotencyKey: "metrics-2", channel: "shopify-br", orderReference: "M-2", lines: [{ sku: "MOC-URBANA-VERDE", quantity: 999999 }] }) { reservation { id } } }', {}, as('partner'));
    expect(refused.errors?.[0]?.extensions?.['code']).toBe('INSUFFICIENT_STOCK');
    // A subscription held open while the gateway is scraped.
    const subscription = subscribe(gatewayUrl, 'subscription WatchStock { stockChanged(skus: ["MOC-URBANA-VERDE"]) { sku } }', {}, { as: 'internal' });
    await subscription.started;
    // A shopper's order on the Shopify sandbox, delivered to the Shopify subgraph by its webhook.
    await new SandboxControlClient(commerce.sandboxes.urls.shopify).placeOrder([{ sku: 'MOC-URBANA-VERDE', quantity: 1 }]);

    // The Shopify order's reservation reaches the inventory; the stock changes reach every platform's listing.
    // Reserved, and its stock event published: the relay sends it a moment after the commit (once
    // on the PostgreSQL server the scrape came between the two).
    const inventory = await eventually(
      'the webhook order reserved and its event published',
      () => scrape('inventory'),
      (now) =>
        valueOf(now, 'ponte_inventory_reservations_accepted_total', { operation: 'reserveStock' }) >= valueOf(before.inventory, 'ponte_inventory_reservations_accepted_total', { operation: 'reserveStock' }) + 2 &&
        valueOf(now, 'ponte_inventory_stock_events_published_total', { kind: 'RESERVATION' }) >= valueOf(before.inventory, 'ponte_inventory_stock_events_published_total', { kind: 'RESERVATION' }) + 2 &&
        valueOf(now, 'ponte_inventory_outbox_waiting') === 0,
    );
    const platforms = Object.fromEntries(
      await Promise.all(PLATFORMS.map(async (platform) => [platform, await eventually(`${platform} pushed`, () => scrape(platform), (now) => valueOf(now, 'ponte_platform_listing_push_ack_seconds') > valueOf(before[platform], 'ponte_platform_listing_push_ack_seconds'))] as const)),
    ) as Record<(typeof PLATFORMS)[number], PromMetrics>;
    const gateway = await scrape('gateway');
    await subscription.close();

    // Gateway: requests by operation and outcome, with latency; subgraph calls; the cache; subscriptions.
    const delta = (families: PromMetrics, service: Service, name: string, labels: Record<string, string> = {}) => valueOf(families, name, labels) - valueOf(before[service], name, labels);
    expect(delta(gateway, 'gateway', 'ponte_gateway_requests_total', { operation: 'StorefrontPage', type: 'query', outcome: 'ok' })).toBe(2);
    expect(delta(gateway, 'gateway', 'ponte_gateway_request_duration_seconds', { operation: 'StorefrontPage', outcome: 'ok' })).toBe(2);
    expect(delta(gateway, 'gateway', 'ponte_gateway_requests_total', { operation: 'ReserveForOrder', type: 'mutation', outcome: 'ok' })).toBe(1);
    expect(delta(gateway, 'gateway', 'ponte_gateway_requests_total', { operation: 'ReserveForOrder', type: 'mutation', outcome: 'error' })).toBe(1);
    expect(delta(gateway, 'gateway', 'ponte_gateway_request_errors_total', { code: 'INSUFFICIENT_STOCK' })).toBe(1);
    expect(delta(gateway, 'gateway', 'ponte_gateway_response_cache_hits_total')).toBeGreaterThanOrEqual(1);
    expect(delta(gateway, 'gateway', 'ponte_gateway_response_cache_misses_total')).toBeGreaterThanOrEqual(1);
    expect(delta(gateway, 'gateway', 'ponte_gateway_response_cache_invalidations_total', { scope: 'sku' })).toBeGreaterThanOrEqual(1);
    expect(valueOf(gateway, 'ponte_gateway_subscriptions_open')).toBe(1);
    expect(delta(gateway, 'gateway', 'ponte_gateway_subscriptions_started_total')).toBe(1);
    expect(delta(gateway, 'gateway', 'graphql_gateway_subgraph_execute_duration', { subgraphName: 'inventory', operationType: 'mutation' })).toBeGreaterThanOrEqual(2);
    expect(delta(gateway, 'gateway', 'graphql_gateway_subgraph_execute_duration', { subgraphName: 'catalog' })).toBeGreaterThanOrEqual(1);
    expect(valueOf(gateway, 'process_cpu_user_seconds_total', { service: 'gateway' })).toBeGreaterThan(0);
    // Operation names reach labels only through our bounded label: the runtime's series carry none.
    for (const [name, family] of Object.entries(gateway)) {
      for (const sample of family.data as Array<{ labels: Record<string, string> }>) expect(sample.labels, name).not.toHaveProperty('operationName');
    }

    // Inventory: accepted (the partner's and the webhook's) and refused by reason; events published, their lag, the outbox drained.
    expect(delta(inventory, 'inventory', 'ponte_inventory_reservations_refused_total', { operation: 'reserveStock', reason: 'INSUFFICIENT_STOCK' })).toBe(1);
    expect(delta(inventory, 'inventory', 'ponte_inventory_stock_events_published_total', { kind: 'RESERVATION' })).toBeGreaterThanOrEqual(2);
    expect(delta(inventory, 'inventory', 'ponte_inventory_outbox_lag_seconds')).toBeGreaterThanOrEqual(2);
    expect(valueOf(inventory, 'ponte_inventory_outbox_waiting')).toBe(0);

    // Platforms: the Shopify webhook received and its inbox drained; pushes sent and acknowledged everywhere.
    const shopify = await eventually('the Shopify inbox drained', () => scrape('shopify'), (now) => valueOf(now, 'ponte_platform_inbox_depth', { platform: 'shopify' }) === 0);
    expect(delta(shopify, 'shopify', 'ponte_platform_webhooks_received_total', { platform: 'shopify' })).toBeGreaterThanOrEqual(1);
    expect(valueOf(shopify, 'ponte_platform_inbox_oldest_age_seconds', { platform: 'shopify' })).toBe(0);
    for (const platform of PLATFORMS) {
      // Sent, or found in step without a write (a change that left this channel's quantity where it was).
      const acknowledged = delta(platforms[platform], platform, 'ponte_platform_listing_pushes_total', { platform, outcome: 'sent' }) + delta(platforms[platform], platform, 'ponte_platform_listing_pushes_total', { platform, outcome: 'spared' });
      expect(acknowledged, platform).toBeGreaterThanOrEqual(1);
      expect(valueOf(platforms[platform], 'ponte_platform_listing_drift_total', { platform }), platform).toBeGreaterThanOrEqual(0);
      expect(valueOf(platforms[platform], 'ponte_platform_listing_push_ack_seconds', { platform, service: platform }), platform).toBeGreaterThanOrEqual(1);
    }

    // Catalog and access: their process series, each labelled with its own service.
    expect(valueOf(await scrape('catalog'), 'process_resident_memory_bytes', { service: 'catalog' })).toBeGreaterThan(0);
    const access = await scrape('access');
    expect(valueOf(access, 'ponte_access_key_lookups_total', { outcome: 'found' })).toBeGreaterThan(valueOf(before.access, 'ponte_access_key_lookups_total', { outcome: 'found' }));
  });

  it('counts a forged webhook as refused, by its code', async () => {
    const before = valueOf(await scrape('woocommerce'), 'ponte_platform_webhooks_refused_total', { platform: 'woocommerce', reason: 'INVALID_SIGNATURE' });
    const forged = await fetch(new URL('/webhooks/woocommerce', commerce.ponte.extraUrls['woocommerce']!), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-wc-webhook-topic': 'order.created', 'x-wc-webhook-signature': 'forged', 'x-wc-webhook-delivery-id': 'forged-1' },
      body: JSON.stringify({ id: 1, status: 'processing', line_items: [] }),
    });
    expect(forged.status).toBe(401);
    expect(valueOf(await scrape('woocommerce'), 'ponte_platform_webhooks_refused_total', { platform: 'woocommerce', reason: 'INVALID_SIGNATURE' })).toBe(before + 1);
  });

  it('counts an order line that cannot be reserved as an order exception, by its code', async () => {
    const exceptions = async () => valueOf(await scrape('shopify'), 'ponte_platform_order_exceptions_total', { platform: 'shopify', code: 'INSUFFICIENT_STOCK' });
    const before = await exceptions();
    await new SandboxControlClient(commerce.sandboxes.urls.shopify).placeOrder([{ sku: 'CAF-MOIDO-500', quantity: 100_000 }], { allowOversell: true });
    await eventually('the exception counted', exceptions, (now) => now === before + 1);
    const listed = await graphql<{ shopifyOrderExceptions: Array<{ code: string }> }>(commerce.ponte.gatewayUrl, '{ shopifyOrderExceptions { code } }');
    expect(listed.data!.shopifyOrderExceptions.filter((exception) => exception.code === 'INSUFFICIENT_STOCK')).toHaveLength(before + 1);
  });

  it.each(SERVICES)('%s refuses a scrape without a key (401) or without metrics:read (403)', async (service) => {
    const anonymous = await fetch(metricsUrl(service));
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as { error: { code: string } }).error.code).toBe('UNAUTHENTICATED');

    const unknown = await fetch(metricsUrl(service), { headers: { authorization: 'Bearer ponte_monitoring_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' } });
    expect(unknown.status).toBe(401);
    expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe('UNAUTHENTICATED');

    // The storefront's key is real, but its role has no metrics:read; the static test keys are
    // unknown to the access subgraph's own store, so there a real storefront key is made.
    const storefrontKey = service === 'access' ? await createKey('storefront') : TEST_KEYS.storefront;
    const storefront = await fetch(metricsUrl(service), { headers: { authorization: `Bearer ${storefrontKey}` } });
    expect(storefront.status).toBe(403);
    const body = (await storefront.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('FORBIDDEN');
    expect(body.error.message).toContain('metrics:read');

    // Operators and admins may scrape too.
    const operatorKey = service === 'access' ? await createKey('operator') : TEST_KEYS.operator;
    expect((await fetch(metricsUrl(service), { headers: { authorization: `Bearer ${operatorKey}` } })).status).toBe(200);
  });
});

async function createKey(role: string): Promise<string> {
  const created = await graphql<{ createApiKey: { plaintextKey: string } }>(commerce.ponte.gatewayUrl, `mutation { createApiKey(input: { name: "metrics-${role}", role: ${role} }) { plaintextKey } }`, {}, as('admin'));
  expect(created.errors).toBeUndefined();
  return created.data!.createApiKey.plaintextKey;
}
