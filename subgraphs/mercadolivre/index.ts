import { fileURLToPath } from 'node:url';
import { buildSubgraphSchema, type GraphQLResolverMap } from '@apollo/subgraph';
import { parse } from 'graphql';
import { platformSdl } from '../platform-common/schema.ts';
import { Inbox } from '../platform-common/inbox.ts';
import { InventoryClient } from '../platform-common/inventory-client.ts';
import { OrdersClient } from '../platform-common/orders-client.ts';
import { OrderSync } from '../platform-common/order-sync.ts';
import { createPlatformFetch } from '../platform-common/platform-fetch.ts';
import { StockSync } from '../platform-common/stock-sync.ts';
import { openDatabase, type Database, type DatabaseOptions } from '../../kit/database.ts';
import type { Logger } from '../../kit/logger.ts';
import { migrate } from '../../kit/migrate.ts';
import { apiKeyCheck, createMetricsRegistry } from '../../kit/metrics.ts';
import type { ApiKeyResolver } from '../../kit/identity.ts';
import type { Registry } from 'prom-client';
import { PlatformMetrics } from '../platform-common/metrics.ts';
import { createSubgraphServer, type SubgraphServer } from '../../kit/subgraph-server.ts';
import { MercadoLivreClient, MercadoLivreUnavailable } from './client.ts';
import type { MercadoLivreContext } from './context.ts';
import { FulfilmentFeed } from '../platform-common/fulfilment-feed.ts';
import { ShipmentConfirmations } from '../platform-common/shipment-confirmations.ts';
import { MercadoLivreShipmentConfirmer } from './shipments.ts';
import type { Resolvers } from './generated/resolvers-types.ts';
import { MercadoLivreListingSync } from './listing-sync.ts';
import { MercadoLivreListings } from './listings.ts';
import { ITEMS_TOPIC, mercadoLivreOrderingKey, minimiseMercadoLivreMessage, notificationRoute, orderNotificationHandler, ORDERS_TOPIC, recoverMissedNotifications, NOTIFICATIONS_PATH } from './notifications.ts';
import { NotificationTopicMonitor } from './notification-topics.ts';
import { BatchedOrderReader } from './order-reader.ts';
import { createAlertEngine, notificationTopicRule, PlatformReachability, type AlertEngine, type AlertOptions } from '../platform-common/alerts.ts';
import { wakeAfterOutages } from '../platform-common/outage.ts';
import { MercadoLivreTokens } from './oauth.ts';
import { MercadoLivreListing } from './resolvers/mercadolivre-listing.ts';
import { Mutation } from './resolvers/mutation.ts';
import { Product } from './resolvers/product.ts';
import { Query } from './resolvers/query.ts';
import type { Principal } from '../../kit/principal.ts';
import { SkuIndex } from './sku-index.ts';

export const MERCADOLIVRE_SDL_PATH = fileURLToPath(new URL('../../schema/mercadolivre.graphql', import.meta.url));
const PLATFORM_COMMON_MIGRATIONS = fileURLToPath(new URL('../platform-common/migrations', import.meta.url));
const DEFAULT_MISSED_NOTIFICATIONS_INTERVAL_MS = 600_000;
/** While Mercado Livre fails, how often one cheap call asks whether it answers again. */
/** The demo merchant's Mercado Livre channel in the canonical inventory. */
export const DEFAULT_CHANNEL = 'mercado-livre';
/** Short platform name: prefix of idempotency keys and the actor on ledger rows. */
export const PLATFORM = 'mercadolivre';

const resolvers: Resolvers = { Query, Mutation, Product, MercadoLivreListing };

export function mercadolivreSdl(): string {
  return platformSdl(MERCADOLIVRE_SDL_PATH);
}

export function mercadolivreSchema() {
  return buildSubgraphSchema([{ typeDefs: parse(mercadolivreSdl()), resolvers: resolvers as GraphQLResolverMap<MercadoLivreContext> }]);
}

