import { createServer, type IncomingMessage, type Server } from 'node:http';
import { createGatewayRuntime, getGraphQLWSOptions, type GatewayPlugin, type GatewayRuntime } from '@graphql-hive/gateway-runtime';
import { Logger as HiveLogger } from '@graphql-hive/logger';
import { unifiedGraphHandler } from '@graphql-hive/router-runtime';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { closeGracefully, listenOn } from '../kit/graceful-close.ts';
import type { Logger } from '../kit/logger.ts';
import { GATEWAY_SECRET_HEADER } from '../kit/subgraph-server.ts';
import { isProduction } from '../kit/mode.ts';
import { graphiqlOptions, useGraphiQLAssets } from './graphiql.ts';
import { useStockAwareResponseCache, type StockAwareResponseCache } from './plugins/use-stock-aware-response-cache.ts';

/** @default /graphql */
export const GATEWAY_GRAPHQL_PATH = '/graphql';
const ACTOR_HEADER = 'x-ponte-actor';

/**
 * What the platforms say changes without a stock event: their listings (a merchant edits a price
 * in the platform's admin) are cached briefly; order exceptions and sync status, which people
 * watch change, never.
 */
export const PLATFORM_FIELD_TTLS: Record<string, number> = {
  'Product.shopifyListing': 5000,
  'Product.wooCommerceListing': 5000,
  'Product.mercadoLivreListing': 5000,
  'Product.amazonListing': 5000,
  'Query.shopifyOrderExceptions': 0,
  'Query.wooCommerceOrderExceptions': 0,
  'Query.mercadoLivreOrderExceptions': 0,
  'Query.amazonOrderExceptions': 0,
  'Query.shopifyListingSync': 0,
  'Query.wooCommerceListingSync': 0,
  'Query.mercadoLivreListingSync': 0,
  'Query.amazonListingSync': 0,
  // Personal data (a data request's contact): never kept in a cache shared by every caller.
  'Query.shopifyCustomerDataRequests': 0,
};

export interface PonteGatewayOptions {
  /** The composed supergraph SDL. */
  supergraphSdl: string;
  log: Logger;
  /** Sent to every subgraph in `x-ponte-gateway-secret` (HTTP and WebSocket). */
  subgraphSecret?: string | undefined;
  /**
   * Query planner: Hive Router's Rust planner, or the JavaScript stitching planner.
   * @default 'rust'
   */
  planner?: 'rust' | 'javascript';
  /**
   * Response cache for queries, kept fresh by the stock feed of the subgraph named here.
   * `false` turns it off; a supergraph without that subgraph gets no cache.
   * @default { subgraph: 'inventory' }
   */
  responseCache?: false | { subgraph?: string; ttlMs?: number; maxEntries?: number; ttlPerSchemaCoordinate?: Record<string, number> };
  /** More gateway plugins (auth, limits). */
  plugins?: GatewayPlugin[];
  /**
   * GraphiQL, with example operations, served offline at the GraphQL path (`gateway/graphiql.ts`).
   * @default on, except in production mode
   */
  graphiql?: boolean;
}

export interface PonteGateway {
  readonly runtime: GatewayRuntime;
  readonly httpServer: Server;
  readonly responseCache: StockAwareResponseCache | undefined;
  /** Loads the supergraph and waits for the cache's stock feed, then listens; resolves to the GraphQL URL. */
  listen(port?: number, host?: string): Promise<string>;
  close(): Promise<void>;
}

function upgradeHeaders(request: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  return headers;
}

/** The URL a supergraph gives a subgraph, from its `join__Graph` enum. */
export function subgraphUrl(supergraphSdl: string, name: string): string | undefined {
  const pattern = new RegExp(`@join__graph\\(name:\\s*"${name.replace(/[^A-Za-z0-9_-]/g, '')}",\\s*url:\\s*"([^"]+)"\\)`);
  return pattern.exec(supergraphSdl)?.[1];
}

/**
 * Ponte's gateway: Hive Gateway's runtime (it executes federated subscriptions, which
 * @apollo/gateway cannot) over any Federation 2 supergraph, HTTP and graphql-ws on one path.
 */
