import { createPonteGateway } from '../../gateway/index.ts';
import { useIdentity } from '../../gateway/plugins/use-identity.ts';
import { principalFor, type ApiKeyResolver } from '../../kit/identity.ts';
import { createLogger } from '../../kit/logger.ts';
import { serveChild, type PonteGatewayStart } from './ipc.ts';

const CACHE_READY_TIMEOUT_MS = 15_000;
/**
 * All the bench's load comes from one address and one caller: a limit this high keeps the rate
 * limiter counting every request (its cost is measured) without ever refusing one.
 */
const BENCH_RATE_LIMIT_POINTS = 1_000_000_000;

/**
 * Every `bench-…` key is an operator of its own (the no-dedup row sends one per connection), so
 * the bench pays for authentication and authorization as production does, minus the key store.
 */
const benchKeys: ApiKeyResolver = {
  resolve: async (key) => (key.startsWith('bench-') ? principalFor('operator', { id: `key:${key}`, name: key }) : undefined),
};

/** Ponte's gateway exactly as production builds it, with the planner and cache the bench asks for. */
serveChild<PonteGatewayStart>(async ({ gatewaySecret, supergraphSdl, planner, responseCache, security, subscriptionFanOut = true, subscriptionsPerConnection }) => {
  const log = createLogger('bench-ponte-gateway');
  const gateway = createPonteGateway({
    supergraphSdl,
    log,
    // "Security off" turns identity and authorization off with the limits, for their cost side by side.
    identity: security ? useIdentity({ apiKeys: benchKeys, log }) : false,
    subgraphSecret: gatewaySecret,
    planner,
    responseCache: responseCache ? {} : false,
    security,
    rateLimit: { points: BENCH_RATE_LIMIT_POINTS },
    subscriptionFanOut: subscriptionFanOut ? {} : false,
    ...(subscriptionsPerConnection ? { subscriptionLimits: { maxPerConnection: subscriptionsPerConnection, maxPerPrincipal: subscriptionsPerConnection } } : {}),
  });
  const url = await gateway.listen(0, '127.0.0.1');
  if (gateway.responseCache) {
    // Until the stock feed is live the cache is off: measuring before that would measure a miss path.
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`response cache's stock feed not live after ${CACHE_READY_TIMEOUT_MS} ms`)), CACHE_READY_TIMEOUT_MS);
    });
    await Promise.race([gateway.responseCache.ready, timeout]).finally(() => clearTimeout(timer));
  }
  if (responseCache && !gateway.responseCache) throw new Error('asked for the response cache but the gateway built none');
  const cache = gateway.responseCache;
  return {
    urls: { gateway: url },
    description: `Ponte gateway (Hive Gateway runtime, ${planner === 'rust' ? 'Rust query planner' : 'JavaScript planner'}), response cache ${cache ? 'ON' : 'OFF'}, security plugins ${security ? 'ON' : 'OFF'}, subscription fan-out ${gateway.subscriptionFanOut ? 'ON' : 'OFF'}`,
    stats: () => ({ ...(cache ? { responseCache: cache.stats() } : {}), ...(gateway.subscriptionFanOut ? { subscriptionFanOut: gateway.subscriptionFanOut.stats() } : {}) }),
    close: () => gateway.close(),
  };
});
