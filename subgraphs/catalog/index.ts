import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildSubgraphSchema, type GraphQLResolverMap } from '@apollo/subgraph';
import { parse } from 'graphql';
import { demoProducts } from '../../demo/catalog.ts';
import { openDatabase, type Database, type DatabaseOptions } from '../shared/database.ts';
import type { Logger } from '../shared/logger.ts';
import { migrate } from '../shared/migrate.ts';
import { createSubgraphServer, type SubgraphServer } from '../shared/subgraph-server.ts';
import { createCatalogContext, type CatalogContext } from './context.ts';
import type { Resolvers } from './generated/resolvers-types.ts';
import { Product } from './resolvers/product.ts';
import { Query } from './resolvers/query.ts';

export const CATALOG_SDL_PATH = fileURLToPath(new URL('../../schema/catalog.graphql', import.meta.url));
const MIGRATIONS = fileURLToPath(new URL('./migrations', import.meta.url));
const resolvers: Resolvers = { Query, Product };

export function catalogSchema() {
  return buildSubgraphSchema([{ typeDefs: parse(readFileSync(CATALOG_SDL_PATH, 'utf8')), resolvers: resolvers as GraphQLResolverMap<CatalogContext> }]);
}

export interface CatalogSubgraph {
  db: Database;
  server: SubgraphServer;
  context(): CatalogContext;
  close(): Promise<void>;
}

export async function createCatalogSubgraph(options: {
  database: Database | Omit<DatabaseOptions, 'schema'> & { schema?: string };
  log: Logger;
  gatewaySecret?: string | undefined;
}): Promise<CatalogSubgraph> {
  const log = options.log.child({ subgraph: 'catalog' });
  const ownsDatabase = !('query' in options.database);
  const db = 'query' in options.database ? options.database : await openDatabase({ schema: 'catalog', ...options.database });
  await migrate(db, MIGRATIONS);
  const server = await createSubgraphServer({
    name: 'catalog',
    schema: catalogSchema(),
    log,
    gatewaySecret: options.gatewaySecret,
    context: () => createCatalogContext(db),
    readiness: async () => {
      await db.query('SELECT 1');
    },
    onClose: async () => {
      if (ownsDatabase) await db.close();
    },
  });
  return { db, server, context: () => createCatalogContext(db), close: () => server.close() };
}

/** Loads the demo catalog; existing rows are left as they are. */
export async function seedDemoCatalog(db: Database): Promise<void> {
  await db.query(
    `INSERT INTO catalog_products (sku, parent_sku, title, brand, category, options, price_in_cents)
     SELECT p->>'sku', p->>'parentSku', p->>'title', p->>'brand', p->>'category', p->'options', (p->>'priceCents')::int
       FROM jsonb_array_elements($1::jsonb) AS p
     ON CONFLICT (sku) DO NOTHING`,
    [JSON.stringify(demoProducts)],
  );
}
