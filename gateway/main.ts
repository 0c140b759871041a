import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createLogger } from '../kit/logger.ts';
import { isProduction, listenHost } from '../kit/mode.ts';
import { runService } from '../kit/run-service.ts';
import { composeSupergraph, ponteSubgraphs } from './compose.ts';
import { parseCorsOrigins } from './cors.ts';
import { createPonteGateway, subgraphUrl } from './index.ts';
import { gatewaySecretFromEnv } from '../kit/secrets.ts';
import { readPersistedOperations } from './plugins/use-persisted-operations.ts';
import { apiKeyResolverFromEnv } from '../kit/api-keys-from-env.ts';
import { jwtOptionsFromEnv, useIdentity } from './plugins/use-identity.ts';
import { boundAddress } from '../kit/graceful-close.ts';

/**
 * `npm run gateway -- --supergraph <file> --port <n>` serves any composed Federation 2
 * supergraph. Without --supergraph it composes Ponte's own subgraphs (INVENTORY_URL, ACCESS_URL,
 * CATALOG_URL). Environment (README "Limits" lists every limit with its default):
 * - PORT (default 4000), HOST (default 127.0.0.1; `--host` overrides);
 * - PONTE_GATEWAY_SECRET, sent to subgraphs; in production required, at least 32 characters;
 * - NODE_ENV=production or PONTE_MODE=production: introspection, suggestions and GraphiQL off;
 * - PONTE_CORS_ORIGINS: comma-separated browser origins (development also allows localhost);
 * - PONTE_MAX_DEPTH, PONTE_MAX_ALIASES, PONTE_MAX_TOKENS, PONTE_MAX_DIRECTIVES, PONTE_MAX_COST,
 *   PONTE_MAX_MUTATION_FIELDS, PONTE_MAX_BODY_BYTES;
 * - PONTE_RATE_LIMIT (requests per window per caller, `off` to disable), PONTE_RATE_LIMIT_WINDOW_S,
 *   REDIS_URL (shared counters across replicas);
 * - PONTE_MAX_SUBSCRIPTIONS_PER_CONNECTION, PONTE_MAX_SUBSCRIPTIONS_PER_PRINCIPAL;
 * - PONTE_PERSISTED_OPERATIONS: a JSON file of operation hash → document (storefronts may run only these);
 * - PONTE_SUBGRAPH_TIMEOUT_MS;
 * - PONTE_RESPONSE_CACHE=off, PONTE_QUERY_PLANNER=javascript.
 * - ACCESS_URL (the access subgraph, which the audit trail is sent to; default: the supergraph's
 *   `access` subgraph), PONTE_AUDIT=off.
 * - the insights subgraph's URL in the supergraph (INSIGHTS_URL when composed here): its CSV exports
 *   are served at /insights/<report>.csv (plugins/use-insights-exports.ts); no insights, no route.
 * - credentials: `apiKeyResolverFromEnv` (API keys: ACCESS_URL, or PONTE_DEV_API_KEYS in development)
 *   and `jwtOptionsFromEnv` (PONTE_JWT_HS256_SECRET, PONTE_JWT_JWKS_URL, PONTE_JWT_ISSUER, PONTE_JWT_AUDIENCE).

 */
const { values } = parseArgs({
  options: {
    supergraph: { type: 'string' },
    port: { type: 'string' },
    host: { type: 'string' },
  },
});

/** An optional positive integer from the environment; a typo fails the start rather than silently meaning "default". */
function intFromEnv(name: string): number | undefined {
  const raw = process.env[name]?.trim();
  if (!raw) return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return value;
}

const log = createLogger('gateway');
await runService(log, async () => {
  const production = isProduction();
  // In production: required, at least 32 characters, and none of the published ones.
  const secret = gatewaySecretFromEnv();
  const composed = values.supergraph ? undefined : ponteSubgraphs();
  const supergraphSdl = values.supergraph ? readFileSync(values.supergraph, 'utf8') : composeSupergraph(composed!);
  const port = Number(values.port ?? process.env.PORT ?? 4000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`Invalid port: ${values.port ?? process.env.PORT}`);
  const rateLimitOff = process.env.PONTE_RATE_LIMIT?.trim() === 'off';
  const persistedFile = process.env.PONTE_PERSISTED_OPERATIONS?.trim();
  const accessUrl = process.env.ACCESS_URL || subgraphUrl(supergraphSdl, 'access');
  if (process.env.PONTE_AUDIT === 'off') log.warn('PONTE_AUDIT=off: mutations and refused requests are not audited');
  else if (!accessUrl) log.warn('no access subgraph in the supergraph and no ACCESS_URL: audit off');
  const gateway = createPonteGateway({
    supergraphSdl,
    log,
    identity: useIdentity({ apiKeys: apiKeyResolverFromEnv(log), jwt: jwtOptionsFromEnv(), log }),
    subgraphSecret: secret,
    planner: process.env.PONTE_QUERY_PLANNER === 'javascript' ? 'javascript' : 'rust',
    responseCache: process.env.PONTE_RESPONSE_CACHE === 'off' ? false : {},
    production,
    corsOrigins: parseCorsOrigins(process.env.PONTE_CORS_ORIGINS),
    operationLimits: {
      maxDepth: intFromEnv('PONTE_MAX_DEPTH'),
      maxAliases: intFromEnv('PONTE_MAX_ALIASES'),
      maxTokens: intFromEnv('PONTE_MAX_TOKENS'),
      maxDirectives: intFromEnv('PONTE_MAX_DIRECTIVES'),
      maxCost: intFromEnv('PONTE_MAX_COST'),
      maxMutationFields: intFromEnv('PONTE_MAX_MUTATION_FIELDS'),
    },
    maxBodyBytes: intFromEnv('PONTE_MAX_BODY_BYTES'),
    rateLimit: rateLimitOff
      ? false
      : { points: intFromEnv('PONTE_RATE_LIMIT'), windowSeconds: intFromEnv('PONTE_RATE_LIMIT_WINDOW_S'), redisUrl: process.env.REDIS_URL || undefined },
    subscriptionLimits: {
      maxPerConnection: intFromEnv('PONTE_MAX_SUBSCRIPTIONS_PER_CONNECTION'),
      maxPerPrincipal: intFromEnv('PONTE_MAX_SUBSCRIPTIONS_PER_PRINCIPAL'),
    },
    persistedOperations: persistedFile ? { operations: readPersistedOperations(persistedFile) } : undefined,
    subgraphTimeoutMs: intFromEnv('PONTE_SUBGRAPH_TIMEOUT_MS'),
    audit: process.env.PONTE_AUDIT !== 'off' && accessUrl ? { accessUrl } : false,
  });
  const url = await gateway.listen(port, values.host ?? listenHost());
  // Name what is served: the supergraph file, or every subgraph composed and the URL it is called at.
  const supergraph = composed ? { subgraphs: Object.fromEntries(composed.map(({ name, url }) => [name, url])) } : { supergraph: values.supergraph };
  log.info({ url, boundTo: boundAddress(gateway.httpServer), production, ...supergraph }, 'gateway listening');
  return gateway.close;
});