export function createPonteGateway(options: PonteGatewayOptions): PonteGateway {
  const log = options.log.child({ component: 'gateway' });
  const graphiql = options.graphiql ?? !isProduction();
  const secretHeaders: Array<[string, string]> = options.subgraphSecret ? [[GATEWAY_SECRET_HEADER, options.subgraphSecret]] : [];

  let responseCache: StockAwareResponseCache | undefined;
  if (options.responseCache !== false) {
    const cacheOptions = options.responseCache ?? {};
    const httpUrl = subgraphUrl(options.supergraphSdl, cacheOptions.subgraph ?? 'inventory');
    if (httpUrl) {
      responseCache = useStockAwareResponseCache({
        stockEventsUrl: httpUrl.replace(/^http/, 'ws'),
        headers: Object.fromEntries(secretHeaders),
        ttlMs: cacheOptions.ttlMs,
        maxEntries: cacheOptions.maxEntries,
        ttlPerSchemaCoordinate: { ...PLATFORM_FIELD_TTLS, ...cacheOptions.ttlPerSchemaCoordinate },
        log,
      });
    } else {
      log.info('supergraph has no stock feed subgraph: response cache off');
    }
  }

  const runtime = createGatewayRuntime({
    supergraph: options.supergraphSdl,
    ...(options.planner === 'javascript' ? {} : { unifiedGraphHandler }),
    graphqlEndpoint: GATEWAY_GRAPHQL_PATH,
    healthCheckEndpoint: '/healthcheck',
    readinessCheckEndpoint: '/readiness',
    landingPage: false,
    ...graphiqlOptions(graphiql),
    // The runtime's own logs go out through our JSON logger, like every other line we write.
    logging: new HiveLogger({
      level: log.isLevelEnabled('debug') ? 'debug' : 'info',
      writers: [{ write: (level, attrs, message) => log.child({ component: 'hive-runtime' })[level]({ ...(attrs as object | null) }, message ?? '') }],
    }),
    transportEntries: {
      '*': {
        headers: secretHeaders,
        options: { subscriptions: { kind: 'ws', location: GATEWAY_GRAPHQL_PATH, headers: secretHeaders } },
      },
    },
    propagateHeaders: {
      fromClientToSubgraphs: ({ request }) => {
        const actor = request.headers.get(ACTOR_HEADER);
        return actor ? { [ACTOR_HEADER]: actor } : {};
      },
    },
    plugins: () => [...(graphiql ? [useGraphiQLAssets()] : []), ...(responseCache?.plugins ?? []), ...(options.plugins ?? [])],
  });

  const httpServer = createServer(runtime);
  const wsServer = new WebSocketServer({ server: httpServer, path: GATEWAY_GRAPHQL_PATH });
  const wsCleanup = useServer(
    getGraphQLWSOptions<Record<string, unknown>, { request: IncomingMessage; socket: unknown }>(runtime, (ctx) => ({
      req: ctx.extra.request,
      socket: ctx.extra.socket,
      // Plugins read headers from a Fetch Request, over WebSocket as over HTTP.
      request: new Request(new URL(ctx.extra.request.url ?? GATEWAY_GRAPHQL_PATH, 'http://gateway'), { headers: upgradeHeaders(ctx.extra.request) }),
    })),
    wsServer,
  );

  return {
    runtime,
    httpServer,
    responseCache,
    async listen(port = 0, host = '0.0.0.0') {
      // The runtime loads the supergraph on its first request; a subscription arriving first
      // over WebSocket would fail, so load it now.
      const readiness = await runtime.fetch('http://gateway/readiness');
      if (!readiness.ok) throw new Error(`Gateway not ready: ${readiness.status} ${await readiness.text()}`);
      return listenOn(httpServer, port, host, GATEWAY_GRAPHQL_PATH);
    },
    async close() {
      await closeGracefully(httpServer, wsServer, () => wsCleanup.dispose());
      await responseCache?.dispose();
      await runtime.dispose();
    },
  };
}
