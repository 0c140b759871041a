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
import { createSubgraphServer, type SubgraphServer } from '../../kit/subgraph-server.ts';
import { createInsightsContext, type InsightsContext } from './context.ts';
import { keepProductCostsFresh, refreshProductCosts, type CostSource } from './costs.ts';
import { csvReports, csvRoutes } from './csv.ts';
import { DEFAULT_LEAD_TIME_DAYS, type DemandSettings } from './demand.ts';
import type { Resolvers } from './generated/resolvers-types.ts';
import { DEFAULT_TIME_ZONE, recordOrderFact, type IngestOutcome, type OrderFact } from './ingest.ts';
import type { ReportClock } from './reports.ts';
import { OrderFeed } from './order-feed.ts';
import { Query } from './resolvers/query.ts';
import type { ServiceClientOptions } from '../platform-common/service-client.ts';
import { fixedStockSource, type StockSource } from './stock.ts';

export const INSIGHTS_SDL_PATH = fileURLToPath(new URL('../../schema/insights.graphql', import.meta.url));
const MIGRATIONS = fileURLToPath(new URL('./migrations', import.meta.url));
const resolvers: Resolvers = { Query };

export function insightsSchema() {
  return buildSubgraphSchema([{ typeDefs: parse(readFileSync(INSIGHTS_SDL_PATH, 'utf8')), resolvers: resolvers as GraphQLResolverMap<InsightsContext> }]);
}

export interface InsightsSubgraph {
  db: Database;
  server: SubgraphServer;
  metrics: Registry;
  clock: ReportClock;
  /**
   * Records one version of a canonical order (ingest.ts), as the order feed (order-feed.ts) does
   * for each page of changes; for tests without an orders subgraph. Idempotent; an older version
   * than the stored one is ignored.
   */
  recordOrderFact(order: OrderFact): Promise<IngestOutcome>;
  /** Follows the orders subgraph (when `orders` is given): the store's only source of orders outside tests. */
  orderFeed: OrderFeed | undefined;
  /** Resolves once the first catch-up from the watermark was tried (at once without `orders`). */
  ordersCaughtUp: Promise<void>;
  /** Cost prices copied from the catalog (when a cost source is given): resolves after the first refresh. */
  costsRefreshed: Promise<void>;
  /** Copies cost prices from the catalog now (after a seed); resolves to how many SKUs have one. */
  refreshCosts(): Promise<number>;
  context(): InsightsContext;
  close(): Promise<void>;
}

export async function createInsightsSubgraph(options: {
  database: Database | Omit<DatabaseOptions, 'schema'> & { schema?: string };
  log: Logger;
  gatewaySecret?: string | undefined;
  /** Checks the keys of `GET /metrics` scrapers (`metrics:read`). Unset: every scrape is refused. */
  apiKeys?: ApiKeyResolver | undefined;
  /** Stock on hand per SKU × location (the inventory's, `inventoryStockSource`). @default none: no stock anywhere */
  stock?: StockSource;
  /** Cost prices (the catalog's, `catalogCostSource`), copied into the store every `costRefreshMs`. @default none: margins show units without cost */
  costs?: CostSource;
  /** @default 10 minutes */
  costRefreshMs?: number;
  /** The merchant's calendar. @default America/Sao_Paulo */
  timeZone?: string;
  /** @default the system clock */
  now?: () => Date;
  /** Lead times for restock suggestions. @default 14 days for every SKU */
  demand?: Partial<DemandSettings>;
  metrics?: Registry;
  /** The orders subgraph, followed with this service's key (orders:read). @default none: facts are recorded by hand (tests) */
  orders?: ServiceClientOptions & { pollIntervalMs?: number };
}): Promise<InsightsSubgraph> {
  const log = options.log.child({ subgraph: 'insights' });
  const ownsDatabase = !('query' in options.database);
  const db = 'query' in options.database ? options.database : await openDatabase({ schema: 'insights', ...options.database });
  await migrate(db, MIGRATIONS);
  const timeZone = options.timeZone ?? DEFAULT_TIME_ZONE;
  const clock: ReportClock = { timeZone, now: options.now ?? (() => new Date()) };
  const demand: DemandSettings = { leadTimes: options.demand?.leadTimes ?? {}, defaultLeadTimeDays: options.demand?.defaultLeadTimeDays ?? DEFAULT_LEAD_TIME_DAYS };
  const stock = options.stock ?? fixedStockSource([]);
  const context = () => createInsightsContext({ db, clock, demand, stock });
  const costs = options.costs ? keepProductCostsFresh(db, options.costs, log, options.costRefreshMs) : undefined;
  const registry = options.metrics ?? createMetricsRegistry('insights');
  const { pollIntervalMs, ...ordersCall } = options.orders ?? { url: '' };
  const orderFeed = options.orders ? new OrderFeed({ db, log, orders: ordersCall, timeZone, ...(pollIntervalMs ? { pollIntervalMs } : {}) }) : undefined;
  const server = await createSubgraphServer({
    name: 'insights',
    schema: insightsSchema(),
    log,
    gatewaySecret: options.gatewaySecret,
    metrics: { registry, authenticate: apiKeyCheck(options.apiKeys) },
    routes: csvRoutes({ reports: csvReports({ db, clock, stock: { stockOf: (skus) => context().stock.stockOf(skus) }, demand }), log }),
    context: () => context(),
    readiness: async () => {
      await db.query('SELECT 1');
    },
    onClose: async () => {
      costs?.stop();
      await orderFeed?.stop();
      if (ownsDatabase) await db.close();
    },
  });
  const ordersCaughtUp = orderFeed ? orderFeed.start() : Promise.resolve();
  return {
    db,
    server,
    orderFeed,
    ordersCaughtUp,
    metrics: registry,
    clock,
    recordOrderFact: (order) => recordOrderFact(db, order, { timeZone }),
    costsRefreshed: costs?.refreshed ?? Promise.resolve(),
    refreshCosts: async () => (options.costs ? refreshProductCosts(db, options.costs) : 0),
    context,
    close: () => server.close(),
  };
}
