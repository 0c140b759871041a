import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import type { ExecutionRequest, ExecutionResult } from '@graphql-tools/utils';
import { GraphQLError, getOperationAST, OperationTypeNode } from 'graphql';
import CircuitBreaker from 'opossum';
import type { Logger } from '../../kit/logger.ts';

/** A platform subgraph that did not answer: its fields are null, the rest of the answer stands. */
export const PLATFORM_UNAVAILABLE = 'PLATFORM_UNAVAILABLE';
/** Inventory or catalog did not answer. */
export const SUBGRAPH_UNAVAILABLE = 'SUBGRAPH_UNAVAILABLE';

/** The subgraphs Ponte cannot answer without; every other one is a platform. */
export const DEFAULT_CORE_SUBGRAPHS = ['inventory', 'catalog'];
/** Share of failed calls (in the rolling window) that opens a subgraph's circuit. */
export const DEFAULT_ERROR_THRESHOLD_PERCENTAGE = 50;
/** Calls in the window before the share counts, so one early failure does not open it. */
export const DEFAULT_VOLUME_THRESHOLD = 5;
/** How long an open circuit answers at once before one trial call is let through. */
export const DEFAULT_RESET_TIMEOUT_MS = 10_000;
export const DEFAULT_ROLLING_WINDOW_MS = 10_000;

export interface SubgraphIsolationOptions {
  /** @default DEFAULT_CORE_SUBGRAPHS (inventory, catalog) */
  coreSubgraphs?: string[];
  /** @default DEFAULT_ERROR_THRESHOLD_PERCENTAGE (50) */
  errorThresholdPercentage?: number;
  /** @default DEFAULT_VOLUME_THRESHOLD (5) */
  volumeThreshold?: number;
  /** @default DEFAULT_RESET_TIMEOUT_MS (10 s) */
  resetTimeoutMs?: number;
  /** @default DEFAULT_ROLLING_WINDOW_MS (10 s) */
  rollingWindowMs?: number;
  log: Logger;
}

type Executor = (request: ExecutionRequest) => unknown;

/** A call that failed for want of the subgraph (network, timeout, 5xx), not because of the query. */
function isOutage(result: ExecutionResult): boolean {
  if (result.data != null || !result.errors?.length) return false;
  return result.errors.every((error) => {
    const code = (error.extensions as { code?: unknown } | undefined)?.code;
    const status = (error.extensions as { response?: { status?: number } } | undefined)?.response?.status;
    return code === 'SUBREQUEST_HTTP_ERROR' || code === 'DOWNSTREAM_SERVICE_ERROR' || code === 'GATEWAY_TIMEOUT' || code === 'UNEXPECTED_ERROR' || (status !== undefined && status >= 500);
  });
}

class SubgraphOutage extends Error {
  readonly result: ExecutionResult;
  constructor(result: ExecutionResult) {
    super('subgraph outage');
    this.result = result;
  }
}

/**
 * Isolation per subgraph: an opossum circuit breaker (https://nodeshift.dev/opossum/) around each
 * subgraph's executor, outside the runtime's `upstreamTimeout` (the runtime adds its own plugins
 * before ours, so our executor wraps its). A failed, timed-out or short-circuited call answers as a
 * GraphQL error with `PLATFORM_UNAVAILABLE` (or `SUBGRAPH_UNAVAILABLE` for inventory and catalog),
 * never a thrown one, so the planner nulls only that subgraph's fields and keeps the rest.
 * Subscriptions are long-lived and pass through untouched.
 */
export function useSubgraphIsolation(options: SubgraphIsolationOptions): GatewayPlugin & { breakerState(subgraph: string): 'closed' | 'open' | 'half-open' | undefined } {
  const log = options.log.child({ component: 'subgraph-isolation' });
  const core = new Set(options.coreSubgraphs ?? DEFAULT_CORE_SUBGRAPHS);
  const errorThresholdPercentage = options.errorThresholdPercentage ?? DEFAULT_ERROR_THRESHOLD_PERCENTAGE;
  if (!(errorThresholdPercentage > 0 && errorThresholdPercentage <= 100)) throw new Error(`useSubgraphIsolation: errorThresholdPercentage must be in (0, 100], got ${errorThresholdPercentage}`);
  const breakers = new Map<string, CircuitBreaker<[Executor, ExecutionRequest], ExecutionResult>>();

  const breakerFor = (subgraph: string) => {
    let breaker = breakers.get(subgraph);
    if (!breaker) {
      breaker = new CircuitBreaker(
        async (executor: Executor, request: ExecutionRequest) => {
          const result = (await executor(request)) as ExecutionResult;
          // The HTTP executor reports an unreachable subgraph as a result, not a rejection.
          if (isOutage(result)) throw new SubgraphOutage(result);
          return result;
        },
        {
          // The runtime's upstreamTimeout bounds each call (and aborts its fetch).
          timeout: false,
          errorThresholdPercentage,
          volumeThreshold: options.volumeThreshold ?? DEFAULT_VOLUME_THRESHOLD,
          resetTimeout: options.resetTimeoutMs ?? DEFAULT_RESET_TIMEOUT_MS,
          rollingCountTimeout: options.rollingWindowMs ?? DEFAULT_ROLLING_WINDOW_MS,
          name: subgraph,
        },
      );
      breaker.on('open', () => log.warn({ subgraph }, 'circuit open: answering without the subgraph'));
      breaker.on('halfOpen', () => log.info({ subgraph }, 'circuit half-open: trying the subgraph again'));
      breaker.on('close', () => log.info({ subgraph }, 'circuit closed'));
      breakers.set(subgraph, breaker);
    }
    return breaker;
  };

  const unavailable = (subgraph: string, error: unknown): ExecutionResult => {
    const code = core.has(subgraph) ? SUBGRAPH_UNAVAILABLE : PLATFORM_UNAVAILABLE;
    const reason = error instanceof SubgraphOutage ? error.result.errors?.[0]?.message : error instanceof Error ? error.message : String(error);
    log.debug({ subgraph, reason }, 'subgraph unavailable');
    // A plain error, as a subgraph's JSON answer carries it: the planner passes those through
    // with their code, where an Error instance would reach the client masked as "Unexpected error.".
    const answer = { message: `The ${subgraph} subgraph is unavailable; its fields are null.`, extensions: { code, subgraph } };
    return { data: null, errors: [answer as unknown as GraphQLError] };
  };

  return {
    onSubgraphExecute({ subgraphName, executionRequest, executor, setExecutor }) {
      if (getOperationAST(executionRequest.document, executionRequest.operationName)?.operation === OperationTypeNode.SUBSCRIPTION) return;
      const breaker = breakerFor(subgraphName);
      setExecutor((request) => breaker.fire(executor as Executor, request).catch((error: unknown) => unavailable(subgraphName, error)));
    },
    onDispose() {
      for (const breaker of breakers.values()) breaker.shutdown();
    },
    breakerState(subgraph) {
      const breaker = breakers.get(subgraph);
      if (!breaker) return undefined;
      return breaker.opened ? 'open' : breaker.halfOpen ? 'half-open' : 'closed';
    },
  };
}
