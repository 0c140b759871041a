import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { Logger as HiveLogger } from '@graphql-hive/logger';
import useMeshPrometheus, { createCounter, createHistogram } from '@graphql-mesh/plugin-prometheus';
import { getOperationAST, type ExecutionResult } from 'graphql';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { Logger } from '../../kit/logger.ts';
import { boundedLabel, METRICS_PATH, scrapeMetrics, type CredentialCheck } from '../../kit/metrics.ts';

export interface GatewayMetricsOptions {
  /** This gateway's registry (kit/metrics.ts `createMetricsRegistry`), never prom-client's global one. */
  registry: Registry;
  /**
   * Checks a scraper's credential (the identity plugin's `authenticate`: API keys and tokens);
   * the principal needs `metrics:read`. Unset: every scrape is refused.
   */
  authenticate: CredentialCheck | undefined;
  /** The GraphQL path whose requests are counted. */
  graphqlPath: string;
  /**
   * Distinct operation names kept as label values; later new names are counted as `other`, and
   * requests without a (well-formed) name as `anonymous`. Clients choose names, so the bound
   * keeps the number of series from growing with whatever they send.
   * @default DEFAULT_MAX_OPERATION_NAMES (200)
   */
  maxOperationNames?: number;
  log: Logger;
}

export const DEFAULT_MAX_OPERATION_NAMES = 200;

type OperationType = 'query' | 'mutation' | 'subscription' | 'unknown';

interface Observed {
  started: number;
  name?: string | undefined;
  type?: OperationType;
}

/**
 * Prometheus metrics at the gateway, in its own registry:
 * - `ponte_gateway_requests_total` and `ponte_gateway_request_duration_seconds` by operation
 *   (bounded), type and outcome (`ok`, `partial`: data with errors, `error`), and
 *   `ponte_gateway_request_errors_total` by error code; over HTTP from the request's arrival to
 *   its result, over graphql-ws per operation;
 * - `ponte_gateway_subscriptions_open` and `ponte_gateway_subscriptions_started_total`;
 * - the Hive runtime's own Prometheus plugin (`@graphql-mesh/plugin-prometheus`, on the same
 *   registry): subgraph call latency and errors by subgraph, outgoing fetch latency, and the
 *   parse, validate and execute phases. Its operation-name labels are left out: ours are bounded.
 * Also serves `GET /metrics`, to callers whose credential carries `metrics:read`.
 */
