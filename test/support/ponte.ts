import { createAccessSubgraph, type AccessSubgraph } from '../../subgraphs/access/index.ts';
import { createCatalogSubgraph, type CatalogSubgraph } from '../../subgraphs/catalog/index.ts';
import { seedDemoCatalog } from '../../subgraphs/catalog/seed.ts';
import { createInventorySubgraph, type InventorySubgraph } from '../../subgraphs/inventory/index.ts';
import { seedDemoInventory } from '../../subgraphs/inventory/seed.ts';
import { createOrdersSubgraph, type OrdersSubgraph } from '../../subgraphs/orders/index.ts';
import { customersDirectory, deferredCustomerDirectory } from '../../subgraphs/orders/customer-directory.ts';
import { inventoryStockCommitter } from '../../subgraphs/orders/inventory-stock.ts';
import { StoreSaleFeed } from '../../subgraphs/orders/store-sales.ts';
import { NO_STOCK_COMMITTER, type StockCommitter } from '../../subgraphs/orders/services/order-book.ts';
import { createLogger } from '../../kit/logger.ts';
import { createPonteGateway, type PonteGateway, type PonteGatewayOptions } from '../../gateway/index.ts';
import { createAccessServiceKeyResolver } from '../../kit/api-key-resolver.ts';
import { useIdentity, type JwtOptions } from '../../gateway/plugins/use-identity.ts';
import { principalFor, servicePrincipal, staticApiKeyResolver, type ApiKeyResolver } from '../../kit/identity.ts';
import type { Principal } from '../../kit/principal.ts';
import { composeSupergraph, ponteSubgraphs } from '../../gateway/compose.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';

export const TEST_GATEWAY_SECRET = 'test-gateway-secret';

/**
 * Who the tests call as. One API key per role, two partners held to their own channels and
 * locations (a store and a 3PL), and a service key per platform subgraph.
 */
export const TEST_PRINCIPALS = {
  storefront: principalFor('storefront', { id: 'key:test-storefront', name: 'test-storefront' }),
  internal: principalFor('internal', { id: 'key:test-internal', name: 'test-internal' }),
  partner: principalFor('partner', { id: 'key:test-partner', name: 'test-partner' }),
  operator: principalFor('operator', { id: 'key:test-operator', name: 'test-operator' }),
  admin: principalFor('admin', { id: 'key:test-admin', name: 'test-admin' }),
  /** The Ipanema store's till: sells through its POS channel, counts its own shelf. */
  partnerA: principalFor('partner', { id: 'key:test-partner-a', name: 'pdv-ipanema', channels: ['pos-ipanema'], locations: ['loja-rio'] }),
  /** The Extrema 3PL: ships Amazon orders from its own warehouse. */
  partnerB: principalFor('partner', { id: 'key:test-partner-b', name: '3pl-extrema', channels: ['amazon-br'], locations: ['3pl-extrema'] }),
  /** A Prometheus scraper: `metrics:read` only. */
  monitoring: principalFor('monitoring', { id: 'key:test-monitoring', name: 'test-monitoring' }),
} satisfies Record<string, Principal>;
export type TestCaller = keyof typeof TEST_PRINCIPALS;

/** Each test caller's API key. */
export const TEST_KEYS = Object.fromEntries(Object.keys(TEST_PRINCIPALS).map((who) => [who, `test-key-${who}`])) as Record<TestCaller, string>;

/** Each platform subgraph's (and the insights subgraph's) service key (`PONTE_SERVICE_KEY`), resolving to `service:<name>`. */
export const TEST_SERVICE_KEYS: Record<string, string> = Object.fromEntries(
  ['shopify', 'woocommerce', 'mercadolivre', 'amazon', 'insights', 'orders'].map((platform) => [platform, `test-service-key-${platform}`]),
);

/** The key store every in-process test system shares. */
export const testApiKeys = staticApiKeyResolver({
  ...Object.fromEntries(Object.entries(TEST_PRINCIPALS).map(([who, principal]) => [TEST_KEYS[who as TestCaller], principal])),
  ...Object.fromEntries(Object.entries(TEST_SERVICE_KEYS).map(([platform, key]) => [key, servicePrincipal(platform)])),
});

