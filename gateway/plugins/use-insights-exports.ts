import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import type { IncomingMessage } from 'node:http';
import { ErrorCode } from '../../kit/errors.ts';
import { encodePrincipal } from '../../kit/identity.ts';
import type { Logger } from '../../kit/logger.ts';
import { PRINCIPAL_HEADER, type Principal, type Scope } from '../../kit/principal.ts';
import { GATEWAY_SECRET_HEADER } from '../../kit/subgraph-server.ts';
import { traceHeaders } from '../../kit/telemetry.ts';
import type { IdentityPlugin } from './use-identity.ts';
import { RATE_LIMITED, type RateLimit } from './use-rate-limit.ts';
import { SUBGRAPH_UNAVAILABLE } from './use-subgraph-isolation.ts';

/** The scope every export needs, as the insights service checks it again (subgraphs/insights/csv.ts). */
export const INSIGHTS_EXPORT_SCOPE: Scope = 'insights:read';
/** `GET /insights/<report>.csv`: every such path is this route's, answered in JSON whatever it names. */
const EXPORT_PATH = /^\/insights\/([^/]+)\.csv$/;
/** A report's name as the insights service spells them: lower-case words joined by hyphens. */
const REPORT_NAME = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
/** What of the service's answer reaches the caller; framing headers (length, encoding) are the gateway's own. */
const FORWARDED_RESPONSE_HEADERS = ['content-type', 'content-disposition', 'cache-control', 'x-content-type-options'];
const JSON_TYPE = 'application/json; charset=utf-8';

export interface InsightsExportsOptions {
  /** The insights subgraph's URL as the supergraph names it (its /graphql URL); exports are under the same base. */
  insightsUrl: string;
  /** Who is calling: the same credentials as GraphQL (API keys, JWTs). */
  identity: IdentityPlugin;
  /** The per-caller rate limit GraphQL requests count against; each export costs one point. Unset: none. */
  rateLimit?: RateLimit | undefined;
  /** Sent in `x-ponte-gateway-secret`, as on every subgraph call. */
  secret: string | undefined;
  /**
   * How long the service may take to start answering (a bad parameter is refused before the first
   * byte; a long export then streams for as long as it takes).
   */
  timeoutMs: number;
  log: Logger;
}

/**
 * The insights service's CSV exports (`GET /insights/<report>.csv?...`), served at the gateway so
 * that BI tools call one address with the same credentials, rate limit and scopes as GraphQL: the
 * caller is authenticated (401 with `WWW-Authenticate: Bearer`), counted against the limit (429
 * with `Retry-After`), must hold `insights:read` (403), and the request goes on to the service with
 * the gateway secret and the verified principal, as a subgraph call does. The service's answer is
 * streamed through as it comes; its own refusals (400 for a bad parameter) pass unchanged, an
 * unknown report is a 404, an unreachable or failing service a 502 (a 504 when it does not start
 * answering within `timeoutMs`). Every refusal is a JSON `{ error: { code, message } }`.
 */
