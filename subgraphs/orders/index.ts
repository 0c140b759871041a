import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildSubgraphSchema, type GraphQLResolverMap } from '@apollo/subgraph';
import { parse } from 'graphql';
import type { Registry } from 'prom-client';
import { openDatabase, type Database, type DatabaseOptions } from '../../kit/database.ts';
import type { ApiKeyResolver } from '../../kit/identity.ts';
import type { Logger } from '../../kit/logger.ts';
import { apiKeyCheck, createMetricsRegistry } from '../../kit/metrics.ts';
import { migrate } from '../../kit/migrate.ts';
import type { Principal } from '../../kit/principal.ts';
import { createSubgraphServer, type SubgraphServer } from '../../kit/subgraph-server.ts';
import { createOrdersContext, type OrdersContext } from './context.ts';
import { NO_CUSTOMER_DIRECTORY, type CustomerDirectory } from './customer-directory.ts';
import { OrderEventRelay, type OrderEventRelayOptions } from './outbox/order-event-relay.ts';
import { resolvers } from './resolvers/index.ts';
import { CustomerLinks, type CustomerLinksOptions } from './services/customer-links.ts';
import { NO_STOCK_COMMITTER, OrderBook, type StockCommitter } from './services/order-book.ts';

export const ORDERS_SDL_PATH = fileURLToPath(new URL('../../schema/orders.graphql', import.meta.url));
export const ORDERS_MIGRATIONS = fileURLToPath(new URL('./migrations', import.meta.url));

export function ordersSchema() {
  return buildSubgraphSchema([{ typeDefs: parse(readFileSync(ORDERS_SDL_PATH, 'utf8')), resolvers: resolvers as GraphQLResolverMap<OrdersContext> }]);
}

export interface OrdersSubgraphOptions {
  /** An open database, or how to open one (schema defaults to `orders`). */
  database: Database | Omit<DatabaseOptions, 'schema'> & { schema?: string };
  log: Logger;
  gatewaySecret?: string | undefined;
  /** Service keys accepted without the gateway secret (the platform subgraphs recording their orders). */
  apiKeys?: ApiKeyResolver | undefined;
  /** Who the shoppers are. @default NO_CUSTOMER_DIRECTORY (no customers subgraph: no order is matched) */
  customers?: CustomerDirectory;
  /** Commits shipped lines' reservations (the inventory, see inventory-stock.ts). @default NO_STOCK_COMMITTER */
  stock?: StockCommitter;
  relay?: OrderEventRelayOptions;
  /** How often the customers subgraph's erasures and merges are followed. */
  customerLinks?: CustomerLinksOptions;
  /** This instance's metrics. @default a new registry */
  metrics?: Registry;
}

export interface OrdersSubgraph {
  db: Database;
  orders: OrderBook;
  orderEvents: OrderEventRelay;
  /** Follows the customers subgraph's erasures and merges (idle without a directory). */
  customerLinks: CustomerLinks;
  server: SubgraphServer;
  metrics: Registry;
  /** A context as a request from this principal would get (for in-process tests). */
  context(principal?: Principal): OrdersContext;
  close(): Promise<void>;
}

/** Opens the database, applies migrations, starts the outbox relay and builds the server. */
export async function createOrdersSubgraph(options: OrdersSubgraphOptions): Promise<OrdersSubgraph> {
  const log = options.log.child({ subgraph: 'orders' });
  const ownsDatabase = !('query' in options.database);
  const db = 'query' in options.database ? options.database : await openDatabase({ schema: 'orders', ...options.database });
  await migrate(db, ORDERS_MIGRATIONS);
  const registry = options.metrics ?? createMetricsRegistry('orders');
  const directory = options.customers ?? NO_CUSTOMER_DIRECTORY;
  const orders = new OrderBook(db, log, directory, options.stock ?? NO_STOCK_COMMITTER);
  const customerLinks = new CustomerLinks(db, directory, log, options.customerLinks);
  customerLinks.start();
  const orderEvents = new OrderEventRelay(db, log, options.relay);
  await orderEvents.start();
  const deps = { db, orders, orderEvents, log };
  const context = (principal?: Principal) => createOrdersContext(deps, principal);
  const server = await createSubgraphServer({
    name: 'orders',
    schema: ordersSchema(),
    log,
    gatewaySecret: options.gatewaySecret,
    apiKeys: options.apiKeys,
    metrics: { registry, authenticate: apiKeyCheck(options.apiKeys) },
    context: (_headers, principal) => createOrdersContext(deps, principal),
    readiness: async () => {
      await db.query('SELECT 1');
    },
    onClose: async () => {
      await customerLinks.stop();
      await orderEvents.stop();
      if (ownsDatabase) await db.close();
    },
  });
  return { db, orders, orderEvents, customerLinks, server, metrics: registry, context, close: () => server.close() };
}
