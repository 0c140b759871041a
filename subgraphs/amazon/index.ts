import { fileURLToPath } from 'node:url';
import { buildSubgraphSchema, type GraphQLResolverMap } from '@apollo/subgraph';
import { parse } from 'graphql';
import { platformSdl } from '../platform-common/schema.ts';
import { Inbox } from '../platform-common/inbox.ts';
import { InventoryClient } from '../platform-common/inventory-client.ts';
import { OrdersClient } from '../platform-common/orders-client.ts';
import { OrderSync } from '../platform-common/order-sync.ts';
import { Sealer, sealerFromEnv } from '../../kit/sealed.ts';
import { StockSync } from '../platform-common/stock-sync.ts';
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
import { AmazonClient, type AmazonClientOptions } from './client.ts';
import type { AmazonContext } from './context.ts';
import { FulfilmentFeed } from '../platform-common/fulfilment-feed.ts';
import { ShipmentConfirmations } from '../platform-common/shipment-confirmations.ts';
import { AmazonShipmentConfirmer } from './shipments.ts';
import type { Resolvers } from './generated/resolvers-types.ts';
import { AmazonListingQuantityPusher } from './listing-sync.ts';
import { AmazonListingReader } from './listings.ts';
import { amazonContactOf, amazonOrderingKey, AmazonOrderPoller, applyAmazonOrderMessage, minimiseAmazonMessage } from './orders.ts';
import { Mutation } from './resolvers/mutation.ts';
import { Product } from './resolvers/product.ts';
import { Query } from './resolvers/query.ts';

export const AMAZON_SDL_PATH = fileURLToPath(new URL('../../schema/amazon.graphql', import.meta.url));
const PLATFORM_MIGRATIONS = fileURLToPath(new URL('../platform-common/migrations', import.meta.url));
const resolvers: Resolvers = { Query, Mutation, Product };

/** The platform name in idempotency keys and ledger actors. */
export const AMAZON_PLATFORM = 'amazon';
/** The demo merchant's Amazon channel. */
export const DEFAULT_AMAZON_CHANNEL = 'amazon-br';

/** The Amazon subgraph's SDL: its own schema file and the platforms' shared types. */
export function amazonSdl(): string {
  return platformSdl(AMAZON_SDL_PATH);
}

export function amazonSchema() {
  return buildSubgraphSchema([{ typeDefs: parse(amazonSdl()), resolvers: resolvers as GraphQLResolverMap<AmazonContext> }]);
}

export interface AmazonSubgraphOptions {
  database: Database | (Omit<DatabaseOptions, 'schema'> & { schema?: string });
  log: Logger;
  gatewaySecret?: string | undefined;
  /** Checks the keys of `GET /metrics` scrapers (`metrics:read`), as the inventory checks service keys (kit/api-keys-from-env.ts). Unset: scrapes are refused. */
  apiKeys?: ApiKeyResolver | undefined;
  /** This instance's metrics. @default a new registry (kit/metrics.ts) */
  metrics?: Registry;
  /** This subgraph's own API key for the inventory (`PONTE_SERVICE_KEY`): its ledger actor and idempotency namespace. */
  serviceKey?: string | undefined;
  /** The inventory subgraph's GraphQL URL (order lines become reservations there). */
  inventoryUrl: string;
  /** The orders subgraph's GraphQL URL (`ORDERS_URL`): each applied order is recorded there. Unset: not recorded. */
  ordersUrl?: string | undefined;
  /** Canonical channel whose allocation policy routes Amazon reservations. @default 'amazon-br' */
  channel?: string;
  /** SP-API endpoint, LWA credentials, seller and marketplace, rate limits. */
  amazon: Omit<AmazonClientOptions, 'log'>;
  /** Order polling (`intervalMs: false`: only `poller.pollOnce()`). */
  polling?: { intervalMs?: number | false; overlapMs?: number; initialLookbackMs?: number; leaseMs?: number };
  /** @default 5000 */
  listingCacheTtlMs?: number;
  /** How often the inbox worker looks for due order snapshots. @default 1000 */
  inboxPollIntervalMs?: number;
  /** Seals the buyer's contact the inbox keeps until the order is applied. @default PONTE_DATA_KEYS (kit/sealed.ts) */
  sealer?: Sealer;
  /**
   * Channel sync: pushes the channel's canonical availability to the listings' merchant-fulfilled
   * quantity. `false` leaves the worker off (its status and dead letters still answer). @default on
   */
  stockSync?: false | { pollIntervalMs?: number; maxBackoffMs?: number; resyncIntervalMs?: number | false; maxAttempts?: number };
  /** Operational alerts (platform-common/alerts.ts); `false` turns them off. @default on, every 15 s, log only */
  alerts?: AlertOptions | false;
  /** The shipment confirmation queue's pacing (platform-common/shipment-confirmations.ts). */
  shipments?: { pollIntervalMs?: number; baseBackoffMs?: number; maxBackoffMs?: number; maxAttempts?: number };
  /** Following the orders subgraph's fulfilments of this channel (needs ordersUrl); false: not followed. */
  fulfilmentFeed?: false | { pollIntervalMs?: number };
}

export interface AmazonSubgraph {
  db: Database;
  server: SubgraphServer;
  metrics: Registry;
  client: AmazonClient;
  inbox: Inbox;
  orderSync: OrderSync;
  poller: AmazonOrderPoller;
  listings: AmazonListingReader;
  stockSync: StockSync;
  /** Alert rules and incidents; undefined when turned off. */
  alerts: AlertEngine | undefined;
  /**
   * Shipments to tell Amazon (confirmShipment for merchant-fulfilled orders): `shipments.enqueue(…)` is
   * what the orders subgraph's fulfilment feed calls, with the AmazonOrderId and the orderItemIds as line ids.
   */
  shipments: ShipmentConfirmations;
  close(): Promise<void>;
}

