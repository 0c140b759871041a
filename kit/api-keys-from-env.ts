import { isProduction } from './mode.ts';
import { principalFor, staticApiKeyResolver, type ApiKeyResolver } from './identity.ts';
import type { Logger } from './logger.ts';
import { ROLES, type Principal, type Role } from './principal.ts';

/**
 * The API key resolver a service builds from its environment.
 *
 * - `ACCESS_URL` (with `PONTE_GATEWAY_SECRET`): the access subgraph's key store — TODO(access):
 *   once `kit/api-key-resolver.ts` lands, return
 *   `createAccessServiceKeyResolver({ url: ACCESS_URL, secret: PONTE_GATEWAY_SECRET, cacheTtlMs })` here.
 * - `PONTE_DEV_API_KEYS` (development only, refused in production): JSON
 *   `{ "<key>": "<role>" | { "role": …, "name": …, "channels": […], "locations": […] } }`, for
 *   `npm start` and tests that run services as processes.
 * - neither: no API key is accepted (JWTs still are, when configured).
 */
export function apiKeyResolverFromEnv(log: Logger, env: NodeJS.ProcessEnv = process.env): ApiKeyResolver {
  if (env.ACCESS_URL) {
    // TODO(access): createAccessServiceKeyResolver from kit/api-key-resolver.ts.
    throw new Error('ACCESS_URL is set but this build has no access-service key resolver yet (kit/api-key-resolver.ts)');
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
