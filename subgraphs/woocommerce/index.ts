import { fileURLToPath } from 'node:url';
import { buildSubgraphSchema, type GraphQLResolverMap } from '@apollo/subgraph';
import { parse } from 'graphql';
import { platformSdl } from '../platform-common/schema.ts';
import { Inbox, UnprocessableMessage } from '../platform-common/inbox.ts';
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
import { WooCommerceClient, type WooCommerceClientOptions, type WooOrder } from './client.ts';
import type { WooCommerceContext } from './context.ts';
import { FulfilmentFeed } from '../platform-common/fulfilment-feed.ts';
import { ShipmentConfirmations } from '../platform-common/shipment-confirmations.ts';
import { WooCommerceShipmentConfirmer } from './shipments.ts';
import { WOOCOMMERCE_DEFAULT_CHANNEL, WOOCOMMERCE_PLATFORM } from './service.ts';
import { applyWooOrder, channelOrderFromWooOrder, shopperContactOf } from './dictionary.ts';
import type { Resolvers } from './generated/resolvers-types.ts';
import { WooCommerceQuantityPusher } from './listing-sync.ts';
import { createWooCommerceLoaders, ListingReader } from './listings.ts';
import { OrderReconciler } from './reconciliation.ts';
import { WooCommerceListing } from './resolvers/listing.ts';
import { Mutation } from './resolvers/listing-sync.ts';
import { Product } from './resolvers/product.ts';
import { Query } from './resolvers/query.ts';
import type { Principal } from '../../kit/principal.ts';
import { createWebhookRoute, derivedWebhookSecret, ensureOrderWebhooks, isOrder, minimiseWooMessage, ORDER_MESSAGE_TOPIC, WEBHOOK_PATH, wooOrderingKey } from './webhooks.ts';

export { WOOCOMMERCE_DEFAULT_CHANNEL, WOOCOMMERCE_PLATFORM } from './service.ts';
export { WEBHOOK_PATH } from './webhooks.ts';

export const WOOCOMMERCE_SDL_PATH = fileURLToPath(new URL('../../schema/woocommerce.graphql', import.meta.url));
const PLATFORM_MIGRATIONS = fileURLToPath(new URL('../platform-common/migrations', import.meta.url));
const resolvers: Resolvers = { Query, Mutation, Product, WooCommerceListing };

/** The WooCommerce subgraph's SDL: its own schema file and the platforms' shared types. */
export function woocommerceSdl(): string {
  return platformSdl(WOOCOMMERCE_SDL_PATH);
}

export function woocommerceSchema() {
  return buildSubgraphSchema([{ typeDefs: parse(woocommerceSdl()), resolvers: resolvers as GraphQLResolverMap<WooCommerceContext> }]);
}

export interface WooCommerceSubgraphOptions {
  /** An open database, or how to open one. @default schema `woocommerce` */
  database: Database | (Omit<DatabaseOptions, 'schema'> & { schema?: string });
  log: Logger;
  /** While the store fails, how often one cheap call asks whether it answers again. @default 2000 */
  outageProbeIntervalMs?: number;
  /** Shared secret the gateway sends; also presented to the inventory, which trusts it. */
  gatewaySecret?: string | undefined;
  /** Checks the keys of `GET /metrics` scrapers (`metrics:read`), as the inventory checks service keys (kit/api-keys-from-env.ts). Unset: scrapes are refused. */
  apiKeys?: ApiKeyResolver | undefined;
  /** This instance's metrics. @default a new registry (kit/metrics.ts) */
  metrics?: Registry;
  /** This subgraph's own API key for the inventory (`PONTE_SERVICE_KEY`): its ledger actor and idempotency namespace. */
  serviceKey?: string | undefined;
  /** The inventory subgraph's GraphQL URL, where orders become reservations. */
  inventoryUrl: string;
  /** The orders subgraph's GraphQL URL (`ORDERS_URL`): each applied order is recorded there. Unset: not recorded. */
  ordersUrl?: string | undefined;
  /** The store and its REST API keys (read/write: webhooks are registered through it), plus client tuning. */
  store: WooCommerceClientOptions & {
    /** The store's currency; WooCommerce keeps it in a setting, not on products. @default BRL */
    currency?: string;
  };
  /** Canonical channel whose allocation policy routes this store's reservations. @default woocommerce-br */
  channel?: string;
  /** Secret the order webhooks are signed with. @default derived from the consumer secret */
  webhookSecret?: string;
  /** How long listings read from the store are served from memory. @default 5000 */
  listingCacheTtlMs?: number;
  /** Pause between order sweeps (webhooks WooCommerce never retried); 0 disables them. @default 60000 */
  reconcileIntervalMs?: number;
  /** @default 1000 */
  inboxPollIntervalMs?: number;
  /** Seals the shopper's contact the inbox keeps until the order is applied. @default PONTE_DATA_KEYS (kit/sealed.ts) */
  sealer?: Sealer;
  /**
   * Channel sync: pushes the channel's canonical availability to the store's listings. `false`
   * turns it off (a store whose stock another system manages; tests about other things).
   * The intervals are StockSync's; tests shorten them.
   */
  stockSync?: false | { pollIntervalMs?: number; maxBackoffMs?: number; resyncIntervalMs?: number | false; maxAttempts?: number };
  /** Operational alerts (platform-common/alerts.ts); `false` turns them off. @default on, every 15 s, log only */
  alerts?: AlertOptions | false;
  /** The shipment confirmation queue's pacing (platform-common/shipment-confirmations.ts). */
  shipments?: { pollIntervalMs?: number; baseBackoffMs?: number; maxBackoffMs?: number; maxAttempts?: number };
  /** Following the orders subgraph's fulfilments of this channel (needs ordersUrl); false: not followed. */
  fulfilmentFeed?: false | { pollIntervalMs?: number };
}

