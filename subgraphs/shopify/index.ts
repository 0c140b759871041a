import { fileURLToPath } from 'node:url';
import { buildSubgraphSchema, type GraphQLResolverMap } from '@apollo/subgraph';
import { parse } from 'graphql';
import { platformSdl } from '../platform-common/schema.ts';
import { Inbox } from '../platform-common/inbox.ts';
import { InventoryClient } from '../platform-common/inventory-client.ts';
import { OrdersClient } from '../platform-common/orders-client.ts';
import { OrderSync } from '../platform-common/order-sync.ts';
import { StockSync } from '../platform-common/stock-sync.ts';
import { FulfilmentFeed } from '../platform-common/fulfilment-feed.ts';
import { ShipmentConfirmations } from '../platform-common/shipment-confirmations.ts';
import { ShopifyShipmentConfirmer } from './shipments.ts';
import { createAlertEngine, PlatformReachability, type AlertEngine, type AlertOptions } from '../platform-common/alerts.ts';
import { wakeAfterOutages } from '../platform-common/outage.ts';
import { openDatabase, type Database, type DatabaseOptions } from '../../kit/database.ts';
import type { Logger } from '../../kit/logger.ts';
import { migrate } from '../../kit/migrate.ts';
import { apiKeyCheck, createMetricsRegistry } from '../../kit/metrics.ts';
import type { ApiKeyResolver } from '../../kit/identity.ts';
import type { Registry } from 'prom-client';
import { PlatformMetrics } from '../platform-common/metrics.ts';
import { createSubgraphServer, type SubgraphServer } from '../../kit/subgraph-server.ts';
import { DEFAULT_SHOPIFY_CHANNEL } from './service.ts';
import { ShopifyClient, type ShopifyClientOptions } from './client.ts';
import { createShopifyContext, type ShopifyContext } from './context.ts';
import type { Resolvers } from './generated/resolvers-types.ts';
import { ShopifyListingPusher } from './listing-sync.ts';
import { ListingReader } from './listings.ts';
import { OrderReconciler } from './reconciliation.ts';
import { Mutation } from './resolvers/mutation.ts';
import { Product } from './resolvers/product.ts';
import { Query } from './resolvers/query.ts';
import { minimiseShopifyMessage, ORDER_TOPICS, shopifyOrderingKey, shopifyContactOf, shopifyWebhookHandler, shopifyWebhookRoute, WEBHOOK_PATH } from './webhooks.ts';
import { ShopifyPrivacy } from './privacy.ts';
import { Sealer, sealerFromEnv } from '../../kit/sealed.ts';
import type { Principal } from '../../kit/principal.ts';

export const SHOPIFY_SDL_PATH = fileURLToPath(new URL('../../schema/shopify.graphql', import.meta.url));
const PLATFORM_MIGRATIONS = fileURLToPath(new URL('../platform-common/migrations', import.meta.url));
const resolvers: Resolvers = { Query, Mutation, Product };

export { DEFAULT_SHOPIFY_CHANNEL, DEFAULT_SHOPIFY_PORT } from './service.ts';

export function shopifySdl(): string {
  return platformSdl(SHOPIFY_SDL_PATH);
}

export function shopifySchema() {
  return buildSubgraphSchema([{ typeDefs: parse(shopifySdl()), resolvers: resolvers as GraphQLResolverMap<ShopifyContext> }]);
}