/** Headers that authenticate as a test caller (`as('storefront')`); `as('anonymous')` sends none. */
export function as(who: TestCaller | 'anonymous'): Record<string, string> {
  return who === 'anonymous' ? { authorization: '' } : { authorization: `Bearer ${TEST_KEYS[who]}` };
}

/**
 * A platform subgraph to start beside the core ones and compose into the gateway. `start` gets
 * what a platform subgraph needs from the rest of the system and listens on a free port.
 */
export interface ExtraSubgraph {
  name: string;
  sdl: string;
  start(context: { inventoryUrl: string; catalogUrl: string; ordersUrl: string; accessUrl: string; gatewaySecret: string; serviceKey: string | undefined; apiKeys: ApiKeyResolver }): Promise<{ url: string; close(): Promise<void> }>;
}

/** The core subgraphs' databases; passing them to `startPonte` again is a restart that keeps the data. */
export interface PonteDatabases {
  inventory: TestDatabase;
  catalog: TestDatabase;
  access: TestDatabase;
  orders: TestDatabase;
}

export interface RunningPonte {
  inventory: InventorySubgraph;
  catalog: CatalogSubgraph;
  /** API keys and the audit log; the gateway audits to it unless `audit: false`. */
  access: AccessSubgraph;
  /** Canonical orders; the platform subgraphs started as extras record into it (`ordersUrl`). */
  orders: OrdersSubgraph;
  gateway: PonteGateway;
  ordersUrl: string;
  inventoryUrl: string;
  catalogUrl: string;
  accessUrl: string;
  gatewayUrl: string;
  supergraphSdl: string;
  /** URL of each extra subgraph, by name. */
  extraUrls: Record<string, string>;
  databases: PonteDatabases;
  /** Stops every server; drops the databases unless they were passed in (their owner drops them). */
  close(): Promise<void>;
}

