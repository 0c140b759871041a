import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { getOperationAST, OperationTypeNode } from 'graphql';
import {
  contextFromHeaders,
  currentTraceparent,
  recordFailure,
  SpanKind,
  startSpan,
  traceHeaders,
  tracingEnabled,
  withActiveSpan,
  type Span,
} from '../../kit/telemetry.ts';

type MaybePromise<T> = T | Promise<T>;

/** Ends `span` when `result` settles (the runtime's wrapped steps may or may not be async). */
function endWhenSettled(span: Span, result: MaybePromise<void>): MaybePromise<void> {
  if (result && typeof (result as Promise<void>).then === 'function') {
    return (result as Promise<void>).then(
      () => span.end(),
      (error: unknown) => {
        recordFailure(span, error);
        span.end();
        throw error;
      },
    );
  }
  span.end();
  return result;
}

/**
 * Traces at the gateway, through the runtime's own instrumentation hooks: a server span per HTTP
 * request (continuing the caller's `traceparent`), a client span per subgraph call, and the W3C
 * `traceparent` sent on to the subgraph — in the HTTP headers, and for subscriptions (one
 * WebSocket carries many operations) in the subscribe message's `extensions`.
 *
 * Written here rather than with `@graphql-hive/plugin-opentelemetry`: that package brings its own
 * SDK set-up and every Node auto-instrumentation (some 230 packages), while Ponte sets the SDK up
 * once per process in kit/telemetry.ts and needs only these hooks. Nothing here runs with tracing off.
 */
export function useTracing(): GatewayPlugin {
  return {
    instrumentation: {
      request({ request }, wrapped) {
        if (!tracingEnabled()) return wrapped();
        const url = new URL(request.url);
        const span = startSpan(`${request.method} ${url.pathname}`, {
          kind: SpanKind.SERVER,
          parent: contextFromHeaders((name) => request.headers.get(name)),
          attributes: { 'ponte.service': 'gateway', 'http.request.method': request.method, 'url.path': url.pathname },
        });
        return endWhenSettled(span, withActiveSpan(span, wrapped));
      },
      // A subscription over the gateway's WebSocket has no HTTP request: this span is its start.
      subscribe(_payload, wrapped) {
        if (!tracingEnabled()) return wrapped();
        const span = startSpan('graphql subscribe', { kind: SpanKind.SERVER, attributes: { 'ponte.service': 'gateway' } });
        return endWhenSettled(span, withActiveSpan(span, wrapped));
      },
      subgraphExecute({ subgraphName, executionRequest }, wrapped) {
        if (!tracingEnabled()) return wrapped();
        const span = startSpan(`subgraph ${subgraphName}`, {
          kind: SpanKind.CLIENT,
          attributes: { 'ponte.service': 'gateway', 'graphql.subgraph.name': subgraphName, 'graphql.operation.name': executionRequest.operationName ?? '' },
        });
        return endWhenSettled(span, withActiveSpan(span, wrapped));
      },
    },
    onSubgraphExecute({ executionRequest, setExecutionRequest }) {
      if (!tracingEnabled()) return;
      const operation = getOperationAST(executionRequest.document, executionRequest.operationName);
      if (operation?.operation !== OperationTypeNode.SUBSCRIPTION) return;
      const traceparent = currentTraceparent();
      if (traceparent) setExecutionRequest({ ...executionRequest, extensions: { ...executionRequest.extensions, traceparent } });
    },
    onFetch({ options, setOptions }) {
      if (!tracingEnabled()) return;
      const headers = new Headers(options.headers as HeadersInit | undefined);
      for (const [name, value] of Object.entries(traceHeaders())) headers.set(name, value);
      setOptions({ ...options, headers: Object.fromEntries(headers) });
    },
  };
}