export interface ShopifySubgraphOptions {
  database: Database | (Omit<DatabaseOptions, 'schema'> & { schema?: string });
  log: Logger;
  /** While Shopify fails, how often one cheap call asks whether it answers again. @default 2000 */
  outageProbeIntervalMs?: number;
  gatewaySecret?: string | undefined;
  /** Checks the keys of `GET /metrics` scrapers (`metrics:read`), as the inventory checks service keys (kit/api-keys-from-env.ts). Unset: scrapes are refused. */
  apiKeys?: ApiKeyResolver | undefined;
  /** This instance's metrics. @default a new registry (kit/metrics.ts) */
  metrics?: Registry;
  /** This subgraph's own API key for the inventory (`PONTE_SERVICE_KEY`): its ledger actor and idempotency namespace. */
  serviceKey?: string | undefined;
  /** The inventory subgraph's GraphQL URL, called for reservations. */
  inventoryUrl: string;
  /** The orders subgraph's GraphQL URL (`ORDERS_URL`): each applied order is recorded there. Unset: not recorded. */
  ordersUrl?: string | undefined;
  /** Canonical channel whose policy routes this shop's reservations. @default DEFAULT_SHOPIFY_CHANNEL */
  channel?: string;
  /** The shop: domain, Admin API token, API base URL (the sandbox's), limits. */
  shopify: Omit<ShopifyClientOptions, 'log'> & {
    /** The app's client secret, which signs webhooks. */
    apiSecretKey: string;
  };
  /** Listing cache. @default 5000 ms; 0 turns it off */
  listingCacheTtlMs?: number;
  inbox?: { pollIntervalMs?: number; maxBackoffMs?: number; retentionDays?: number };
  /**
   * Seals the personal data that must be kept (a data request's contact). @default from
   * PONTE_DATA_KEYS (kit/sealed.ts; development falls back to a published key)
   */
  sealer?: Sealer;
  /** Order reconciliation against the Admin API. `intervalMs: 0` leaves it stopped (call `reconciler.start()`). @default every 60 s */
  reconciliation?: { intervalMs?: number; initialLookbackMs?: number };
  /**
   * Channel sync: pushes the channel's canonical availability to the Shopify listings.
   * `false` turns it off (no pushes, and the sync fields answer an error). @default on
   */
  stockSync?:
    | false
    | {
        /** Shopify location GID the channel's quantity is set at. @default the shop's primary location */
        locationId?: string | undefined;
        /** SKUs per push at most. @default what one read call carries (`skusPerLevelRead` in listing-levels.ts: 76 on a shop with two locations) */
        batchSize?: number;
        /** Least time between two writes to one listing (bursts coalesce meanwhile). @default DEFAULT_MIN_WRITE_INTERVAL_MS */
        minWriteIntervalMs?: number;
        maxAttempts?: number;
        pollIntervalMs?: number;
        resyncIntervalMs?: number | false;
        maxBackoffMs?: number;
      };
  /** Operational alerts (platform-common/alerts.ts); `false` turns them off. @default on, every 15 s, log only */
  alerts?: AlertOptions | false;
  /** The shipment confirmation queue's pacing (platform-common/shipment-confirmations.ts). */
  shipments?: { pollIntervalMs?: number; baseBackoffMs?: number; maxBackoffMs?: number; maxAttempts?: number };
  /** Following the orders subgraph's fulfilments of this channel (needs ordersUrl); false: not followed. */
  fulfilmentFeed?: false | { pollIntervalMs?: number };
}

export interface ShopifySubgraph {
  db: Database;
  server: SubgraphServer;
  metrics: Registry;
  inbox: Inbox;
  orderSync: OrderSync;
  /** Shopify's compliance webhooks and what an operator reads to answer a data request. */
  privacy: ShopifyPrivacy;
  client: ShopifyClient;
  listings: ListingReader;
  reconciler: OrderReconciler;
  /** Channel sync to the Shopify listings; undefined when turned off. */
  stockSync: StockSync | undefined;
  /** Alert rules and incidents; undefined when turned off. */
  alerts: AlertEngine | undefined;
  /**
   * Shipments to tell Shopify (fulfillments with tracking): `shipments.enqueue({ orderId, fulfilmentId,
   * carrier, trackingCode, trackingUrl, shippedAt, lines: [{ lineId, sku, quantity }] })` is what the
   * orders subgraph's fulfilment feed calls, with Shopify's order GID and line ids as the intake keyed them.
   */
  shipments: ShipmentConfirmations;
  context(): ShopifyContext;
  /**
   * Subscribes `{publicBaseUrl}/webhooks/shopify` to the order topics through the Admin API
   * (`webhookSubscriptionCreate`), skipping the ones that exist. Returns the topics created.
   */
  registerWebhooks(publicBaseUrl: string): Promise<string[]>;
  close(): Promise<void>;
}

