import { LRUCache } from 'lru-cache';
import { apiKeyHash, type ApiKeyResolver } from './identity.ts';
import type { Principal } from './principal.ts';
import { GATEWAY_SECRET_HEADER } from './subgraph-server.ts';

/** The key store's lookup and its hash are defined with the identity they serve (kit/identity.ts). */
export { apiKeyHash as hashApiKey, type ApiKeyResolver };

/** The access subgraph's route that turns a key's hash into the principal it stands for. */
export const RESOLVE_PRINCIPAL_PATH = '/internal/principals/resolve';
/** The access subgraph's route that takes a batch of audit entries. */
export const AUDIT_PATH = '/internal/audit';

/** Every Ponte API key looks like `ponte_<role>_<43 base64url characters>`. */
export const API_KEY_PATTERN = /^ponte_[a-z]+_[A-Za-z0-9_-]{43}$/;

export interface AccessServiceKeyResolverOptions {
  /** The access subgraph's URL (its /graphql URL or its base URL: only the origin is used). */
  url: string;
  /** The gateway secret, which the resolve route requires. */
  secret: string | undefined;
  /**
   * How long an answer is reused: a revoked key keeps working for at most this long.
   * @default 10_000
   */
  cacheTtlMs?: number;
  /**
   * How long "no such key" is remembered, so a client retrying a bad key does not cost a lookup each time.
   * @default 2_000
   */
  missTtlMs?: number;
  /** @default 10_000 */
  maxEntries?: number;
  /** @default 2_000 */
  timeoutMs?: number;
}

const DEFAULT_CACHE_TTL_MS = 10_000;
const DEFAULT_MISS_TTL_MS = 2_000;
const DEFAULT_MAX_ENTRIES = 10_000;
const DEFAULT_TIMEOUT_MS = 2_000;

interface CachedAnswer {
  principal?: Principal;
}

/**
 * Resolves API keys through the access subgraph, with an LRU cache in front (lru-cache's
 * `fetchMethod` also folds concurrent lookups of one key into one request). The cache is keyed
 * by the key's hash, so plaintext keys are not kept in memory; hits and misses both expire, and a
 * key's entry never outlives the key's own expiry.
 */
export function createAccessServiceKeyResolver(options: AccessServiceKeyResolverOptions): ApiKeyResolver {
  if (!options.url) throw new Error('createAccessServiceKeyResolver needs the access service url');
  const endpoint = new URL(RESOLVE_PRINCIPAL_PATH, options.url).toString();
  const cacheTtlMs = options.cacheTtlMs ?? DEFAULT_CACHE_TTL_MS;
  const missTtlMs = Math.min(options.missTtlMs ?? DEFAULT_MISS_TTL_MS, cacheTtlMs);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (options.secret) headers[GATEWAY_SECRET_HEADER] = options.secret;

  // lru-cache's fetchMethod: https://github.com/isaacs/node-lru-cache#fetchmethod (ttl may be set per entry through `options`).
  const cache = new LRUCache<string, CachedAnswer>({
    max: options.maxEntries ?? DEFAULT_MAX_ENTRIES,
    ttl: cacheTtlMs,
    async fetchMethod(keyHash, _stale, { options: entry, signal }) {
      const response = await fetch(endpoint, {
        method: 'POST',
        headers,
        body: JSON.stringify({ keyHash }),
        signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]),
      });
      if (response.status === 404) {
        await response.body?.cancel();
        entry.ttl = missTtlMs;
        return {};
      }
      if (!response.ok) throw new Error(`access service answered ${response.status} to a key lookup`);
      const answer = (await response.json()) as { principal: Principal; expiresAt?: string | null };
      if (answer.expiresAt) entry.ttl = Math.max(1, Math.min(cacheTtlMs, Date.parse(answer.expiresAt) - Date.now()));
      return { principal: answer.principal };
    },
  });

  return {
    async resolve(apiKey) {
      if (typeof apiKey !== 'string' || !API_KEY_PATTERN.test(apiKey)) return undefined;
      const answer = await cache.fetch(apiKeyHash(apiKey));
      return answer?.principal;
    },
  };
}