export function useGatewayMetrics(options: GatewayMetricsOptions): GatewayPlugin[] {
  const { registry } = options;
  const operationLabel = boundedLabel({ max: options.maxOperationNames ?? DEFAULT_MAX_OPERATION_NAMES, missing: 'anonymous', overflow: 'other' });
  const codeLabel = boundedLabel({ max: 100, missing: 'UNKNOWN', overflow: 'OTHER', pattern: /^[A-Z][A-Z0-9_]{0,63}$/ });
  const requests = new Counter({ name: 'ponte_gateway_requests_total', help: 'GraphQL requests by operation name (bounded), type and outcome (ok, partial: data with errors, error).', labelNames: ['operation', 'type', 'outcome'], registers: [registry] });
  const duration = new Histogram({
    name: 'ponte_gateway_request_duration_seconds',
    help: 'Seconds from a GraphQL request reaching the gateway to its result (a subscription: to its start), by operation, type and outcome.',
    labelNames: ['operation', 'type', 'outcome'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const errors = new Counter({ name: 'ponte_gateway_request_errors_total', help: "Errors in GraphQL results, by extensions.code (UNAUTHENTICATED, FORBIDDEN, RATE_LIMITED, ...).", labelNames: ['code'], registers: [registry] });
  const subscriptionsOpen = new Gauge({ name: 'ponte_gateway_subscriptions_open', help: 'Subscriptions streaming now (graphql-ws and SSE).', registers: [registry] });
  const subscriptionsStarted = new Counter({ name: 'ponte_gateway_subscriptions_started_total', help: 'Subscriptions that started streaming.', registers: [registry] });
  subscriptionsOpen.set(0);

  /** HTTP requests to the GraphQL path, from their arrival. */
  const http = new WeakMap<Request, Observed>();

  const record = (observed: Observed, result: unknown) => {
    const outcome = outcomeOf(result);
    const labels = { operation: operationLabel(observed.name), type: observed.type ?? 'unknown', outcome };
    requests.inc(labels);
    duration.observe(labels, (performance.now() - observed.started) / 1000);
    if (!Array.isArray(result) && !isAsyncIterable(result)) {
      for (const error of (result as ExecutionResult | undefined)?.errors ?? []) errors.inc({ code: codeLabel(String(error.extensions?.['code'] ?? 'INTERNAL_SERVER_ERROR')) });
    }
  };

  const ponte: GatewayPlugin = {
    onRequest({ request, url, endResponse, fetchAPI }) {
      if (url.pathname === METRICS_PATH) {
        if (request.method !== 'GET' && request.method !== 'HEAD') {
          endResponse(new fetchAPI.Response(JSON.stringify({ error: { code: 'METHOD_NOT_ALLOWED', message: `${METRICS_PATH} answers GET only` } }), { status: 405, headers: { 'content-type': 'application/json; charset=utf-8', allow: 'GET' } }));
          return;
        }
        return scrapeMetrics(request.headers, { registry, authenticate: options.authenticate, log: options.log }).then((answer) => {
          endResponse(new fetchAPI.Response(request.method === 'HEAD' ? null : answer.body, { status: answer.status, headers: answer.headers }));
        });
      }
      if (url.pathname === options.graphqlPath) http.set(request, { started: performance.now() });
      return undefined;
    },
    onParams({ request, params }) {
      const observed = http.get(request);
      if (!observed) return;
      observed.name = params.operationName ?? /^\s*(?:query|mutation|subscription)\s+([_A-Za-z][_0-9A-Za-z]*)/.exec(params.query ?? '')?.[1];
      observed.type = (/^\s*(query|mutation|subscription)\b/.exec(params.query ?? '')?.[1] as OperationType | undefined) ?? (params.query?.trim().startsWith('{') ? 'query' : undefined);
    },
    onExecute({ args }) {
      const operation = getOperationAST(args.document, args.operationName);
      const request = (args.contextValue as { request?: Request } | undefined)?.request;
      const observed = request ? http.get(request) : undefined;
      if (observed) {
        // Parsed now: the document's own name and type are the truth.
        observed.name = operation?.name?.value ?? observed.name;
        observed.type = (operation?.operation as OperationType | undefined) ?? observed.type;
        return undefined;
      }
      // graphql-ws: no HTTP request to time; the operation is timed from its execution.
      const ws: Observed = { started: performance.now(), name: operation?.name?.value ?? args.operationName ?? undefined, type: (operation?.operation as OperationType | undefined) ?? 'unknown' };
      return {
        onExecuteDone({ result }) {
          record(ws, result);
        },
      };
    },
    onSubscribe({ args }) {
      const operation = getOperationAST(args.document, args.operationName);
      const request = (args.contextValue as { request?: Request } | undefined)?.request;
      const started: Observed = { started: performance.now(), name: operation?.name?.value ?? args.operationName ?? undefined, type: 'subscription' };
      return {
        onSubscribeResult({ result }) {
          // Over HTTP (SSE) the result passes onResultProcess, which records it.
          if (!(request && http.has(request))) record(started, result);
          if (!isAsyncIterable(result)) return undefined;
          subscriptionsOpen.inc();
          subscriptionsStarted.inc();
          let open = true;
          return {
            onEnd() {
              if (!open) return;
              open = false;
              subscriptionsOpen.dec();
            },
          };
        },
      };
    },
    // Every HTTP result passes here, including those refused before execution (credentials,
    // limits, validation) and those answered from the response cache.
    onResultProcess({ request, result }) {
      const observed = http.get(request);
      if (!observed) return;
      http.delete(request);
      record(Array.isArray(result) ? { ...observed, name: 'batched' } : observed, result);
    },
  };

  // The runtime's plugin: subgraph calls and outgoing fetches, labelled without operation names.
  type SubgraphLabels = { subgraphName: string; executionRequest: { operationType?: string } };
  const runtime = useMeshPrometheus({
    registry,
    endpoint: false,
    log: new HiveLogger({ level: 'error', writers: [{ write: (_level, attrs, message) => options.log.error({ ...(attrs as object | null) }, message ?? 'prometheus plugin') }] }),
    labels: { operationName: false, operationType: true, path: false, phase: true },
    metrics: {
      graphql_gateway_subgraph_execute_duration: createHistogram({
        registry,
        histogram: { name: 'graphql_gateway_subgraph_execute_duration', help: 'Seconds spent on one call to a subgraph (queries and mutations; a subscription: until it ends), by subgraph and operation type.', labelNames: ['subgraphName', 'operationType'] },
        fillLabelsFn: ({ subgraphName, executionRequest }: SubgraphLabels) => ({ subgraphName, operationType: executionRequest.operationType ?? 'query' }),
      }) as never,
      graphql_gateway_subgraph_execute_errors: createCounter({
        registry,
        counter: { name: 'graphql_gateway_subgraph_execute_errors', help: 'Errors in subgraph answers, by subgraph and operation type.', labelNames: ['subgraphName', 'operationType'] },
        fillLabelsFn: ({ subgraphName, executionRequest }: SubgraphLabels) => ({ subgraphName, operationType: executionRequest.operationType ?? 'query' }),
      }) as never,
      graphql_gateway_fetch_duration: true,
      graphql_envelop_phase_parse: true,
      graphql_envelop_phase_validate: true,
      graphql_envelop_phase_context: true,
      graphql_envelop_phase_execute: true,
      graphql_envelop_phase_subscribe: true,
      // Ours above carry bounded operation names and the outcome; these would repeat them unbounded.
      graphql_envelop_request: false,
      graphql_envelop_request_duration: false,
      graphql_envelop_request_time_summary: false,
      graphql_envelop_error_result: false,
      graphql_envelop_deprecated_field: false,
      graphql_envelop_schema_change: false,
      graphql_envelop_execute_resolver: false,
      graphql_yoga_http_duration: false,
    },
  }) as unknown as GatewayPlugin;

  return [ponte, runtime];
}

function outcomeOf(result: unknown): 'ok' | 'partial' | 'error' {
  if (isAsyncIterable(result)) return 'ok';
  const results = (Array.isArray(result) ? result : [result]) as Array<ExecutionResult | undefined>;
  if (results.every((one) => !one?.errors?.length)) return 'ok';
  return results.some((one) => one?.data && Object.values(one.data).some((value) => value !== null)) ? 'partial' : 'error';
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}
