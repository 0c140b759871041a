import { readFileSync } from 'node:fs';
import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { GraphQLError } from 'graphql';
import { createLocalJWKSet, createRemoteJWKSet, decodeProtectedHeader, errors as joseErrors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { ErrorCode, ERROR_HTTP_STATUS } from '../../kit/errors.ts';
import { credentialFrom, looksLikeJwt, type ApiKeyResolver } from '../../kit/identity.ts';
import type { Logger } from '../../kit/logger.ts';
import { ROLE_SCOPES, ROLES, type Principal, type Role } from '../../kit/principal.ts';

/** JWT verification; any of `hs256Secret`, `jwksUrl`, `jwksFile` turns it on. */
export interface JwtOptions {
  /** Shared secret for HS256 tokens (at least 32 bytes). */
  hs256Secret?: string | undefined;
  /** A JWKS endpoint for RS256/ES256 tokens; keys are fetched and cached by `jose`. */
  jwksUrl?: string | undefined;
  /** A JWKS file for RS256/ES256 tokens, read once at start. */
  jwksFile?: string | undefined;
  /** Required `iss`; unset accepts any issuer. */
  issuer?: string | undefined;
  /** Required `aud`; unset accepts any audience. */
  audience?: string | undefined;
  /** @default 'role' — one of Ponte's roles (storefront, internal, partner, operator, admin) */
  roleClaim?: string | undefined;
  /** @default 'scope' — space-separated or a list; narrows the role's scopes, never widens them */
  scopeClaim?: string | undefined;
}

export interface IdentityOptions {
  /** Looks API keys up (the access subgraph in production, a static list in tests). */
  apiKeys: ApiKeyResolver;
  jwt?: JwtOptions | undefined;
  log: Logger;
}

export interface IdentityPlugin extends GatewayPlugin<{ principal?: Principal }> {
  /**
   * The principal of the request (or subscription) this context belongs to: undefined for an
   * anonymous caller; rejects with UNAUTHENTICATED (HTTP 401) for a credential that does not
   * verify. Memoised per request, so every hook that asks gets the same answer.
   */
  principalOf(context: Record<string, unknown>, request?: Request): Promise<Principal | undefined>;
  /** Verifies one credential (an API key or a JWT). */
  authenticate(credential: string): Promise<Principal>;
}

const DEFAULT_ROLE_CLAIM = 'role';
const DEFAULT_SCOPE_CLAIM = 'scope';
const MIN_HS256_SECRET_BYTES = 32;
/** Asymmetric algorithms accepted with a JWKS; `none` and HMAC with a public key are never accepted. */
const JWKS_ALGORITHMS = ['RS256', 'ES256'];

export function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.UNAUTHENTICATED, http: { status: ERROR_HTTP_STATUS.UNAUTHENTICATED } } });
}

/** Environment → JWT options: PONTE_JWT_HS256_SECRET, PONTE_JWT_JWKS_URL, PONTE_JWT_JWKS_FILE, PONTE_JWT_ISSUER, PONTE_JWT_AUDIENCE, PONTE_JWT_ROLE_CLAIM, PONTE_JWT_SCOPE_CLAIM. */
export function jwtOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): JwtOptions | undefined {
  const options: JwtOptions = {
    hs256Secret: env.PONTE_JWT_HS256_SECRET || undefined,
    jwksUrl: env.PONTE_JWT_JWKS_URL || undefined,
    jwksFile: env.PONTE_JWT_JWKS_FILE || undefined,
    issuer: env.PONTE_JWT_ISSUER || undefined,
    audience: env.PONTE_JWT_AUDIENCE || undefined,
    roleClaim: env.PONTE_JWT_ROLE_CLAIM || undefined,
    scopeClaim: env.PONTE_JWT_SCOPE_CLAIM || undefined,
  };
  return options.hs256Secret || options.jwksUrl || options.jwksFile ? options : undefined;
}

/**
 * Who is calling. Reads `Authorization: Bearer <credential>` (or `x-api-key`) over HTTP and
 * `connectionParams.authorization` over graphql-ws; a JWT is verified with `jose`
 * (https://github.com/panva/jose: `jwtVerify`, `createRemoteJWKSet`, `createLocalJWKSet`),
 * anything else is an API key looked up through `apiKeys`. Puts `principal` on the context; no
 * credential leaves it undefined (anonymous — authorization refuses every field), a bad one
 * answers 401 UNAUTHENTICATED before anything executes.
 */