/** The whole system in this process, every server on a free port, seeded with the demo merchant. */
export async function startPonte(
  options: Partial<Pick<PonteGatewayOptions, 'planner' | 'responseCache' | 'plugins' | 'audit' | 'subscriptionFanOut'>> & { seed?: boolean; extraSubgraphs?: ExtraSubgraph[]; jwt?: JwtOptions; databases?: PonteDatabases } = {},
): Promise<RunningPonte> {
  const log = createLogger('test');
  const { databases: given, seed, extraSubgraphs, jwt, ...gatewayOptions } = options;
  const databases: PonteDatabases = given ?? { inventory: await createTestDatabase('inventory'), catalog: await createTestDatabase('catalog'), access: await createTestDatabase('access'), orders: await createTestDatabase('orders') };
  // The fixed test keys first; any other key is looked up in the access subgraph, as in production
  // (keys a test creates there through GraphQL or its store work at once), once it listens.
  let accessKeys: ApiKeyResolver | undefined;
  const apiKeys: ApiKeyResolver = { resolve: async (key: string) => (await testApiKeys.resolve(key)) ?? accessKeys?.resolve(key) };
  const inventory = await createInventorySubgraph({ database: databases.inventory.db, log, gatewaySecret: TEST_GATEWAY_SECRET, apiKeys, relay: { pollIntervalMs: 200 } });
  const catalog = await createCatalogSubgraph({ database: databases.catalog.db, log, gatewaySecret: TEST_GATEWAY_SECRET, apiKeys });
  const access = await createAccessSubgraph({ database: databases.access.db, log, gatewaySecret: TEST_GATEWAY_SECRET });
  // The customers subgraph, when a test starts it as an extra, gets its port after the orders subgraph is built.
  const customerDirectory = deferredCustomerDirectory();
  // The inventory listens only below: fulfilOrder's stock commits reach it once it does.
  let stock: StockCommitter | undefined;
  const orders = await createOrdersSubgraph({
    database: databases.orders.db, log, gatewaySecret: TEST_GATEWAY_SECRET, apiKeys, relay: { pollIntervalMs: 200 },
    customers: customerDirectory, customerLinks: { pollIntervalMs: 200 },
    stock: { commit: (input) => (stock ?? NO_STOCK_COMMITTER).commit(input) },
  });
  if (seed !== false) {
    await seedDemoInventory(inventory.db, inventory.service);
    await seedDemoCatalog(catalog.db);
  }
  const inventoryUrl = await inventory.server.listen(0, '127.0.0.1');
  stock = inventoryStockCommitter({ url: inventoryUrl, secret: TEST_GATEWAY_SECRET, serviceKey: TEST_SERVICE_KEYS['orders'] }, log);
  const catalogUrl = await catalog.server.listen(0, '127.0.0.1');
  const storeSales = new StoreSaleFeed({
    db: orders.db, log, orders: orders.orders, pollIntervalMs: 100,
    inventory: { url: inventoryUrl, secret: TEST_GATEWAY_SECRET, serviceKey: TEST_SERVICE_KEYS['orders'] },
    catalog: { url: catalogUrl, secret: TEST_GATEWAY_SECRET, serviceKey: TEST_SERVICE_KEYS['orders'] },
  });
  storeSales.start();
  const accessUrl = await access.server.listen(0, '127.0.0.1');
  const ordersUrl = await orders.server.listen(0, '127.0.0.1');
  accessKeys = createAccessServiceKeyResolver({ url: accessUrl, secret: TEST_GATEWAY_SECRET, cacheTtlMs: 1 });
  const extras: Array<{ name: string; sdl: string; url: string; close(): Promise<void> }> = [];
  for (const extra of extraSubgraphs ?? []) {
    const started = await extra.start({ inventoryUrl, catalogUrl, ordersUrl, accessUrl, gatewaySecret: TEST_GATEWAY_SECRET, serviceKey: TEST_SERVICE_KEYS[extra.name], apiKeys });
    extras.push({ name: extra.name, sdl: extra.sdl, ...started });
    if (extra.name === 'customers') customerDirectory.use(customersDirectory({ url: started.url, serviceKey: TEST_SERVICE_KEYS['orders'] }, log));
  }
  const supergraphSdl = composeSupergraph([
    ...ponteSubgraphs({ INVENTORY_URL: inventoryUrl, CATALOG_URL: catalogUrl, ACCESS_URL: accessUrl, ORDERS_URL: ordersUrl }).filter((subgraph) => ['inventory', 'catalog', 'access', 'orders'].includes(subgraph.name)),
    ...extras.map(({ name, sdl, url }) => ({ name, sdl, url })),
  ]);
  const gateway = createPonteGateway({ supergraphSdl, log, subgraphSecret: TEST_GATEWAY_SECRET, identity: useIdentity({ apiKeys, jwt, log }), audit: { accessUrl }, ...gatewayOptions });
  const gatewayUrl = await gateway.listen(0, '127.0.0.1');
  await gateway.responseCache?.ready;
  return {
    inventory,
    catalog,
    access,
    orders,
    gateway,
    ordersUrl,
    inventoryUrl,
    catalogUrl,
    accessUrl,
    gatewayUrl,
    supergraphSdl,
    extraUrls: Object.fromEntries(extras.map((extra) => [extra.name, extra.url])),
    databases,
    async close() {
      await gateway.close();
      for (const extra of extras) await extra.close();
      await inventory.close();
      await catalog.close();
      await access.close();
      await storeSales.stop();
      await orders.close();
      if (!given) await Promise.all([databases.inventory.drop(), databases.catalog.drop(), databases.access.drop(), databases.orders.drop()]);
    },
  };
}

/**
 * A plain HTTP request to the gateway (a browser's page load, an asset): every test that calls the
 * gateway outside `graphql()` goes through here, so credentials are added in one place.
 */
export function gatewayFetch(url: string | URL, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (!headers.has('authorization')) headers.set('authorization', `Bearer ${TEST_KEYS.operator}`);
  return fetch(url, { ...init, headers });
}

/**
 * A GraphQL request, as the operator unless `headers` carry a credential of their own (`as(…)`);
 * an empty `authorization` sends none (anonymous).
 */
export async function graphql<Data = Record<string, unknown>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<{ data?: Data; errors?: Array<{ message: string; extensions?: Record<string, unknown> }>; status: number }> {
  const credential = 'authorization' in headers || 'x-api-key' in headers ? {} : as('operator');
  const sent = Object.fromEntries(Object.entries({ ...credential, ...headers }).filter(([, value]) => value !== ''));
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...sent },
    body: JSON.stringify({ query, variables }),
  });
  return { ...((await response.json()) as object), status: response.status };
}
