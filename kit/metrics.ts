import type { IncomingMessage, ServerResponse } from 'node:http';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { ErrorCode } from './errors.ts';
import { credentialFrom, type ApiKeyResolver, type HeaderReader } from './identity.ts';
import type { Logger } from './logger.ts';
import type { Principal, Scope } from './principal.ts';

/** Where every Ponte service serves its metrics, in Prometheus' text format. @default /metrics */
export const METRICS_PATH = '/metrics';
/** The scope a caller of `GET /metrics` needs: operators, admins and the `monitoring` role have it. */
export const METRICS_SCOPE: Scope = 'metrics:read';

/**
 * Every metric Ponte defines is named `ponte_…`; the Hive runtime's own (`graphql_…`) and
 * Node's (`process_…`, `nodejs_…`) keep their usual names.
 */
export const METRIC_PREFIX = 'ponte_';

export interface MetricsRegistryOptions {
  /**
   * Node's process metrics (CPU, memory, event loop lag, GC) in the same registry.
   * @default true
   */
  defaultMetrics?: boolean;
}

/**
 * A prom-client registry for ONE service instance, never the global default: tests run several
 * services in one process, and each must show only its own numbers. Every series it exposes
 * carries `service="<name>"`.
 */
export function createMetricsRegistry(service: string, options: MetricsRegistryOptions = {}): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry });
  return registry;
}

/**
 * A label whose values come from callers (operation names): at most `max` distinct values are
 * kept, in the order first seen; anything after that is `overflow`, and a value that is missing
 * or does not look like a GraphQL name is `missing`. So a client inventing names cannot grow the
 * number of series without bound.
 */
export function boundedLabel(options: { max: number; missing: string; overflow: string; pattern?: RegExp }): (value: string | null | undefined) => string {
  const pattern = options.pattern ?? /^[_A-Za-z][_0-9A-Za-z]{0,63}$/;
  const seen = new Set<string>();
  return (value) => {
    if (!value || !pattern.test(value)) return options.missing;
    if (seen.has(value)) return value;
    if (seen.size >= options.max) return options.overflow;
    seen.add(value);
    return value;
  };
}

/**
 * Turns a credential into the principal it stands for: undefined when it is unknown, revoked or
 * expired; rejects when it cannot be checked (the key store is down).
 */
export type CredentialCheck = (credential: string) => Promise<Principal | undefined>;

export interface MetricsEndpoint {
  registry: Registry;
  /**
   * Who may scrape: a bearer API key (or, at the gateway, a token) whose principal has
   * `metrics:read`. Unset: every scrape is refused (401), as no key can be checked.
   */
  authenticate: CredentialCheck | undefined;
  log: Logger;
}

/** The answer to a scrape: the registry's text, or a refusal with a JSON body carrying a code. */
export interface MetricsAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const refusal = (status: number, code: string, message: string): MetricsAnswer => ({
  status,
  headers: { 'content-type': 'application/json; charset=utf-8', ...(status === 401 ? { 'www-authenticate': 'Bearer' } : {}) },
  body: JSON.stringify({ error: { code, message } }),
});

/** Subgraphs check keys with the same resolver they use for service keys (`kit/api-keys-from-env.ts`). */
export function apiKeyCheck(apiKeys: ApiKeyResolver | undefined): CredentialCheck | undefined {
  return apiKeys ? (credential) => apiKeys.resolve(credential) : undefined;
}

/**
 * `GET /metrics`: 401 `UNAUTHENTICATED` without a credential or with one that does not verify,
 * 403 `FORBIDDEN` for a principal without `metrics:read`, 503 when the key store cannot be asked;
 * otherwise the registry in Prometheus' text format (its collect callbacks run now, so gauges that
 * reflect the database are read at scrape time).
 */
export async function scrapeMetrics(headers: HeaderReader, endpoint: MetricsEndpoint): Promise<MetricsAnswer> {
  const credential = credentialFrom(headers);
  if (!credential) return refusal(401, ErrorCode.UNAUTHENTICATED, `${METRICS_PATH} needs Authorization: Bearer <API key with ${METRICS_SCOPE}>`);
  if (!endpoint.authenticate) return refusal(401, ErrorCode.UNAUTHENTICATED, 'This service has no key store to check the credential against');
  let principal: Principal | undefined;
  try {
    principal = await endpoint.authenticate(credential);
  } catch (error) {
    // Identity's own refusals (a bad token) carry UNAUTHENTICATED; anything else is the store being down.
    const code = (error as { extensions?: { code?: unknown } }).extensions?.code;
    if (code === ErrorCode.UNAUTHENTICATED) return refusal(401, ErrorCode.UNAUTHENTICATED, 'Invalid credential');
    endpoint.log.error({ err: error }, 'cannot check a metrics scraper\'s credential');
    return refusal(503, 'SERVICE_UNAVAILABLE', 'Cannot verify credentials right now');
  }
  if (!principal) return refusal(401, ErrorCode.UNAUTHENTICATED, 'Invalid credential');
  if (!principal.scopes.includes(METRICS_SCOPE)) return refusal(403, ErrorCode.FORBIDDEN, `${METRICS_PATH} needs the ${METRICS_SCOPE} scope (roles monitoring, operator, admin)`);
  try {
    return { status: 200, headers: { 'content-type': endpoint.registry.contentType }, body: await endpoint.registry.metrics() };
  } catch (error) {
    endpoint.log.error({ err: error }, 'metrics collection failed');
    return refusal(500, ErrorCode.INTERNAL_SERVER_ERROR, 'Metrics collection failed');
  }
}

/** `scrapeMetrics` on Node's http server (the subgraphs'). */
export async function serveMetrics(req: IncomingMessage, res: ServerResponse, endpoint: MetricsEndpoint): Promise<void> {
  const answer = req.method === 'GET' || req.method === 'HEAD'
    ? await scrapeMetrics({ get: (name) => { const value = req.headers[name.toLowerCase()]; return Array.isArray(value) ? value[0] : value; } }, endpoint)
    : { ...refusal(405, 'METHOD_NOT_ALLOWED', `${METRICS_PATH} answers GET only`), headers: { 'content-type': 'application/json; charset=utf-8', allow: 'GET' } };
  res.writeHead(answer.status, { ...answer.headers, 'content-length': Buffer.byteLength(answer.body) });
  res.end(req.method === 'HEAD' ? undefined : answer.body);
}

/** Seconds since `start` (a `performance.now()` reading), for histograms. */
export function secondsSince(start: number): number {
  return (performance.now() - start) / 1000;
}