export function useInsightsExports(options: InsightsExportsOptions): GatewayPlugin {
  if (!options.identity) throw new Error('useInsightsExports needs the identity plugin');
  if (!Number.isInteger(options.timeoutMs) || options.timeoutMs < 1) throw new Error(`useInsightsExports: timeoutMs must be a positive integer, got ${options.timeoutMs}`);
  const base = new URL(options.insightsUrl);
  const servicePath = base.pathname.replace(/\/graphql\/?$/, '');
  const log = options.log.child({ component: 'insights-exports' });

  return {
    onRequest({ url, request, serverContext, endResponse, fetchAPI }) {
      const report = EXPORT_PATH.exec(url.pathname)?.[1];
      if (!report) return;
      const refuse = (status: number, code: string, message: string, headers: Record<string, string> = {}) =>
        endResponse(new fetchAPI.Response(JSON.stringify({ error: { code, message } }), { status, headers: { 'content-type': JSON_TYPE, ...headers } }));
      if (request.method !== 'GET') return refuse(405, 'METHOD_NOT_ALLOWED', `${url.pathname} answers GET only`, { allow: 'GET' });

      return (async () => {
        let principal: Principal | undefined;
        let failure: { status: number; code: string; message: string } | undefined;
        try {
          principal = await options.identity.principalOf({}, request);
        } catch (error) {
          // The identity plugin's refusals carry their code and status (401, or 503 with the key store down).
          const extensions = (error as { extensions?: { code?: unknown; http?: { status?: unknown } } }).extensions;
          const status = typeof extensions?.http?.status === 'number' ? extensions.http.status : 401;
          failure = { status, code: typeof extensions?.code === 'string' ? extensions.code : ErrorCode.UNAUTHENTICATED, message: (error as Error).message };
        }
        // Counted before the credential is judged, as GraphQL requests are: a caller trying keys is
        // counted by its address, and is held to the limit however many it tries.
        const retryAfter = await options.rateLimit?.consume({ principal, req: (serverContext as { req?: IncomingMessage }).req });
        if (retryAfter !== undefined) return refuse(429, RATE_LIMITED, `Too many requests; retry after ${retryAfter} s.`, { 'retry-after': String(retryAfter) });
        if (failure) return refuse(failure.status, failure.code, failure.message, failure.status === 401 ? { 'www-authenticate': 'Bearer' } : {});
        if (!principal) return refuse(401, ErrorCode.UNAUTHENTICATED, `${url.pathname} needs Authorization: Bearer <API key with ${INSIGHTS_EXPORT_SCOPE}>`, { 'www-authenticate': 'Bearer' });
        if (!principal.scopes.includes(INSIGHTS_EXPORT_SCOPE)) return refuse(403, ErrorCode.FORBIDDEN, `${url.pathname} needs the ${INSIGHTS_EXPORT_SCOPE} scope`);

        // Only a report's name goes into the service's URL, never what else a path could carry.
        if (!REPORT_NAME.test(report)) return refuse(404, 'NOT_FOUND', `There is no report "${report}"`);
        const target = new URL(`${servicePath}${url.pathname}${url.search}`, base);
        const headers: Record<string, string> = { accept: 'text/csv', [PRINCIPAL_HEADER]: encodePrincipal(principal), ...traceHeaders() };
        if (options.secret) headers[GATEWAY_SECRET_HEADER] = options.secret;
        // The timeout covers the wait for the answer to start; the caller going away ends the call at any time.
        const slow = new AbortController();
        const timer = setTimeout(() => slow.abort(), options.timeoutMs);
        let upstream: Response;
        try {
          upstream = await fetch(target, { headers, signal: AbortSignal.any([slow.signal, request.signal]) });
        } catch (error) {
          if (request.signal.aborted) return refuse(499, 'CLIENT_CLOSED_REQUEST', 'The caller went away');
          if (slow.signal.aborted) {
            log.error({ report, timeoutMs: options.timeoutMs }, 'insights service did not answer in time');
            return refuse(504, 'GATEWAY_TIMEOUT', `The insights service did not answer within ${options.timeoutMs} ms`);
          }
          log.error({ err: error, report }, 'insights service unreachable');
          return refuse(502, SUBGRAPH_UNAVAILABLE, 'The insights service is unavailable');
        } finally {
          clearTimeout(timer);
        }

        if (upstream.status === 404) {
          await upstream.body?.cancel();
          return refuse(404, 'NOT_FOUND', `There is no report "${report}"`);
        }
        if (upstream.status === 401 || upstream.status >= 500) {
          // 401: the service does not take this gateway's secret, a deployment fault the caller cannot fix.
          log.error({ report, status: upstream.status, body: (await upstream.text().catch(() => '')).slice(0, 500) }, 'insights service failed an export');
          return refuse(502, SUBGRAPH_UNAVAILABLE, 'The insights service could not answer');
        }
        log.debug({ report, caller: principal.id, status: upstream.status }, 'insights export');
        const answered = new fetchAPI.Headers();
        for (const name of FORWARDED_RESPONSE_HEADERS) {
          const value = upstream.headers.get(name);
          if (value !== null) answered.set(name, value);
        }
        return endResponse(new fetchAPI.Response(upstream.body, { status: upstream.status, headers: answered }));
      })();
    },
  };
}