export interface WooCommerceSubgraph {
  db: Database;
  server: SubgraphServer;
  metrics: Registry;
  inbox: Inbox;
  orderSync: OrderSync;
  /** Null when turned off (`stockSync: false`). */
  stockSync: StockSync | null;
  /** Alert rules and incidents; undefined when turned off. */
  alerts: AlertEngine | undefined;
  client: WooCommerceClient;
  listings: ListingReader;
  reconciler: OrderReconciler;
  /** The secret the store must sign order webhooks with. */
  webhookSecret: string;
  /**
   * Shipments to tell the store (tracking item, customer note, order completed): `shipments.enqueue(…)`
   * is what the orders subgraph's fulfilment feed calls, with WooCommerce's order id and line item ids.
   */
  shipments: ShipmentConfirmations;
  /** A fresh per-request context (in-process tests: `server.apollo.executeOperation`). */
  context(): WooCommerceContext;
  /**
   * Registers (or re-activates) the store's order webhooks to `${publicBaseUrl}/webhooks/woocommerce`.
   * Needs the address the store can reach, so it is called once listening.
   */
  registerWebhooks(publicBaseUrl: string): Promise<Array<{ id: number; topic: string }>>;
  close(): Promise<void>;
}

/** Builds the WooCommerce subgraph (listings, order webhooks, order sweeps); `main.ts` listens. */
export async function createWooCommerceSubgraph(options: WooCommerceSubgraphOptions): Promise<WooCommerceSubgraph> {
  const log = options.log.child({ subgraph: WOOCOMMERCE_PLATFORM });
  const ownsDatabase = !('query' in options.database);
  const db = 'query' in options.database ? options.database : await openDatabase({ schema: WOOCOMMERCE_PLATFORM, ...options.database });
  const registry = options.metrics ?? createMetricsRegistry(WOOCOMMERCE_PLATFORM);
  const metrics = new PlatformMetrics(registry, WOOCOMMERCE_PLATFORM, db);
  try {
    await migrate(db, PLATFORM_MIGRATIONS);

    // Every attempt the client makes is seen by the platform-unreachable alert.
    const reachability = new PlatformReachability();
    const client = new WooCommerceClient({ log, ...options.store, fetch: reachability.wrap(options.store.fetch) });
    const listings = new ListingReader({ client, log, currency: options.store.currency ?? 'BRL', cacheTtlMs: options.listingCacheTtlMs });
    const inventory = new InventoryClient({ url: options.inventoryUrl, secret: options.gatewaySecret, serviceKey: options.serviceKey });
    const channel = options.channel ?? WOOCOMMERCE_DEFAULT_CHANNEL;
    const orderSync = new OrderSync({ db, inventory, orders: options.ordersUrl ? new OrdersClient({ url: options.ordersUrl, secret: options.gatewaySecret, serviceKey: options.serviceKey }) : undefined, platform: WOOCOMMERCE_PLATFORM, channel, log, metrics });
    // A failure while the store's calls were failing waits for its recovery (wakeAfterOutages below), not only its backoff.
    const outageSince = (startedAt: number) => reachability.failedSince(startedAt);
    const stockSync =
      options.stockSync === false
        ? null
        : new StockSync({
            db,
            log,
            channel,
            inventoryUrl: options.inventoryUrl,
            metrics,
            gatewaySecret: options.gatewaySecret,
            serviceKey: options.serviceKey,
            platformDown: outageSince,
            pusher: new WooCommerceQuantityPusher({ client, listings, log }),
            ...options.stockSync,
          });
    const inbox = new Inbox({
      db,
      log,
      pollIntervalMs: options.inboxPollIntervalMs,
      minimise: minimiseWooMessage,
      orderingKey: wooOrderingKey,
      waitsOnPlatform: (_error, startedAt) => outageSince(startedAt),
      // The stored order keeps no shopper (minimiseWooMessage): the contact waits beside it, sealed.
      contact: { of: (topic, payload) => (topic === ORDER_MESSAGE_TOPIC && isOrder(payload) ? shopperContactOf(payload as WooOrder) : null), sealer: options.sealer ?? sealerFromEnv() },
      async handle(topic, payload, contact) {
        // Neither can ever be applied, however often it is retried: set aside at once.
        if (topic !== ORDER_MESSAGE_TOPIC) throw new UnprocessableMessage(`The WooCommerce inbox has no handler for topic ${topic}`);
        if (!isOrder(payload)) throw new UnprocessableMessage('Not a WooCommerce order: it needs id, status and line_items');
        const order = channelOrderFromWooOrder(payload as WooOrder);
        // Stored orders always map (the receiver checks); a dictionary change since can make one moot.
        if (order) await applyWooOrder(orderSync, contact ? { ...order, customer: contact } : order);
      },
    });
    // One page of the store's webhooks: a cheap authenticated read, every 2 s while the store fails.
    const stopOutageProbe = wakeAfterOutages({ reachability, inbox, stockSync, log, platformLabel: 'WooCommerce', probe: () => client.webhooks(), probeIntervalMs: options.outageProbeIntervalMs });
    const webhookSecret = options.webhookSecret || derivedWebhookSecret(options.store.consumerSecret);
    const reconciler = new OrderReconciler({ client, inbox, db, log, intervalMs: options.reconcileIntervalMs });
    await reconciler.initialise();

    const alerts = options.alerts === false ? undefined : createAlertEngine({ db, log, platform: WOOCOMMERCE_PLATFORM, platformLabel: 'WooCommerce', reachability, alerts: options.alerts ?? {} });
    const shipments = new ShipmentConfirmations({ db, log, platform: WOOCOMMERCE_PLATFORM, channel, confirmer: new WooCommerceShipmentConfirmer({ client, log }), ...options.shipments });
    // Parcels fulfilOrder records for this channel's orders reach the platform through the same queue.
    const fulfilmentFeed = options.ordersUrl && options.fulfilmentFeed !== false
      ? new FulfilmentFeed({ db, log, channel: channel, orders: { url: options.ordersUrl, secret: options.gatewaySecret, serviceKey: options.serviceKey }, shipments, ...(options.fulfilmentFeed ?? {}) })
      : undefined;
    const context = (_headers?: unknown, principal?: Principal): WooCommerceContext => ({ loaders: createWooCommerceLoaders(listings), orderSync, stockSync, alerts, shipments, log, principal });
    const server = await createSubgraphServer({
      name: WOOCOMMERCE_PLATFORM,
      schema: woocommerceSchema(),
      log,
      gatewaySecret: options.gatewaySecret,
      metrics: { registry, authenticate: apiKeyCheck(options.apiKeys) },
      context,
      routes: [metrics.webhooks(createWebhookRoute({ secret: webhookSecret, inbox, log }))],
      // The database only: webhooks are received and queued even while the store is down.
      readiness: async () => {
        await db.query('SELECT 1');
      },
      onClose: async () => {
        // Before the database closes: a push in flight still records its outcome.
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
    reconciler.start();
    stockSync?.start();
    alerts?.start();

    return {
      db,
      server,
      metrics: registry,
      inbox,
      orderSync,
      stockSync,
      alerts,
      client,
      listings,
      reconciler,
      webhookSecret,
      shipments,
      context,
      registerWebhooks: (publicBaseUrl) => ensureOrderWebhooks(client, { deliveryUrl: `${publicBaseUrl.replace(/\/+$/, '')}${WEBHOOK_PATH}`, secret: webhookSecret, log }),
      close: () => server.close(),
    };
  } catch (error) {
    if (ownsDatabase) await db.close().catch(() => {});
    throw error;
  }
}