/** Builds the Shopify subgraph (not listening): database, inbox worker, reconciliation, server. */
export async function createShopifySubgraph(options: ShopifySubgraphOptions): Promise<ShopifySubgraph> {
  if (!options.shopify.apiSecretKey) throw new Error('The Shopify subgraph needs the app client secret (SHOPIFY_API_SECRET) to verify webhooks');
  const log = options.log.child({ subgraph: 'shopify' });
  const ownsDatabase = !('query' in options.database);
  const db = 'query' in options.database ? options.database : await openDatabase({ schema: 'shopify', ...options.database });
  const registry = options.metrics ?? createMetricsRegistry('shopify');
  const metrics = new PlatformMetrics(registry, 'shopify', db);
  await migrate(db, PLATFORM_MIGRATIONS);

  // Every attempt the client makes is seen by the platform-unreachable alert.
  const reachability = new PlatformReachability();
  const client = new ShopifyClient({ ...options.shopify, fetch: reachability.wrap(options.shopify.fetch), log });
  const inventory = new InventoryClient({ url: options.inventoryUrl, secret: options.gatewaySecret, serviceKey: options.serviceKey });
  const orderSync = new OrderSync({ db, inventory, orders: options.ordersUrl ? new OrdersClient({ url: options.ordersUrl, secret: options.gatewaySecret, serviceKey: options.serviceKey }) : undefined, platform: 'shopify', channel: options.channel ?? DEFAULT_SHOPIFY_CHANNEL, log, metrics });
  const sealer = options.sealer ?? sealerFromEnv();
  // A failure while Shopify's calls were failing waits for its recovery (wakeAfterOutages below), not only its backoff.
  const outageSince = (startedAt: number) => reachability.failedSince(startedAt);
  const inbox = new Inbox({ db, log, handle: shopifyWebhookHandler(orderSync), minimise: minimiseShopifyMessage, orderingKey: shopifyOrderingKey, contact: { of: shopifyContactOf, sealer }, waitsOnPlatform: (_error, startedAt) => outageSince(startedAt), ...options.inbox });
  const privacy = new ShopifyPrivacy({ db, log, sealer, shopDomain: options.shopify.shopDomain });
  // After a new key was put first in PONTE_DATA_KEYS: move what the older keys sealed.
  await privacy.resealContacts();
  const listings = new ListingReader({ client, log, ...(options.listingCacheTtlMs !== undefined ? { cacheTtlMs: options.listingCacheTtlMs } : {}) });
  const channel = options.channel ?? DEFAULT_SHOPIFY_CHANNEL;
  const syncOptions = options.stockSync === false ? undefined : (options.stockSync ?? {});
  const listingPusher = syncOptions
    ? new ShopifyListingPusher({ client, log, channel, locationId: syncOptions.locationId, ...(syncOptions.batchSize !== undefined ? { batchSize: syncOptions.batchSize } : {}),
        ...(syncOptions.minWriteIntervalMs !== undefined ? { minWriteIntervalMs: syncOptions.minWriteIntervalMs } : {}),
      })
    : undefined;
  // The sweep goes after the listing sync: it leaves a push's points in the bucket.
  const reconciler = new OrderReconciler({ client, orderSync, db, log, ...(listingPusher ? { leaveForListingSync: () => listingPusher.pointsPerPush } : {}), ...options.reconciliation });
  const stockSync = syncOptions && listingPusher
    ? new StockSync({
        db,
        log,
        channel,
        inventoryUrl: options.inventoryUrl,
        metrics,
        gatewaySecret: options.gatewaySecret,
        serviceKey: options.serviceKey,
        platformDown: outageSince,
        pusher: listingPusher,
        ...(syncOptions.maxAttempts !== undefined ? { maxAttempts: syncOptions.maxAttempts } : {}),
        ...(syncOptions.pollIntervalMs !== undefined ? { pollIntervalMs: syncOptions.pollIntervalMs } : {}),
        ...(syncOptions.resyncIntervalMs !== undefined ? { resyncIntervalMs: syncOptions.resyncIntervalMs } : {}),
        ...(syncOptions.maxBackoffMs !== undefined ? { maxBackoffMs: syncOptions.maxBackoffMs } : {}),
      })
    : undefined;
  // The cheapest Admin API query there is (1 point of the bucket), every 2 s while Shopify fails.
  const stopOutageProbe = wakeAfterOutages({ reachability, inbox, stockSync, log, platformLabel: 'Shopify', probe: () => client.request('query PonteOutageProbe { shop { id } }', { expectedCost: 1 }), probeIntervalMs: options.outageProbeIntervalMs });
  const alerts = options.alerts === false ? undefined : createAlertEngine({ db, log, platform: 'shopify', platformLabel: 'Shopify', reachability, alerts: options.alerts ?? {} });
  const shipments = new ShipmentConfirmations({ db, log, platform: 'shopify', channel, confirmer: new ShopifyShipmentConfirmer({ client, log }), ...options.shipments });
  // Parcels fulfilOrder records for this channel's orders reach the platform through the same queue.
  const fulfilmentFeed = options.ordersUrl && options.fulfilmentFeed !== false
    ? new FulfilmentFeed({ db, log, channel: channel, orders: { url: options.ordersUrl, secret: options.gatewaySecret, serviceKey: options.serviceKey }, shipments, ...(options.fulfilmentFeed ?? {}) })
    : undefined;
  const context = (_headers?: unknown, principal?: Principal) => ({ ...createShopifyContext(listings, orderSync, stockSync, privacy, principal), alerts, shipments });

  const server = await createSubgraphServer({
    name: 'shopify',
    schema: shopifySchema(),
    log,
    gatewaySecret: options.gatewaySecret,
    metrics: { registry, authenticate: apiKeyCheck(options.apiKeys) },
    context,
    routes: [metrics.webhooks(shopifyWebhookRoute({ apiSecretKey: options.shopify.apiSecretKey, inbox, privacy, log }))],
    readiness: async () => {
      await db.query('SELECT 1');
    },
    onClose: async () => {
      // Before the database closes: the sync worker writes each push's outcome there.
      stopOutageProbe();
      await alerts?.stop();
      await fulfilmentFeed?.stop();
      await shipments.stop();
      await stockSync?.stop();
      await reconciler.stop();
      await inbox.stop();
      if (ownsDatabase) await db.close();
    },
  });

  inbox.start();
  shipments.start();
  fulfilmentFeed?.start();
  stockSync?.start();
  alerts?.start();
  if ((options.reconciliation?.intervalMs ?? 1) > 0) reconciler.start();

  return {
    db,
    server,
    metrics: registry,
    inbox,
    orderSync,
    privacy,
    client,
    listings,
    reconciler,
    stockSync,
    alerts,
    shipments,
    context,
    registerWebhooks: (publicBaseUrl) => registerWebhooks(client, `${publicBaseUrl.replace(/\/+$/, '')}${WEBHOOK_PATH}`),
    close: () => server.close(),
  };
}

