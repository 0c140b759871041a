import { createAccessServiceKeyResolver } from './api-key-resolver.ts';
import { isProduction } from './mode.ts';
import { principalFor, staticApiKeyResolver, type ApiKeyResolver } from './identity.ts';
import type { Logger } from './logger.ts';
import { ROLES, type Principal, type Role } from './principal.ts';

/**
 * The API key resolver a service builds from its environment.
 *
 * - `ACCESS_URL` (with `PONTE_GATEWAY_SECRET`): the access subgraph's key store, asked through
 *   `createAccessServiceKeyResolver` (answers cached for `PONTE_API_KEY_CACHE_MS`, default 10 s: a
 *   revoked key keeps working for at most that long).
 * - `PONTE_DEV_API_KEYS` (development only, refused in production): JSON
 *   `{ "<key>": "<role>" | { "role": …, "name": …, "channels": […], "locations": […] } }`, for
 *   `npm start` and tests that run services as processes.
 * - neither: no API key is accepted (JWTs still are, when configured).
 */
export function apiKeyResolverFromEnv(log: Logger, env: NodeJS.ProcessEnv = process.env): ApiKeyResolver {
  if (env.ACCESS_URL) {
    const cacheTtlMs = env.PONTE_API_KEY_CACHE_MS ? Number(env.PONTE_API_KEY_CACHE_MS) : undefined;
    if (cacheTtlMs !== undefined && !(Number.isInteger(cacheTtlMs) && cacheTtlMs >= 0)) throw new Error(`PONTE_API_KEY_CACHE_MS must be a whole number of milliseconds, got "${env.PONTE_API_KEY_CACHE_MS}"`);
    return createAccessServiceKeyResolver({ url: env.ACCESS_URL, secret: env.PONTE_GATEWAY_SECRET || undefined, ...(cacheTtlMs !== undefined ? { cacheTtlMs } : {}) });
  }
  const devKeys = env.PONTE_DEV_API_KEYS;
  if (devKeys) {
    if (isProduction(env)) throw new Error('PONTE_DEV_API_KEYS is for development; production reads keys from the access service (ACCESS_URL)');
    return staticApiKeyResolver(parseDevKeys(devKeys));
  }
  log.warn('no API key store configured (ACCESS_URL): API keys are refused');
  return staticApiKeyResolver({});
}

function parseDevKeys(json: string): Record<string, Principal> {
  const entries = Object.entries(JSON.parse(json) as Record<string, string | { role: Role; name?: string; channels?: string[]; locations?: string[] }>);
  return Object.fromEntries(
    entries.map(([key, value], index) => {
      const spec = typeof value === 'string' ? { role: value as Role } : value;
      if (!(ROLES as readonly string[]).includes(spec.role)) throw new Error(`PONTE_DEV_API_KEYS: unknown role ${String(spec.role)}`);
      const name = spec.name ?? `dev-${spec.role}`;
      const id = spec.role === 'service' ? `service:${name}` : `key:dev-${index}`;
      return [key, principalFor(spec.role, { id, name, ...(spec.channels ? { channels: spec.channels } : {}), ...(spec.locations ? { locations: spec.locations } : {}) })];
    }),
  );
}