export function useIdentity(options: IdentityOptions): IdentityPlugin {
  if (!options.apiKeys) throw new Error('useIdentity needs an API key resolver');
  const log = options.log.child({ component: 'identity' });
  const verifyJwt = options.jwt ? jwtVerifier(options.jwt) : undefined;
  const principals = new WeakMap<object, Promise<Principal | undefined>>();

  async function authenticate(credential: string): Promise<Principal> {
    if (looksLikeJwt(credential)) {
      if (!verifyJwt) throw unauthenticated('JWTs are not accepted here: no issuer is configured');
      return verifyJwt(credential, log);
    }
    let principal: Principal | undefined;
    try {
      principal = await options.apiKeys.resolve(credential);
    } catch (error) {
      // The key store is down: refuse rather than let the caller through as anonymous.
      log.error({ err: error }, 'API key store unreachable');
      throw new GraphQLError('Cannot verify credentials right now', { extensions: { code: 'SERVICE_UNAVAILABLE', http: { status: 503 } } });
    }
    if (!principal) {
      log.debug('unknown or revoked API key');
      throw unauthenticated('Invalid API key');
    }
    return principal;
  }

  function credentialOf(context: Record<string, unknown>, request: Request | undefined): string | undefined {
    // graphql-ws: what the client sent in its connection_init payload (browsers cannot set headers).
    const params = context['connectionParams'] as Record<string, unknown> | undefined;
    if (params && typeof params === 'object') {
      const param = (name: string) => (typeof params[name] === 'string' ? (params[name] as string) : undefined);
      const fromParams = credentialFrom({ get: (name) => param(name) ?? param(name === 'authorization' ? 'Authorization' : 'apiKey') });
      if (fromParams) return fromParams;
    }
    return request ? credentialFrom(request.headers) : undefined;
  }

  function principalOf(context: Record<string, unknown>, request = context['request'] as Request | undefined): Promise<Principal | undefined> {
    // Memoised per request object only: a context object may be shared (a server context), a
    // request never is.
    let principal = request ? principals.get(request) : undefined;
    if (!principal) {
      const credential = credentialOf(context, request);
      principal = credential === undefined ? Promise.resolve(undefined) : authenticate(credential);
      if (request) principals.set(request, principal);
    }
    return principal;
  }

  return {
    principalOf,
    authenticate,
    // Early, so that what counts per caller at onParams (rate limit, allowlist) sees the principal.
    // A bad credential is refused below, when the context is built; here it only stays unset.
    async onParams({ context, request }) {
      const principal = await principalOf(context as unknown as Record<string, unknown>, request).catch(() => undefined);
      if (principal) (context as { principal?: Principal }).principal = principal;
    },
    onContextBuilding({ context, extendContext }) {
      return principalOf(context as Record<string, unknown>).then((principal) => {
        if (principal) extendContext({ principal });
      });
    },
  };
}

function jwtVerifier(options: JwtOptions): (token: string, log: Logger) => Promise<Principal> {
  const roleClaim = options.roleClaim ?? DEFAULT_ROLE_CLAIM;
  const scopeClaim = options.scopeClaim ?? DEFAULT_SCOPE_CLAIM;
  const hmacKey = options.hs256Secret ? new TextEncoder().encode(options.hs256Secret) : undefined;
  if (hmacKey && hmacKey.length < MIN_HS256_SECRET_BYTES) throw new Error(`PONTE_JWT_HS256_SECRET must be at least ${MIN_HS256_SECRET_BYTES} bytes`);
  let jwks: JWTVerifyGetKey | undefined;
  if (options.jwksUrl) jwks = createRemoteJWKSet(new URL(options.jwksUrl));
  else if (options.jwksFile) jwks = createLocalJWKSet(JSON.parse(readFileSync(options.jwksFile, 'utf8')));
  const claims = { ...(options.issuer ? { issuer: options.issuer } : {}), ...(options.audience ? { audience: options.audience } : {}) };

  return async (token, log) => {
    let payload: JWTPayload;
    try {
      const { alg } = decodeProtectedHeader(token);
      if (alg === 'HS256' && hmacKey) payload = (await jwtVerify(token, hmacKey, { ...claims, algorithms: ['HS256'] })).payload;
      else if (jwks && alg && JWKS_ALGORITHMS.includes(alg)) payload = (await jwtVerify(token, jwks, { ...claims, algorithms: JWKS_ALGORITHMS })).payload;
      else throw new joseErrors.JOSEAlgNotAllowed(`alg ${String(alg)} is not accepted`);
    } catch (error) {
      log.debug({ reason: (error as Error).message }, 'JWT refused');
      throw unauthenticated(error instanceof joseErrors.JWTExpired ? 'Token expired' : 'Invalid token');
    }
    const role = payload[roleClaim];
    // `service` is for Ponte's own services, which hold API keys; a token cannot claim it.
    if (typeof role !== 'string' || !(ROLES as readonly string[]).includes(role) || role === 'service') throw unauthenticated(`Token has no valid "${roleClaim}" claim`);
    if (!payload.sub) throw unauthenticated('Token has no "sub" claim');
    const roleScopes = ROLE_SCOPES[role as Role];
    const claimed = payload[scopeClaim];
    const asked = typeof claimed === 'string' ? claimed.split(' ').filter(Boolean) : Array.isArray(claimed) ? claimed.map(String) : undefined;
    const list = (value: unknown) => (Array.isArray(value) && value.every((item) => typeof item === 'string') ? { value: value as string[] } : undefined);
    const channels = list(payload['channels']);
    const locations = list(payload['locations']);
    return {
      id: `jwt:${payload.iss ?? ''}:${payload.sub}`,
      name: typeof payload['name'] === 'string' ? payload['name'] : payload.sub,
      role: role as Role,
      scopes: asked ? roleScopes.filter((scope) => asked.includes(scope)) : [...roleScopes],
      ...(channels ? { channels: channels.value } : {}),
      ...(locations ? { locations: locations.value } : {}),
    };
  };
}