async function registerWebhooks(client: ShopifyClient, uri: string): Promise<string[]> {
  const toEnum = (topic: string) => topic.replace('/', '_').toUpperCase();
  const existing = await client.request<{ webhookSubscriptions: { nodes: Array<{ topic: string; uri: string }> } }>(
    `query ExistingWebhooks($topics: [WebhookSubscriptionTopic!]) { webhookSubscriptions(first: 50, topics: $topics) { nodes { topic uri } } }`,
    { variables: { topics: ORDER_TOPICS.map(toEnum) } },
  );
  const created: string[] = [];
  for (const topic of ORDER_TOPICS) {
    if (existing.webhookSubscriptions.nodes.some((subscription) => subscription.topic === toEnum(topic) && subscription.uri === uri)) continue;
    const result = await client.request<{ webhookSubscriptionCreate: { userErrors: Array<{ message: string }> } }>(
      `mutation CreateWebhook($topic: WebhookSubscriptionTopic!, $uri: String!) {
        webhookSubscriptionCreate(topic: $topic, webhookSubscription: { uri: $uri, format: JSON }) { webhookSubscription { id } userErrors { field message } }
      }`,
      { variables: { topic: toEnum(topic), uri } },
    );
    const problems = result.webhookSubscriptionCreate.userErrors;
    if (problems.length > 0) throw new Error(`Shopify refused the ${topic} webhook for ${uri}: ${problems.map((problem) => problem.message).join('; ')}`);
    created.push(topic);
  }
  return created;
}
