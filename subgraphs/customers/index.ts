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
import type { Sealer } from '../../kit/sealed.ts';
import { createSubgraphServer, type SubgraphServer } from '../../kit/subgraph-server.ts';
import type { BlindIndex } from './blind-index.ts';
import { createCustomersContext, type CustomersContext } from './context.ts';
import type { Resolvers } from './generated/resolvers-types.ts';
import { CustomerProfiles } from './profiles.ts';
import { Customer, CustomerIdentity } from './resolvers/customer.ts';
import { Mutation } from './resolvers/mutation.ts';
import { Query } from './resolvers/query.ts';

export const CUSTOMERS_SDL_PATH = fileURLToPath(new URL('../../schema/customers.graphql', import.meta.url));
const MIGRATIONS = fileURLToPath(new URL('./migrations', import.meta.url));
const resolvers: Resolvers = { Query, Mutation, Customer, CustomerIdentity };

export function customersSchema() {
  return buildSubgraphSchema([{ typeDefs: parse(readFileSync(CUSTOMERS_SDL_PATH, 'utf8')), resolvers: resolvers as GraphQLResolverMap<CustomersContext> }]);
}

export interface CustomersSubgraph {
  db: Database;
  profiles: CustomerProfiles;
  server: SubgraphServer;
  metrics: Registry;
  /** Builds a context as a request from this principal would get (in-process tests). */
  context(principal: Principal | undefined): CustomersContext;
  close(): Promise<void>;
}

export async function createCustomersSubgraph(options: {
  database: Database | Omit<DatabaseOptions, 'schema'> & { schema?: string };
  log: Logger;
  /** Seals every personal value (kit/sealed.ts; PONTE_DATA_KEYS). */
  sealer: Sealer;
  /** Keys the identifiers' digests (PONTE_BLIND_INDEX_KEY). */
  blindIndex: BlindIndex;
  gatewaySecret?: string | undefined;
  /** Resolves service keys (the orders subgraph calling identifyShopper directly) and metrics scrapers' keys. */
  apiKeys?: ApiKeyResolver | undefined;
  /** This instance's metrics. @default a new registry (kit/metrics.ts) */
  metrics?: Registry;
}): Promise<CustomersSubgraph> {
  const log = options.log.child({ subgraph: 'customers' });
  const ownsDatabase = !('query' in options.database);
  const db = 'query' in options.database ? options.database : await openDatabase({ schema: 'customers', ...options.database });
  await migrate(db, MIGRATIONS);
  const profiles = new CustomerProfiles({ db, sealer: options.sealer, blindIndex: options.blindIndex, log });
  // Key rotation: values under an older data key are sealed again under the current one, and a new
  // blind-index key makes every digest again, before the first request.
  await profiles.resealAll();
  await profiles.reindexIfKeyChanged();
  const registry = options.metrics ?? createMetricsRegistry('customers');
  const context = (principal: Principal | undefined) => createCustomersContext({ db, profiles }, principal);
  const server = await createSubgraphServer({
    name: 'customers',
    schema: customersSchema(),
    log,
    gatewaySecret: options.gatewaySecret,
    apiKeys: options.apiKeys,
    metrics: { registry, authenticate: apiKeyCheck(options.apiKeys) },
    context: (_headers, principal) => context(principal),
    readiness: async () => {
      await db.query('SELECT 1');
    },
    onClose: async () => {
      if (ownsDatabase) await db.close();
    },
  });
  return { db, profiles, server, metrics: registry, context, close: () => server.close() };
}
