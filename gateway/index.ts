import { createServer, type IncomingMessage, type Server } from 'node:http';
import { createGatewayRuntime, getGraphQLWSOptions, type GatewayPlugin, type GatewayRuntime } from '@graphql-hive/gateway-runtime';
import { Logger as HiveLogger } from '@graphql-hive/logger';
import { unifiedGraphHandler } from '@graphql-hive/router-runtime';
import { useServer } from 'graphql-ws/use/ws';
import { getOperationAST, OperationTypeNode } from 'graphql';
import { WebSocketServer } from 'ws';
import { closeGracefully, listenOn } from '../kit/graceful-close.ts';
import type { Logger } from '../kit/logger.ts';
import { isProduction, listenHost } from '../kit/mode.ts';
import { GATEWAY_SECRET_HEADER } from '../kit/subgraph-server.ts';
import { corsOptions, type CorsPolicy } from './cors.ts';
import { useOperationLimits, type OperationLimitsOptions } from './plugins/use-operation-limits.ts';
import { usePersistedOperations, type PersistedOperationsOptions } from './plugins/use-persisted-operations.ts';
import { useRateLimit, type RateLimitOptions } from './plugins/use-rate-limit.ts';
import { useRequestErrorCodes } from './plugins/use-request-error-codes.ts';
import { DEFAULT_MAX_BODY_BYTES, useRequestSizeLimit } from './plugins/use-request-size-limit.ts';
import { useSubscriptionLimits, type SubscriptionLimitsOptions } from './plugins/use-subscription-limits.ts';
import { useSubscriptionFanOut, type SubscriptionFanOut, type SubscriptionFanOutOptions } from './plugins/use-subscription-fan-out.ts';
import { useAudit, type Audit, type AuditOptions } from './plugins/use-audit.ts';
import { encodePrincipal } from '../kit/identity.ts';
import { PRINCIPAL_HEADER, type Principal } from '../kit/principal.ts';
import { authorizationOptions } from './authorization.ts';
import type { IdentityPlugin } from './plugins/use-identity.ts';
import { cacheControlTtls, findStockFeed } from './cache-control.ts';
import { graphiqlOptions, useGraphiQLAssets } from './graphiql.ts';
import { useOperatorConsole } from './console.ts';
import { useInsightsExports } from './plugins/use-insights-exports.ts';
import { useStockAwareResponseCache, type StockAwareResponseCache } from './plugins/use-stock-aware-response-cache.ts';
import { useSubgraphIsolation, type SubgraphIsolationOptions } from './plugins/use-subgraph-isolation.ts';
import { useGatewayMetrics } from './plugins/use-metrics.ts';
import { createMetricsRegistry } from '../kit/metrics.ts';
import type { Registry } from 'prom-client';
import { useTracing } from './plugins/use-tracing.ts';
import { coalesceWrites } from './write-coalescing.ts';
import httpTransport from '@graphql-mesh/transport-http';
import { resumableWsTransport, type ResumableSubscriptionsOptions } from './resumable-subscriptions.ts';
import { useStableDocuments } from './plugins/use-stable-documents.ts';

/** @default /graphql */
export const GATEWAY_GRAPHQL_PATH = '/graphql';
/** A platform API call plus its subgraph's own work fits well inside; a frozen subgraph costs no more. */
export const DEFAULT_SUBGRAPH_TIMEOUT_MS = 5_000;