export interface MercadoLivreSubgraphOptions {
  /** A database, or how to open one (schema `mercadolivre` by default). */
  database: Database | (Omit<DatabaseOptions, 'schema'> & { schema?: string });
  log: Logger;
  /** The gateway's shared secret; also sent to the inventory, which trusts it. */
  gatewaySecret?: string | undefined;
  /** Checks the keys of `GET /metrics` scrapers (`metrics:read`), as the inventory checks service keys (kit/api-keys-from-env.ts). Unset: scrapes are refused. */
  apiKeys?: ApiKeyResolver | undefined;
  /** This instance's metrics. @default a new registry (kit/metrics.ts) */
  metrics?: Registry;
  /** This subgraph's own API key for the inventory (`PONTE_SERVICE_KEY`): its ledger actor and idempotency namespace. */
  serviceKey?: string | undefined;
  /** The inventory subgraph's GraphQL URL. */
  inventoryUrl: string;
  /** The orders subgraph's GraphQL URL (`ORDERS_URL`): each applied order is recorded there. Unset: not recorded. */
  ordersUrl?: string | undefined;
  /** Canonical channel whose allocation policy routes reservations. @default mercado-livre */
  channel?: string;
  /** The Mercado Livre account and application. */
  platform: {
    /** @default https://api.mercadolibre.com in production; the sandbox's URL locally */
    baseUrl: string;
    /** The seller's user id. */
    userId: string;
    applicationId: string;
    clientSecret: string;
    /** The pair from the seller's authorization; the refreshed pair in platform_state wins once stored. */
    accessToken: string;
    refreshToken: string;
    /** @default { perHour: 18_000, burst: 300 } */
    rateLimit?: { perHour: number; burst: number };
  };
  /** @default 5000 */
  listingCacheTtlMs?: number;
  /** Inbox worker tuning (tests shorten the backoff). */
  inbox?: { pollIntervalMs?: number; maxBackoffMs?: number };
  /** Notified orders asked for within this window are read together (order-reader.ts). @default ORDER_GATHER_WINDOW_MS */
  orderReadWindowMs?: number;
  /** How often /missed_feeds is read for notifications Mercado Livre gave up on. @default 600_000 */
  missedNotificationsIntervalMs?: number;
  /** While Mercado Livre fails, how often one cheap call asks whether it answers again. @default 2000 */
  outageProbeIntervalMs?: number;
  /**
   * Channel sync: keeps the listings' quantities at the channel's canonical availability
   * (tests shorten the intervals). `false` turns it off: nothing is pushed to Mercado Livre.
   * @default on, with StockSync's defaults
   */
  stockSync?: false | { pollIntervalMs?: number; maxBackoffMs?: number; resyncIntervalMs?: number | false; maxAttempts?: number };
  fetch?: typeof fetch;
  /** Operational alerts (platform-common/alerts.ts); `false` turns them off. @default on, every 15 s, log only */
  alerts?: AlertOptions | false;
  /** The shipment confirmation queue's pacing (platform-common/shipment-confirmations.ts). */
  shipments?: { pollIntervalMs?: number; baseBackoffMs?: number; maxBackoffMs?: number; maxAttempts?: number };
  /** Following the orders subgraph's fulfilments of this channel (needs ordersUrl); false: not followed. */
  fulfilmentFeed?: false | { pollIntervalMs?: number };
}

export interface MercadoLivreSubgraph {
  db: Database;
  server: SubgraphServer;
  metrics: Registry;
  inbox: Inbox;
  orderSync: OrderSync;
  client: MercadoLivreClient;
  tokens: MercadoLivreTokens;
  skuIndex: SkuIndex;
  listings: MercadoLivreListings;
  /** Channel sync to Mercado Livre; null when turned off. */
  stockSync: StockSync | null;
  /**
   * Shipments to tell Mercado Livre (ME1/custom: the shipment marked shipped with its tracking):
   * `shipments.enqueue(…)` is what the orders subgraph's fulfilment feed calls, with Mercado Livre's order id.
   */
  shipments: ShipmentConfirmations;
  /** Alert rules and incidents; undefined when turned off. */
  alerts: AlertEngine | undefined;
  /** Path of the notification callback on this subgraph's server. */
  notificationsPath: string;
  context(): MercadoLivreContext;
  /** Reads /missed_feeds now (it also runs on start and every `missedNotificationsIntervalMs`). */
  recoverMissedNotifications(): Promise<number>;
  close(): Promise<void>;
}

