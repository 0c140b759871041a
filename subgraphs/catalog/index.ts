import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildSubgraphSchema, type GraphQLResolverMap } from '@apollo/subgraph';
import { parse } from 'graphql';
import { openDatabase, type Database, type DatabaseOptions } from '../../kit/database.ts';
import type { Logger } from '../../kit/logger.ts';
import { migrate } from '../../kit/migrate.ts';
import { createSubgraphServer, type SubgraphServer } from '../../kit/subgraph-server.ts';
import { createCatalogContext, type CatalogContext } from './context.ts';
import type { Resolvers } from './generated/resolvers-types.ts';
import { Product } from './resolvers/product.ts';
import { Query } from './resolvers/query.ts';

import type { Registry } from 'prom-client';
import type { ApiKeyResolver } from '../../kit/identity.ts';
import { apiKeyCheck, createMetricsRegistry } from '../../kit/metrics.ts';

export const CATALOG_SDL_PATH = fileURLToPath(new URL('../../schema/catalog.graphql', import.meta.url));
const MIGRATIONS = fileURLToPath(new URL('./migrations', import.meta.url));
const resolvers: Resolvers = { Query, Product };

export function catalogSchema() {
  return buildSubgraphSchema([{ typeDefs: parse(readFileSync(CATALOG_SDL_PATH, 'utf8')), resolvers: resolvers as GraphQLResolverMap<CatalogContext> }]);
}

export interface CatalogSubgraph {
  db: Database;
  server: SubgraphServer;
  metrics: Registry;
  context(): CatalogContext;
  close(): Promise<void>;
}

export async function createCatalogSubgraph(options: {
  database: Database | Omit<DatabaseOptions, 'schema'> & { schema?: string };
  log: Logger;
  gatewaySecret?: string | undefined;
  /** Checks the keys of `GET /metrics` scrapers (`metrics:read`; kit/api-keys-from-env.ts). Unset: scrapes are refused. */
  apiKeys?: ApiKeyResolver | undefined;
  /** This instance's metrics. @default a new registry (kit/metrics.ts) */
  metrics?: Registry;
}): Promise<CatalogSubgraph> {
  const log = options.log.child({ subgraph: 'catalog' });
  const ownsDatabase = !('query' in options.database);
  const db = 'query' in options.database ? options.database : await openDatabase({ schema: 'catalog', ...options.database });
  await migrate(db, MIGRATIONS);
  const registry = options.metrics ?? createMetricsRegistry('catalog');
  const server = await createSubgraphServer({
    name: 'catalog',
    schema: catalogSchema(),
    log,
    gatewaySecret: options.gatewaySecret,
    metrics: { registry, authenticate: apiKeyCheck(options.apiKeys) },
    context: () => createCatalogContext(db),
    readiness: async () => {
      await db.query('SELECT 1');
    },
    onClose: async () => {
      if (ownsDatabase) await db.close();
    },
  });
  return { db, server, metrics: registry, context: () => createCatalogContext(db), close: () => server.close() };
}
