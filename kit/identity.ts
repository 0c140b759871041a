import { createHash, timingSafeEqual } from 'node:crypto';
import { ROLE_SCOPES, ROLES, type Principal, type Role } from './principal.ts';

/**
 * How an API key becomes a principal. The access subgraph's resolver
 * (`kit/api-key-resolver.ts`, `createAccessServiceKeyResolver`) asks the key store by the key's
 * SHA-256; tests and development use `staticApiKeyResolver`. Resolves to `undefined` for a key
 * that is unknown, revoked or expired; rejects only when the store cannot be asked.
 */
export interface ApiKeyResolver {
  resolve(apiKey: string): Promise<Principal | undefined>;
}

/** The prefix of every Ponte service's principal id: `service:shopify`, `service:gateway`. */
export const SERVICE_PRINCIPAL_PREFIX = 'service:';

/**
 * Hex SHA-256 of an API key: what a key store keeps and looks keys up by. A fast hash is the
 * standard for random API keys (256 bits of entropy leave nothing to brute-force, so the slow
 * password hashes buy nothing and would cost every request); see subgraphs/access/keys.ts.
 */
export function apiKeyHash(apiKey: string): string {
  return createHash('sha256').update(apiKey, 'utf8').digest('hex');
}

/** A principal with its role's scopes, e.g. `principalFor('partner', { id: 'key:3pl', name: '3PL', locations: ['cd-sao-paulo'] })`. */
export function principalFor(role: Role, who: { id: string; name: string; channels?: string[]; locations?: string[] }): Principal {
  return { ...who, role, scopes: [...ROLE_SCOPES[role]] };
}

/** The principal of one of Ponte's own services (a platform subgraph, the gateway's stock feed). */
export function servicePrincipal(service: string, limits: { channels?: string[]; locations?: string[] } = {}): Principal {
  return principalFor('service', { id: `${SERVICE_PRINCIPAL_PREFIX}${service}`, name: service, ...limits });
}

/**
 * API keys held in memory, compared by hash (the plain keys are not kept). For tests and for
 * development, where `npm start` makes one key per role; production uses the access subgraph.
 */
export function staticApiKeyResolver(keys: Record<string, Principal>): ApiKeyResolver {
  const byHash = new Map(Object.entries(keys).map(([key, principal]) => [apiKeyHash(key), principal]));
  return {
    async resolve(apiKey) {
      const principal = byHash.get(apiKeyHash(apiKey));
      return principal ? structuredClone(principal) : undefined;
    },
  };
}

export interface HeaderReader {
  get(name: string): string | null | undefined;
}

/**
 * The caller's credential: `Authorization: Bearer <credential>`, else `x-api-key`. Undefined when
 * neither is sent (an anonymous caller); a malformed Authorization header is returned as given,
 * so that it fails verification instead of passing as anonymous.
 */
export function credentialFrom(headers: HeaderReader): string | undefined {
  const authorization = headers.get('authorization')?.trim();
  if (authorization) return /^bearer\s+/i.test(authorization) ? authorization.replace(/^bearer\s+/i, '').trim() : authorization;
  return headers.get('x-api-key')?.trim() || undefined;
}

/** Three base64url segments, the first a JSON header: a JWS compact serialisation. */
export function looksLikeJwt(credential: string): boolean {
  return /^eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(credential);
}

/**
 * The principal as the gateway sends it in `x-ponte-principal`: JSON, with every non-ASCII
 * character escaped, since header values must be ASCII (a name such as "Loja São Paulo").
 */
export function encodePrincipal(principal: Principal): string {
  return JSON.stringify(principal).replace(/[\u007f-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const stringList = (value: unknown): value is string[] => Array.isArray(value) && value.every((item) => typeof item === 'string');

/** Reads `x-ponte-principal`; undefined when it is missing or not a well-formed principal. */
export function decodePrincipal(header: string | null | undefined): Principal | undefined {
  if (!header) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(header);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const candidate = value as Record<string, unknown>;
  if (typeof candidate['id'] !== 'string' || !candidate['id'] || typeof candidate['name'] !== 'string') return undefined;
  if (!(ROLES as readonly unknown[]).includes(candidate['role']) || !stringList(candidate['scopes'])) return undefined;
  if (candidate['channels'] !== undefined && !stringList(candidate['channels'])) return undefined;
  if (candidate['locations'] !== undefined && !stringList(candidate['locations'])) return undefined;
  return {
    id: candidate['id'],
    name: candidate['name'],
    role: candidate['role'] as Role,
    scopes: candidate['scopes'],
    ...(candidate['channels'] ? { channels: candidate['channels'] as string[] } : {}),
    ...(candidate['locations'] ? { locations: candidate['locations'] as string[] } : {}),
  };
}

/** Constant-time comparison of a shared secret; false for anything that is not a string. */
export function secretMatches(expected: string, given: unknown): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