/** Builds the Mercado Livre subgraph (migrated, inbox worker running); `server.listen()` serves it. */
export async function createMercadoLivreSubgraph(options: MercadoLivreSubgraphOptions): Promise<MercadoLivreSubgraph> {
  const log = options.log.child({ subgraph: PLATFORM });
  const { platform } = options;
  for (const [name, value] of Object.entries({ baseUrl: platform.baseUrl, userId: platform.userId, applicationId: platform.applicationId, clientSecret: platform.clientSecret, inventoryUrl: options.inventoryUrl })) {
    if (!value) throw new Error(`The Mercado Livre subgraph needs ${name}`);
  }
  const ownsDatabase = !('query' in options.database);
  const db = 'query' in options.database ? options.database : await openDatabase({ schema: PLATFORM, ...options.database });
  const registry = options.metrics ?? createMetricsRegistry(PLATFORM);
  const metrics = new PlatformMetrics(registry, PLATFORM, db);
  try {
    await migrate(db, PLATFORM_COMMON_MIGRATIONS);
  } catch (error) {
    if (ownsDatabase) await db.close();
    throw error;
  }

  const baseUrl = platform.baseUrl.replace(/\/+$/, '');
  const tokens = new MercadoLivreTokens({
    db,
    baseUrl,
    application: { applicationId: platform.applicationId, clientSecret: platform.clientSecret },
    initial: { accessToken: platform.accessToken, refreshToken: platform.refreshToken },
    // Short: the refresh holds the token row locked while it runs.
    fetch: createPlatformFetch({ timeoutMs: 5000, maxAttempts: 2, ...(options.fetch ? { fetch: options.fetch } : {}) }),
    log,
  });
  // Every attempt the client makes is seen by the platform-unreachable alert.
  const reachability = new PlatformReachability();
  const client = new MercadoLivreClient({ baseUrl, userId: platform.userId, tokens, log, rateLimit: platform.rateLimit, callBudget: { db, applicationId: platform.applicationId }, fetch: reachability.wrap(options.fetch) });
  const skuIndex = new SkuIndex({ client, log });
  const listings = new MercadoLivreListings({ client, index: skuIndex, log, cacheTtlMs: options.listingCacheTtlMs });
  const inventory = new InventoryClient({ url: options.inventoryUrl, secret: options.gatewaySecret, serviceKey: options.serviceKey, ...(options.fetch ? { fetch: options.fetch } : {}) });
  const orderSync = new OrderSync({ db, inventory, orders: options.ordersUrl ? new OrdersClient({ url: options.ordersUrl, secret: options.gatewaySecret, serviceKey: options.serviceKey, ...(options.fetch ? { fetch: options.fetch } : {}) }) : undefined, platform: PLATFORM, channel: options.channel ?? DEFAULT_CHANNEL, log, metrics });
  const inbox = new Inbox({
    db,
    log,
    handle: orderNotificationHandler({ client, orders: new BatchedOrderReader({ client, log, windowMs: options.orderReadWindowMs }), db, index: skuIndex, orderSync, log }),
    minimise: minimiseMercadoLivreMessage,
    orderingKey: mercadoLivreOrderingKey,
    waitsOnPlatform: (error) => error instanceof MercadoLivreUnavailable && error.outage,
    // An order here waits on Mercado Livre (its read, its shipment) before the reservation, which
    // the other platforms' webhooks carry: twice the messages in flight keep its intake level with
    // theirs in a storm (16 fell behind by 30 s of 250 orders), and gather bigger reads.
    concurrency: 32,
    ...options.inbox,
  });

  const recoverMissed = () => recoverMissedNotifications({ client, inbox, applicationId: platform.applicationId, log });
  let recovery: NodeJS.Timeout | undefined;

  const stockSync =
    options.stockSync === false
      ? null
      : new StockSync({
          db,
          log,
          channel: options.channel ?? DEFAULT_CHANNEL,
          inventoryUrl: options.inventoryUrl,
          metrics,
          gatewaySecret: options.gatewaySecret,
          serviceKey: options.serviceKey,
          pusher: new MercadoLivreListingSync({ client, index: skuIndex, listings, log, callsAhead: () => client.callsAheadOfListingWrites() }),
          // Every call, refused or not, spends the application's budget: none into an outage (the probe below watches for its end).
          platformUnreachable: () => reachability.failing() !== undefined,
          ...options.stockSync,
        });

  // Once Mercado Livre answers again, what failed for its outage goes at once, not after its
  // backoff; the application's own record is the cheapest call there is to notice it.
  const stopProbe = wakeAfterOutages({ reachability, inbox, stockSync, log, platformLabel: 'Mercado Livre', probe: () => client.application(platform.applicationId), probeIntervalMs: options.outageProbeIntervalMs });

  // The topics Ponte needs: orders_v2 reserves stock, items keeps the listing cache honest.
  const notificationTopics = new NotificationTopicMonitor({ db, client, applicationId: platform.applicationId, topics: [ORDERS_TOPIC, ITEMS_TOPIC], log });
  const alerts =
    options.alerts === false
      ? undefined
      : createAlertEngine({
          db,
          log,
          platform: PLATFORM,
          platformLabel: 'Mercado Livre',
          reachability,
          alerts: options.alerts ?? {},
          extraRules: (thresholds) => [notificationTopicRule({ platformLabel: 'Mercado Livre', thresholds, topics: async () => (await notificationTopics.status()).topics })],
        });
  const shipments = new ShipmentConfirmations({ db, log, platform: PLATFORM, channel: options.channel ?? DEFAULT_CHANNEL, confirmer: new MercadoLivreShipmentConfirmer({ client }), ...options.shipments });
  // Parcels fulfilOrder records for this channel's orders reach the platform through the same queue.
  const fulfilmentFeed = options.ordersUrl && options.fulfilmentFeed !== false
    ? new FulfilmentFeed({ db, log, channel: options.channel ?? DEFAULT_CHANNEL, orders: { url: options.ordersUrl, secret: options.gatewaySecret, serviceKey: options.serviceKey }, shipments, ...(options.fulfilmentFeed ?? {}) })
    : undefined;
  const context = (_headers?: unknown, principal?: Principal): MercadoLivreContext => ({ listings: listings.loader(), orderSync, stockSync, notificationTopics, alerts, shipments, log, principal });
  const server = await createSubgraphServer({
    name: PLATFORM,
    schema: mercadolivreSchema(),
    log,
    gatewaySecret: options.gatewaySecret,
    metrics: { registry, authenticate: apiKeyCheck(options.apiKeys) },
    context,
    routes: [metrics.webhooks(notificationRoute({ inbox, db, listings, applicationId: platform.applicationId, userId: platform.userId, log }))],
    readiness: async () => {
      await db.query('SELECT 1');
    },
    onClose: async () => {
      clearInterval(recovery);
      stopProbe();
      await alerts?.stop();
      await fulfilmentFeed?.stop();
      await shipments.stop();
      // Before the database closes: a push in flight still records its outcome.
      await stockSync?.stop();
      await inbox.stop();
      if (ownsDatabase) await db.close();
    },
  });
  inbox.start();
  shipments.start();
  fulfilmentFeed?.start();
  stockSync?.start();
  alerts?.start();
  recovery = setInterval(() => void recoverMissed().catch((error: unknown) => log.warn({ err: error }, 'could not read missed notifications')), options.missedNotificationsIntervalMs ?? DEFAULT_MISSED_NOTIFICATIONS_INTERVAL_MS);
  recovery.unref();
  void recoverMissed().catch((error: unknown) => log.warn({ err: error }, 'could not read missed notifications yet'));
  // Warm the SKU index so the first storefront read does not pay for it; failure is not fatal.
  void skuIndex.rebuild().catch((error: unknown) => log.warn({ err: error }, 'could not build the Mercado Livre SKU index yet; will retry on first read'));

  return { db, server, metrics: registry, inbox, orderSync, client, tokens, skuIndex, listings, stockSync, alerts, shipments, notificationsPath: NOTIFICATIONS_PATH, context, recoverMissedNotifications: recoverMissed, close: () => server.close() };
}

/**
 * Points the application's notifications at this subgraph. Mercado Livre sets the callback
 * URL in its application manager (no API), so this only works against the sandbox, whose
 * control API stands in for that page; against Mercado Livre it reports false.
 */
export async function registerNotificationCallback(platformBaseUrl: string, callbackUrl: string, topics: readonly string[] = ['orders_v2', 'items']): Promise<boolean> {
  const base = platformBaseUrl.replace(/\/+$/, '');
  const probe = await fetch(`${base}/_sandbox`, { signal: AbortSignal.timeout(3000) }).catch(() => undefined);
  const about = probe?.ok ? ((await probe.json().catch(() => ({}))) as { platform?: string }) : {};
  if (about.platform !== 'mercadolivre') return false;
  for (const topic of topics) {
    const response = await fetch(`${base}/_sandbox/webhooks`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ topic, url: callbackUrl }), signal: AbortSignal.timeout(3000) });
    if (!response.ok) throw new Error(`The Mercado Livre sandbox refused the callback for ${topic}: HTTP ${response.status} ${await response.text()}`);
  }
  return true;
}