/** Builds the Amazon subgraph (migrated, worker and poller running); `server.listen()` is the caller's. */
export async function createAmazonSubgraph(options: AmazonSubgraphOptions): Promise<AmazonSubgraph> {
  const log = options.log.child({ subgraph: AMAZON_PLATFORM });
  const ownsDatabase = !('query' in options.database);
  const db = 'query' in options.database ? options.database : await openDatabase({ schema: 'amazon', ...options.database });
  const registry = options.metrics ?? createMetricsRegistry(AMAZON_PLATFORM);
  const metrics = new PlatformMetrics(registry, AMAZON_PLATFORM, db);
  await migrate(db, PLATFORM_MIGRATIONS);

  // Every attempt the client makes is seen by the platform-unreachable alert.
  const reachability = new PlatformReachability();
  const client = new AmazonClient({ ...options.amazon, fetch: reachability.wrap(options.amazon.fetch), log });
  const inventory = new InventoryClient({ url: options.inventoryUrl, secret: options.gatewaySecret, serviceKey: options.serviceKey });
  const orderSync = new OrderSync({ db, inventory, orders: options.ordersUrl ? new OrdersClient({ url: options.ordersUrl, secret: options.gatewaySecret, serviceKey: options.serviceKey }) : undefined, platform: AMAZON_PLATFORM, channel: options.channel ?? DEFAULT_AMAZON_CHANNEL, log, metrics });
  // A failure while Amazon's calls were failing waits for its recovery (wakeAfterOutages below), not only its backoff.
  const outageSince = (startedAt: number) => reachability.failedSince(startedAt);
  const inbox = new Inbox({ db, log, waitsOnPlatform: (_error, startedAt) => outageSince(startedAt), handle: applyAmazonOrderMessage(orderSync), minimise: minimiseAmazonMessage, orderingKey: amazonOrderingKey, contact: { of: amazonContactOf, sealer: options.sealer ?? sealerFromEnv() }, ...(options.inboxPollIntervalMs ? { pollIntervalMs: options.inboxPollIntervalMs } : {}) });
  const poller = new AmazonOrderPoller({ db, client, inbox, log, ...options.polling });
  const listings = new AmazonListingReader({ client, log, ...(options.listingCacheTtlMs !== undefined ? { cacheTtlMs: options.listingCacheTtlMs } : {}) });
  // A pushed quantity must show on the next amazonListing read, not after the cache expires.
  const pusher = new AmazonListingQuantityPusher({ client, log, onPushed: (skus) => listings.forget(skus) });
  const stockSync = new StockSync({
    db,
    log,
    channel: options.channel ?? DEFAULT_AMAZON_CHANNEL,
    inventoryUrl: options.inventoryUrl,
    metrics,
    gatewaySecret: options.gatewaySecret,
    serviceKey: options.serviceKey,
    pusher,
    platformDown: outageSince,
    ...(options.stockSync === false ? {} : options.stockSync),
  });
  // No probe: Amazon's rate limits make even a cheap call costly; its order poll and the listing
  // pushes' own retries see it answer again.
  wakeAfterOutages({ reachability, inbox, stockSync, log, platformLabel: 'Amazon' });

  const alerts = options.alerts === false ? undefined : createAlertEngine({ db, log, platform: AMAZON_PLATFORM, platformLabel: 'Amazon', reachability, alerts: options.alerts ?? {} });
  const shipments = new ShipmentConfirmations({ db, log, platform: AMAZON_PLATFORM, channel: options.channel ?? DEFAULT_AMAZON_CHANNEL, confirmer: new AmazonShipmentConfirmer({ client }), ...options.shipments });
  // Parcels fulfilOrder records for this channel's orders reach the platform through the same queue.
  const fulfilmentFeed = options.ordersUrl && options.fulfilmentFeed !== false
    ? new FulfilmentFeed({ db, log, channel: options.channel ?? DEFAULT_AMAZON_CHANNEL, orders: { url: options.ordersUrl, secret: options.gatewaySecret, serviceKey: options.serviceKey }, shipments, ...(options.fulfilmentFeed ?? {}) })
    : undefined;
  const server = await createSubgraphServer<AmazonContext>({
    name: AMAZON_PLATFORM,
    schema: amazonSchema(),
    log,
    gatewaySecret: options.gatewaySecret,
    metrics: { registry, authenticate: apiKeyCheck(options.apiKeys) },
    context: (_headers, principal) => ({ listings: listings.loader(), orderSync, stockSync, alerts, shipments, log, principal }),
    // Only the database: while Amazon is down this subgraph still answers (listings degrade to
    // null, polling retries), so the gateway must keep routing to it.
    readiness: async () => {
      await db.query('SELECT 1');
    },
    onClose: async () => {
      // Closing the client first ends pushes waiting for a token; stop() then waits for the worker.
      client.close();
      await alerts?.stop();
      await fulfilmentFeed?.stop();
      await shipments.stop();
      await stockSync.stop();
      await poller.stop();
      await inbox.stop();
      if (ownsDatabase) await db.close();
    },
  });
  inbox.start();
  shipments.start();
  fulfilmentFeed?.start();
  poller.start();
  if (options.stockSync !== false) stockSync.start();
  alerts?.start();
  return { db, server, metrics: registry, client, inbox, orderSync, poller, listings, stockSync, alerts, shipments, close: () => server.close() };
}
