import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildSubgraphSchema, type GraphQLResolverMap } from '@apollo/subgraph';
import { parse } from 'graphql';
import { openDatabase, type Database, type DatabaseOptions } from '../../kit/database.ts';
import type { ApiKeyResolver } from '../../kit/identity.ts';
import type { Logger } from '../../kit/logger.ts';
import type { Principal } from '../../kit/principal.ts';
import { migrate } from '../../kit/migrate.ts';
import { createSubgraphServer, type SubgraphServer } from '../../kit/subgraph-server.ts';
import { createInventoryContext, type InventoryContext } from './context.ts';
import { startHousekeeping } from './housekeeping.ts';
import { StockEventRelay, type StockEventRelayOptions } from './outbox/stock-event-relay.ts';
import { resolvers } from './resolvers/index.ts';
import { InventoryService } from './services/inventory-service.ts';
import { createMetricsRegistry, apiKeyCheck } from '../../kit/metrics.ts';
import { InventoryMetrics } from './metrics.ts';
import type { Registry } from 'prom-client';

export const INVENTORY_SDL_PATH = fileURLToPath(new URL('../../schema/inventory.graphql', import.meta.url));
export const INVENTORY_MIGRATIONS = fileURLToPath(new URL('./migrations', import.meta.url));

export function inventorySchema() {
  return buildSubgraphSchema([{ typeDefs: parse(readFileSync(INVENTORY_SDL_PATH, "utf8")), resolvers: resolvers as GraphQLResolverMap<InventoryContext> }]);
}

export interface InventorySubgraphOptions {
  /** An open database, or how to open one (schema defaults to `inventory`). */
  database: Database | Omit<DatabaseOptions, 'schema'> & { schema?: string };
  log: Logger;
  gatewaySecret?: string | undefined;
  /** Service keys accepted without the gateway secret (the platform subgraphs' own credentials). */
  apiKeys?: ApiKeyResolver | undefined;
  relay?: StockEventRelayOptions;
  /** This instance's metrics (`GET /metrics`, for keys with `metrics:read` through `apiKeys`). @default a new registry */
  metrics?: Registry;
}

export interface InventorySubgraph {
  db: Database;
  service: InventoryService;
  stockEvents: StockEventRelay;
  server: SubgraphServer;
  metrics: Registry;
  /** Builds a context as a request from this principal would get (for in-process tests). */
  context(principal?: Principal): InventoryContext;
  close(): Promise<void>;
}

/** Opens the database, applies migrations, starts the outbox relay and builds the server. */
export async function createInventorySubgraph(options: InventorySubgraphOptions): Promise<InventorySubgraph> {
  const log = options.log.child({ subgraph: 'inventory' });
  const ownsDatabase = !('query' in options.database);
  const db = 'query' in options.database ? options.database : await openDatabase({ schema: 'inventory', ...options.database });
  await migrate(db, INVENTORY_MIGRATIONS);
  const registry = options.metrics ?? createMetricsRegistry('inventory');
  const metrics = new InventoryMetrics(registry, { db, lastPublishedId: () => stockEvents.lastEventId });
  const service = new InventoryService(db, log, metrics);
  const stockEvents = new StockEventRelay(db, log, { ...options.relay, onPublished: (event) => metrics.published(event) });
  await stockEvents.start();
  const stopHousekeeping = startHousekeeping(db, log);
  const deps = { db, inventory: service, stockEvents, log };
  const context = (principal?: Principal) => createInventoryContext(deps, principal);

  const server = await createSubgraphServer({
    name: 'inventory',
    schema: inventorySchema(),
    log,
    gatewaySecret: options.gatewaySecret,
    apiKeys: options.apiKeys,
    metrics: { registry, authenticate: apiKeyCheck(options.apiKeys) },
    context: (_headers, principal) => createInventoryContext(deps, principal),
    readiness: async () => {
      await db.query('SELECT 1');
    },
    onClose: async () => {
      stopHousekeeping();
      await stockEvents.stop();
      if (ownsDatabase) await db.close();
    },
  });
  return { db, service, stockEvents, server, metrics: registry, context, close: () => server.close() };
}