export interface PonteGatewayOptions {
  /** The composed supergraph SDL. */
  supergraphSdl: string;
  log: Logger;
  /**
   * Who is calling (`useIdentity`), and with it authorization: every field's `@requiresScopes` /
   * `@authenticated` from the SDL is enforced before anything executes. `false` serves the graph
   * without either — only for measuring the bare runtime, never for a reachable gateway.
   */
  identity: IdentityPlugin | false;
  /** Sent to every subgraph in `x-ponte-gateway-secret` (HTTP and WebSocket). */
  subgraphSecret?: string | undefined;
  /**
   * Query planner: Hive Router's Rust planner, or the JavaScript stitching planner.
   * @default 'rust'
   */
  planner?: 'rust' | 'javascript';
  /**
   * Response cache for queries, kept fresh by the stock feed (`Subscription.stockChanged { sku }`)
   * of the subgraph named here, or of whichever subgraph offers it. `false` turns it off; a
   * supergraph without the feed gets no cache, and the log says why. Below it, an entity cache
   * keeps subgraph answers per entity (`use-entity-cache.ts`): `entityCache: false` turns it off,
   * `responses: false` keeps it alone.
   * @default the subgraph that offers the feed
   */
  responseCache?: false | { subgraph?: string; ttlMs?: number; maxEntries?: number; ttlPerSchemaCoordinate?: Record<string, number>; maxResultObjects?: number; responses?: boolean; entityCache?: boolean };
  /** More gateway plugins (auth, limits). */
  plugins?: GatewayPlugin[];
  /**
   * Production mode (kit/mode.ts): introspection, "did you mean" suggestions and GraphiQL off.
   * @default isProduction() (NODE_ENV=production or PONTE_MODE=production)
   */
  production?: boolean;
  /**
   * The edge's protections (operation limits, body size, rate limits, subscription limits,
   * persisted operations). `false` exists for the benchmark's "security off" side only.
   * @default true
   */
  security?: boolean;
  /** Depth, aliases, tokens, directives, cost and mutation fields per request (see use-operation-limits.ts). */
  operationLimits?: OperationLimitsOptions;
  /** @default DEFAULT_MAX_BODY_BYTES (2 MiB), answered 413 above it */
  maxBodyBytes?: number;
  /** Per-caller rate limit (see use-rate-limit.ts); `false` turns it off. @default memory, 1,000 requests per 10 s */
  rateLimit?: false | Omit<RateLimitOptions, 'log'>;
  /** @default 20 per connection, 100 per caller (see use-subscription-limits.ts) */
  subscriptionLimits?: SubscriptionLimitsOptions;
  /**
   * Identical subscriptions with the same rights share one upstream subscription and one
   * evaluation per event (see use-subscription-fan-out.ts); `false` gives each its own.
   * @default on, 100 events buffered per subscriber
   */
  subscriptionFanOut?: false | SubscriptionFanOutOptions;
  /**
   * How the gateway's own subscriptions to subgraphs resume after a lost socket (gateway/resumable-subscriptions.ts):
   * attempts before subscribers are told SUBGRAPH_UNAVAILABLE, and the backoff between them.
   */
  subgraphSubscriptions?: Omit<ResumableSubscriptionsOptions, 'log'>;
  /** Allowlist of persisted operations; storefront callers may run only these. @default none (off) */
  persistedOperations?: PersistedOperationsOptions;
  /**
   * Browser origins allowed to call (CORS), never with credentials.
   * @default no origin; plus any localhost origin outside production
   */
  corsOrigins?: string[];
  /**
   * How long the gateway waits for one subgraph call before answering without it (queries and
   * mutations; subscriptions are long-lived and have none).
   * @default DEFAULT_SUBGRAPH_TIMEOUT_MS (5 s)
   */
  subgraphTimeoutMs?: number;
  /** The circuit breaker per subgraph (see use-subgraph-isolation.ts). */
  circuitBreaker?: Omit<SubgraphIsolationOptions, 'log'>;
  /**
   * The audit trail (gateway/plugins/use-audit.ts): every mutation, subscription start and refused
   * request, sent to the access subgraph at `accessUrl` with the gateway secret.
   * @default false
   */
  audit?: false | Omit<AuditOptions, 'log' | 'secret'>;
  /**
   * GraphiQL, with example operations, served offline at the GraphQL path (`gateway/graphiql.ts`).
   * @default on, except in production mode
   */
  graphiql?: boolean;
  /** This gateway's metrics, served at `GET /metrics` to credentials with `metrics:read` (gateway/plugins/use-metrics.ts). @default a new registry */
  metrics?: Registry;
  /**
   * The operator console at `/console` (`gateway/console.ts`): public assets, every datum through
   * the GraphQL API with the operator's key, so it is on in production too.
   * @default true
   */
  console?: boolean;
}

