import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildSubgraphSchema, type GraphQLResolverMap } from '@apollo/subgraph';
import { parse } from 'graphql';
import { Inbox } from '../platform-common/inbox.ts';
import { InventoryClient } from '../platform-common/inventory-client.ts';
import { OrderSync } from '../platform-common/order-sync.ts';
import { StockSync } from '../platform-common/stock-sync.ts';
import { openDatabase, type Database, type DatabaseOptions } from '../../kit/database.ts';
import type { Logger } from '../../kit/logger.ts';
import { migrate } from '../../kit/migrate.ts';
import { createSubgraphServer, type SubgraphServer } from '../../kit/subgraph-server.ts';
import { AmazonClient, type AmazonClientOptions } from './client.ts';
import type { AmazonContext } from './context.ts';
import type { Resolvers } from './generated/resolvers-types.ts';
import { AmazonListingQuantityPusher } from './listing-sync.ts';
import { AmazonListingReader } from './listings.ts';
import { AmazonOrderPoller, applyAmazonOrderMessage, minimiseAmazonMessage } from './orders.ts';
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

export function amazonSchema() {
  return buildSubgraphSchema([{ typeDefs: parse(readFileSync(AMAZON_SDL_PATH, 'utf8')), resolvers: resolvers as GraphQLResolverMap<AmazonContext> }]);
}

export interface AmazonSubgraphOptions {
  database: Database | (Omit<DatabaseOptions, 'schema'> & { schema?: string });
  log: Logger;
  gatewaySecret?: string | undefined;
  /** This subgraph's own API key for the inventory (`PONTE_SERVICE_KEY`): its ledger actor and idempotency namespace. */
  serviceKey?: string | undefined;
  /** The inventory subgraph's GraphQL URL (order lines become reservations there). */
  inventoryUrl: string;
  /** Canonical channel whose allocation policy routes Amazon reservations. @default 'amazon-br' */
  channel?: string;
  /** SP-API endpoint, LWA credentials, seller and marketplace, rate limits. */
  amazon: Omit<AmazonClientOptions, 'log'>;
  /** Order polling (`intervalMs: false`: only `poller.pollOnce()`). */
  polling?: { intervalMs?: number | false; overlapMs?: number; initialLookbackMs?: number };
  /** @default 5000 */
  listingCacheTtlMs?: number;
  /** How often the inbox worker looks for due order snapshots. @default 1000 */
  inboxPollIntervalMs?: number;
  /**
   * Channel sync: pushes the channel's canonical availability to the listings' merchant-fulfilled
   * quantity. `false` leaves the worker off (its status and dead letters still answer). @default on
   */
  stockSync?: false | { pollIntervalMs?: number; maxBackoffMs?: number; resyncIntervalMs?: number | false; maxAttempts?: number };
}

export interface AmazonSubgraph {
  db: Database;
  server: SubgraphServer;
  client: AmazonClient;
  inbox: Inbox;
  orderSync: OrderSync;
  poller: AmazonOrderPoller;
  listings: AmazonListingReader;
  stockSync: StockSync;
  close(): Promise<void>;
}

/** Builds the Amazon subgraph (migrated, worker and poller running); `server.listen()` is the caller's. */
export async function createAmazonSubgraph(options: AmazonSubgraphOptions): Promise<AmazonSubgraph> {
  const log = options.log.child({ subgraph: AMAZON_PLATFORM });
  const ownsDatabase = !('query' in options.database);
  const db = 'query' in options.database ? options.database : await openDatabase({ schema: 'amazon', ...options.database });
  await migrate(db, PLATFORM_MIGRATIONS);

  const client = new AmazonClient({ ...options.amazon, log });
  const inventory = new InventoryClient({ url: options.inventoryUrl, secret: options.gatewaySecret, serviceKey: options.serviceKey });
  const orderSync = new OrderSync({ db, inventory, platform: AMAZON_PLATFORM, channel: options.channel ?? DEFAULT_AMAZON_CHANNEL, log });
  const inbox = new Inbox({ db, log, handle: applyAmazonOrderMessage(orderSync), minimise: minimiseAmazonMessage, ...(options.inboxPollIntervalMs ? { pollIntervalMs: options.inboxPollIntervalMs } : {}) });
  const poller = new AmazonOrderPoller({ db, client, inbox, log, ...options.polling });
  const listings = new AmazonListingReader({ client, log, ...(options.listingCacheTtlMs !== undefined ? { cacheTtlMs: options.listingCacheTtlMs } : {}) });
  // A pushed quantity must show on the next amazonListing read, not after the cache expires.
  const pusher = new AmazonListingQuantityPusher({ client, log, onPushed: (skus) => listings.forget(skus) });
  const stockSync = new StockSync({
    db,
    log,
    channel: options.channel ?? DEFAULT_AMAZON_CHANNEL,
    inventoryUrl: options.inventoryUrl,
    gatewaySecret: options.gatewaySecret,
    serviceKey: options.serviceKey,
    pusher,
    ...(options.stockSync === false ? {} : options.stockSync),
  });

  const server = await createSubgraphServer<AmazonContext>({
    name: AMAZON_PLATFORM,
    schema: amazonSchema(),
    log,
    gatewaySecret: options.gatewaySecret,
    context: (_headers, principal) => ({ listings: listings.loader(), orderSync, stockSync, log, principal }),
    // Only the database: while Amazon is down this subgraph still answers (listings degrade to
    // null, polling retries), so the gateway must keep routing to it.
    readiness: async () => {
      await db.query('SELECT 1');
    },
    onClose: async () => {
      // Closing the client first ends pushes waiting for a token; stop() then waits for the worker.
      client.close();
      await stockSync.stop();
      await poller.stop();
      await inbox.stop();
      if (ownsDatabase) await db.close();
    },
  });
  inbox.start();
  poller.start();
  if (options.stockSync !== false) stockSync.start();
  return { db, server, client, inbox, orderSync, poller, listings, stockSync, close: () => server.close() };
}