export interface PonteGateway {
  readonly runtime: GatewayRuntime;
  readonly httpServer: Server;
  readonly responseCache: StockAwareResponseCache | undefined;
  readonly audit: Audit | undefined;
  readonly metrics: Registry;
  /** Shared subscriptions (undefined with `subscriptionFanOut: false`). */
  readonly subscriptionFanOut: SubscriptionFanOut | undefined;
  /** Loads the supergraph and waits for the cache's stock feed, then listens on `host` (default `listenHost()`: HOST, else 127.0.0.1); resolves to the GraphQL URL at the address really bound. */
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

function scopeSession(principal: Principal | undefined): string {
  return principal ? `scopes:${[...principal.scopes].sort().join(' ')}` : 'anonymous';
}

/** What a subgraph's answer may depend on about the caller (the principal it is sent). */
function subgraphSession(principal: Principal | undefined): string | null {
  if (!principal) return null;
  return `${scopeSession(principal)};channels:${principal.channels?.join(' ') ?? '*'};locations:${principal.locations?.join(' ') ?? '*'}`;
}

/** The URL a supergraph gives a subgraph, from its `join__Graph` enum. */
export function subgraphUrl(supergraphSdl: string, name: string): string | undefined {
  const pattern = new RegExp(`@join__graph\\(name:\\s*"${name.replace(/[^A-Za-z0-9_-]/g, '')}",\\s*url:\\s*"([^"]+)"\\)`);
  return pattern.exec(supergraphSdl)?.[1];
}

/**
 * Ponte's gateway: Hive Gateway's runtime (it executes federated subscriptions, which
 * @apollo/gateway cannot) over any Federation 2 supergraph, HTTP and graphql-ws on one path.
 * Beside it: `GET /metrics`, the console, and, when the supergraph has an `insights` subgraph,
 * its CSV exports at `GET /insights/<report>.csv` (gateway/plugins/use-insights-exports.ts).
 */
export function createPonteGateway(options: PonteGatewayOptions): PonteGateway {
  const log = options.log.child({ component: 'gateway' });
  const identity = options.identity;
  const graphiql = options.graphiql ?? !(options.production ?? isProduction());
  const secretHeaders: Array<[string, string]> = options.subgraphSecret ? [[GATEWAY_SECRET_HEADER, options.subgraphSecret]] : [];

  const metrics = options.metrics ?? createMetricsRegistry('gateway');
  let responseCache: StockAwareResponseCache | undefined;
  if (options.responseCache !== false) {
    const cacheOptions = options.responseCache ?? {};
    const feed = findStockFeed(options.supergraphSdl, cacheOptions.subgraph);
    if (feed.offered) {
      log.info({ stockFeed: feed.subgraph }, `response cache on: ${feed.why}`);
      responseCache = useStockAwareResponseCache({
        stockEventsUrl: feed.url.replace(/^http/, 'ws'),
        headers: Object.fromEntries(secretHeaders),
        ttlMs: cacheOptions.ttlMs,
        maxEntries: cacheOptions.maxEntries,
        maxResultObjects: cacheOptions.maxResultObjects,
        metrics,
        // Lifetimes of what no stock event covers come from `@cacheControl` in the subgraphs' SDL.
        ttlPerSchemaCoordinate: { ...cacheControlTtls(options.supergraphSdl), ...cacheOptions.ttlPerSchemaCoordinate },
        // Authorization depends on the scopes alone, so callers with the same scopes (every
        // storefront key) share entries, and no one is served what their scopes would refuse.
        ...(identity ? { session: async (request: Request, context: Record<string, unknown>) => scopeSession(await identity.principalOf(context, request)) } : {}),
        // Subgraphs also see the channels and locations a caller is held to: they key the entries too.
        ...(cacheOptions.responses === false ? { responses: false } : {}),
        ...(cacheOptions.entityCache === false
          ? { entityCache: false as const }
          : identity
            ? { entityCache: { sessionOf: (context: Record<string, unknown> | undefined) => subgraphSession(context?.principal as Principal | undefined) } }
            : {}),
        log,
      });
    } else {
      log.info(`response cache off: ${feed.why}`);
    }
  }

  const production = options.production ?? isProduction();
  const security = options.security !== false;
  const subgraphTimeoutMs = options.subgraphTimeoutMs ?? DEFAULT_SUBGRAPH_TIMEOUT_MS;
  if (!Number.isInteger(subgraphTimeoutMs) || subgraphTimeoutMs < 1) throw new Error(`subgraphTimeoutMs must be a positive integer, got ${subgraphTimeoutMs}`);
  const cors: CorsPolicy = { origins: options.corsOrigins ?? [], allowLocalhost: !production };
  // Order matters. Body size before anything reads the body; caller-given plugins (identity) before
  // what counts per caller; rate limit and persisted operations at onParams, before the response
  // cache can answer; operation limits at parse and validation, so nothing they refuse is executed,
  // cached or walked by the cache; isolation around each subgraph call.
  const rateLimit = security && options.rateLimit !== false ? useRateLimit({ ...options.rateLimit, log }) : undefined;
  const edgePlugins: GatewayPlugin[] = [useRequestErrorCodes(), ...(security ? [useRequestSizeLimit({ maxBodyBytes: options.maxBodyBytes })] : [])];
  // Everything here is "security": `security: false` (the bench's side-by-side) turns it all off.
  // Identity comes before this list (it sets the principal at onParams), so the rate limit, the
  // allowlist and the subscription limits count per caller.
  const limitPlugins: GatewayPlugin[] = security
    ? [
        ...(rateLimit ? [rateLimit] : []),
        ...(options.persistedOperations ? [usePersistedOperations(options.persistedOperations)] : []),
        useOperationLimits({ blockFieldSuggestions: production, ...options.operationLimits }),
        useSubscriptionLimits(options.subscriptionLimits),
      ]
    : [];
  const isolation = useSubgraphIsolation({ ...options.circuitBreaker, log });

  const subscriptionFanOut = options.subscriptionFanOut === false ? undefined : useSubscriptionFanOut({ log, ...options.subscriptionFanOut });
  const audit = options.audit ? useAudit({ ...options.audit, secret: options.subgraphSecret, log }) : undefined;

  // The insights service's CSV exports, behind the same identity, limit and scopes as GraphQL:
  // served when the supergraph has an `insights` subgraph (and callers can be identified).
  const insightsUrl = subgraphUrl(options.supergraphSdl, 'insights');
  const insightsExports = identity && insightsUrl
    ? useInsightsExports({ insightsUrl, identity, rateLimit, secret: options.subgraphSecret, timeoutMs: subgraphTimeoutMs, log })
    : undefined;
  if (insightsUrl && !identity) log.warn('insights CSV exports off: the gateway runs without identity');

  const metricsPlugins = useGatewayMetrics({ registry: metrics, authenticate: identity ? (credential) => identity.authenticate(credential) : undefined, graphqlPath: GATEWAY_GRAPHQL_PATH, log });

  const runtime = createGatewayRuntime({
    supergraph: options.supergraphSdl,
    ...(options.planner === 'javascript' ? {} : { unifiedGraphHandler }),
    graphqlEndpoint: GATEWAY_GRAPHQL_PATH,
    healthCheckEndpoint: '/healthcheck',
    readinessCheckEndpoint: '/readiness',
    landingPage: false,
    ...graphiqlOptions(graphiql),
    ...(production ? { disableIntrospection: {} } : {}),
    upstreamTimeout: ({ executionRequest }) =>
      executionRequest && getOperationAST(executionRequest.document, executionRequest.operationName)?.operation === OperationTypeNode.SUBSCRIPTION ? undefined : subgraphTimeoutMs,
    // The runtime's own logs go out through our JSON logger, like every other line we write.
    logging: new HiveLogger({
      level: log.isLevelEnabled('debug') ? 'debug' : 'info',
      writers: [{ write: (level, attrs, message) => log.child({ component: 'hive-runtime' })[level]({ ...(attrs as object | null) }, message ?? '') }],
    }),
    // Queries and mutations over Hive's HTTP transport; subscriptions over ours, which resumes a
    // subscription after a lost socket instead of sending it again from "now" (resumable-subscriptions.ts).
    transports: { http: httpTransport, ws: resumableWsTransport({ ...options.subgraphSubscriptions, log }) },
    transportEntries: {
      '*': {
        headers: secretHeaders,
        options: { subscriptions: { kind: 'ws', location: GATEWAY_GRAPHQL_PATH, headers: secretHeaders } },
      },
    },
    ...(identity ? { genericAuth: authorizationOptions(identity) } : {}),
    // Only the principal the gateway verified goes to the subgraphs: a client's own
    // `x-ponte-principal` or `x-ponte-actor` never leaves the gateway.
    propagateHeaders: {
      fromClientToSubgraphs: ({ context }) => {
        const principal = (context as { principal?: Principal } | undefined)?.principal;
        return principal ? { [PRINCIPAL_HEADER]: encodePrincipal(principal) } : {};
      },
    },
    cors: corsOptions(cors),
    // Tracing outermost, so its spans hold everything; metrics next: `GET /metrics` is answered
    // before anything else, and every request is timed from its arrival. The audit plugin next, so
    // that it sees what the others refuse; identity before everything that counts or decides per caller.
    // The console and the CSV exports answer their own paths at onRequest, before the GraphQL edge.
    plugins: () => [useStableDocuments(), useTracing(), ...metricsPlugins, ...(audit ? [audit.plugin] : []), ...(graphiql ? [useGraphiQLAssets()] : []), ...(options.console !== false ? [useOperatorConsole()] : []), ...(insightsExports ? [insightsExports] : []), ...edgePlugins, ...(identity ? [identity] : []), ...(options.plugins ?? []), ...limitPlugins, ...(subscriptionFanOut ? [subscriptionFanOut] : []), isolation, ...(responseCache?.plugins ?? [])],
  });

  const httpServer = createServer(runtime);
  // A graphql-ws message is held to the same size as an HTTP body (ws's own default is 100 MiB).
  const wsServer = new WebSocketServer({ server: httpServer, path: GATEWAY_GRAPHQL_PATH, ...(security ? { maxPayload: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES } : {}) });
  // Plugins read headers from a Fetch Request, over WebSocket as over HTTP.
  wsServer.on('connection', coalesceWrites);
  const fetchRequest = (request: IncomingMessage) => new Request(new URL(request.url ?? GATEWAY_GRAPHQL_PATH, 'http://gateway'), { headers: upgradeHeaders(request) });
  const wsCleanup = useServer(
    {
      ...getGraphQLWSOptions<Record<string, unknown>, { request: IncomingMessage; socket: unknown }>(runtime, (ctx) => ({
        req: ctx.extra.request,
        socket: ctx.extra.socket,
        request: fetchRequest(ctx.extra.request),
      })),
      // A credential that does not verify closes the socket at once (4403 Forbidden) instead of
      // failing each subscription; an anonymous connection stays open, and every field refuses it.
      ...(identity
        ? {
            onConnect: (ctx: { connectionParams?: Readonly<Record<string, unknown>> | undefined; extra: { request: IncomingMessage } }) =>
              identity.principalOf({ connectionParams: ctx.connectionParams }, fetchRequest(ctx.extra.request)).then(() => true, () => false),
          }
        : {}),
    },
    wsServer,
  );

  return {
    runtime,
    httpServer,
    responseCache,
    audit,
    metrics,
    subscriptionFanOut,
    async listen(port = 0, host = listenHost()) {
      // The runtime loads the supergraph on its first request; a subscription arriving first
      // over WebSocket would fail, so load it now.
      const readiness = await runtime.fetch('http://gateway/readiness');
      await rateLimit?.ready;
      if (!readiness.ok) throw new Error(`Gateway not ready: ${readiness.status} ${await readiness.text()}`);
      return listenOn(httpServer, port, host, GATEWAY_GRAPHQL_PATH);
    },
    async close() {
      await closeGracefully(httpServer, wsServer, () => wsCleanup.dispose());
      await responseCache?.dispose();
      // What was recorded until the last request finished is sent before the gateway goes.
      await audit?.dispose();
      await runtime.dispose();
    },
  };
}
