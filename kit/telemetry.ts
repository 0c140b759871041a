import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Link,
  type Span,
  type TracerProvider,
} from '@opentelemetry/api';

/**
 * OpenTelemetry traces for Ponte. Spans are explicit, around our own hops (HTTP and WebSocket
 * operations in kit/subgraph-server.ts, SQL in kit/database.ts, platform calls, inventory calls,
 * the inbox worker, listing pushes) and the gateway's runtime hooks: Node's ESM loader makes
 * monkey-patching auto-instrumentation unreliable, and explicit spans are ours to test.
 *
 * Off unless the standard `OTEL_*` variables ask for it (see `telemetryConfigFromEnv`); off, no
 * SDK is even loaded, and every helper here runs the work without creating a span.
 */

export { SpanKind, type Span } from '@opentelemetry/api';

/** Statement text kept on a SQL span; never its parameters. @default 500 characters */
export const MAX_STATEMENT_CHARS = 500;
const TRACER = 'ponte';

let enabled = false;
let shutdown: (() => Promise<void>) | undefined;

/** Whether spans are being recorded in this process. */
export function tracingEnabled(): boolean {
  return enabled;
}

export interface TelemetryConfig {
  serviceName: string;
  exporter: 'otlp' | 'console';
  /** The collector's traces URL; undefined leaves the exporter's default (http://localhost:4318/v1/traces). */
  url?: string | undefined;
}

/**
 * What the standard variables ask for: `OTEL_SDK_DISABLED=true` or `OTEL_TRACES_EXPORTER=none`
 * turn traces off; `OTEL_TRACES_EXPORTER=otlp` (or `console`) turns them on; unset, they are on
 * when `OTEL_EXPORTER_OTLP_ENDPOINT` or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` names a collector.
 * `undefined` means off.
 */
export function telemetryConfigFromEnv(service: string, env: NodeJS.ProcessEnv = process.env): TelemetryConfig | undefined {
  if (env['OTEL_SDK_DISABLED']?.trim().toLowerCase() === 'true') return undefined;
  const exporters = (env['OTEL_TRACES_EXPORTER'] ?? '').split(',').map((name) => name.trim().toLowerCase()).filter(Boolean);
  if (exporters.includes('none')) return undefined;
  const exporter = exporters.includes('console') && !exporters.includes('otlp') ? 'console' : 'otlp';
  const endpoint = env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'] || env['OTEL_EXPORTER_OTLP_ENDPOINT'];
  if (exporters.length === 0 && !endpoint) return undefined;
  const url = env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'] || (env['OTEL_EXPORTER_OTLP_ENDPOINT'] ? `${env['OTEL_EXPORTER_OTLP_ENDPOINT'].replace(/\/+$/, '')}/v1/traces` : undefined);
  return { serviceName: env['OTEL_SERVICE_NAME']?.trim() || `ponte-${service}`, exporter, ...(url ? { url } : {}) };
}

/**
 * Starts the SDK for this process when the environment asks for it (each service's main, through
 * kit/run-service.ts). The SDK is imported only then. Resolves to a function that flushes and
 * stops it, for shutdown.
 */
export async function startTelemetry(service: string, env: NodeJS.ProcessEnv = process.env): Promise<() => Promise<void>> {
  const config = telemetryConfigFromEnv(service, env);
  if (!config) return async () => {};
  const [{ NodeTracerProvider, BatchSpanProcessor, ConsoleSpanExporter }, { OTLPTraceExporter }, { defaultResource, detectResources, envDetector, resourceFromAttributes }, { ATTR_SERVICE_NAME }] =
    await Promise.all([
      import('@opentelemetry/sdk-trace-node'),
      import('@opentelemetry/exporter-trace-otlp-http'),
      import('@opentelemetry/resources'),
      import('@opentelemetry/semantic-conventions'),
    ]);
  // The exporter also reads OTEL_EXPORTER_OTLP_HEADERS and _TIMEOUT; the batch processor OTEL_BSP_*.
  const exporter = config.exporter === 'console' ? new ConsoleSpanExporter() : new OTLPTraceExporter(config.url ? { url: config.url } : {});
  const resource = defaultResource()
    .merge(detectResources({ detectors: [envDetector] }))
    .merge(resourceFromAttributes({ [ATTR_SERVICE_NAME]: config.serviceName }));
  const provider = new NodeTracerProvider({ resource, spanProcessors: [new BatchSpanProcessor(exporter)] });
  useTracerProvider(provider);
  return stopTelemetry;
}

/**
 * Registers `provider` as this process's tracer provider, with the W3C trace context propagator
 * and an AsyncLocalStorage context manager (NodeTracerProvider.register). Tests pass one with an
 * in-memory exporter.
 */
export function useTracerProvider(provider: TracerProvider & { register(): void; shutdown(): Promise<void> }): void {
  provider.register();
  enabled = true;
  shutdown = () => provider.shutdown();
}

/** Flushes what is recorded and stops recording. */
export async function stopTelemetry(): Promise<void> {
  const stop = shutdown;
  enabled = false;
  shutdown = undefined;
  await stop?.();
  trace.disable();
  context.disable();
  propagation.disable();
}

const NOOP_SPAN = trace.wrapSpanContext({ traceId: '00000000000000000000000000000000', spanId: '0000000000000000', traceFlags: 0 });

export interface SpanOptions {
  kind?: SpanKind;
  attributes?: Attributes;
  /** Parent context; default the active one. */
  parent?: Context;
  links?: Link[];
}

/**
 * Runs `work` inside a new active span, ended when it settles; a throw marks the span as an
 * error (its type and message: error messages here name ids, never personal data). With
 * tracing off it only runs `work`.
 */
export function withSpan<T>(name: string, options: SpanOptions, work: (span: Span) => Promise<T>): Promise<T> {
  if (!enabled) return work(NOOP_SPAN);
  const tracer = trace.getTracer(TRACER);
  const parent = options.parent ?? context.active();
  return tracer.startActiveSpan(name, { kind: options.kind ?? SpanKind.INTERNAL, attributes: options.attributes, links: options.links }, parent, async (span) => {
    try {
      return await work(span);
    } catch (error) {
      recordFailure(span, error);
      throw error;
    } finally {
      span.end();
    }
  });
}

/** Starts a span that the caller ends (it outlives one function: a request, a hook pair). */
export function startSpan(name: string, options: SpanOptions = {}): Span {
  if (!enabled) return NOOP_SPAN;
  return trace.getTracer(TRACER).startSpan(name, { kind: options.kind ?? SpanKind.INTERNAL, attributes: options.attributes, links: options.links }, options.parent ?? context.active());
}

/** Marks a span failed with the error's kind and message (never its other properties). */
export function recordFailure(span: Span, error: unknown): void {
  if (!span.isRecording()) return;
  const failure = error instanceof Error ? error : new Error(String(error));
  span.recordException({ name: failure.name, message: failure.message });
  span.setStatus({ code: SpanStatusCode.ERROR, message: failure.message.slice(0, 200) });
}

/** Runs `work` with `span` as the active span (for code that started it with startSpan). */
export function withActiveSpan<T>(span: Span, work: () => T): T {
  if (!enabled) return work();
  return context.with(trace.setSpan(context.active(), span), work);
}

/**
 * Runs `work` outside any trace: a background loop started from a request (a worker nudged by a
 * webhook, a relay woken by NOTIFY) must not file its own work under that request.
 */
export function detached<T>(work: () => T): T {
  return enabled ? context.with(ROOT_CONTEXT, work) : work();
}

/** The W3C `traceparent` of the active span, to store beside work done later (inbox, outbox). */
export function currentTraceparent(): string | undefined {
  if (!enabled) return undefined;
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier['traceparent'];
}

/** Adds the active span's `traceparent` (and `tracestate`) to outgoing headers. */
export function traceHeaders(headers: Record<string, string> = {}): Record<string, string> {
  if (enabled) propagation.inject(context.active(), headers);
  return headers;
}

/** The context a received `traceparent` continues; the root context when there is none. */
export function contextFromTraceparent(traceparent: string | null | undefined, tracestate?: string | null): Context {
  if (!enabled || !traceparent) return ROOT_CONTEXT;
  return propagation.extract(ROOT_CONTEXT, { traceparent, ...(tracestate ? { tracestate } : {}) });
}

/** The context incoming headers carry (`traceparent`/`tracestate`). */
export function contextFromHeaders(get: (name: string) => string | null | undefined): Context {
  return contextFromTraceparent(get('traceparent'), get('tracestate'));
}

/** A span link to the work a stored `traceparent` belongs to; undefined when there is none. */
export function linkFromTraceparent(traceparent: string | null | undefined): Link | undefined {
  if (!enabled || !traceparent) return undefined;
  const spanContext = trace.getSpanContext(contextFromTraceparent(traceparent));
  return spanContext && trace.isSpanContextValid(spanContext) ? { context: spanContext } : undefined;
}

/** Trace and span id of the active span, for log lines; empty when none is recording. */
export function activeTraceIds(): { traceId: string; spanId: string } | undefined {
  if (!enabled) return undefined;
  const spanContext = trace.getSpanContext(context.active());
  if (!spanContext || !trace.isSpanContextValid(spanContext)) return undefined;
  return { traceId: spanContext.traceId, spanId: spanContext.spanId };
}

/** A SQL statement as kept on a span: its text, whitespace folded, truncated. Never parameters. */
export function statementForSpan(sql: string): string {
  const folded = sql.replace(/\s+/g, ' ').trim();
  return folded.length > MAX_STATEMENT_CHARS ? `${folded.slice(0, MAX_STATEMENT_CHARS)}…` : folded;
}

/**
 * A client span around one statement or transaction: the statement's text, truncated, and never
 * its parameters (they carry people's and orders' data).
 */
export function traced<T>(schema: string, sql: string | undefined, work: () => Promise<T>): Promise<T> {
  if (!tracingEnabled()) return work();
  const operation = sql === undefined ? 'TRANSACTION' : (/^\s*([A-Za-z]+)/.exec(sql)?.[1] ?? 'SQL').toUpperCase();
  return withSpan(
    `${operation} ${schema}`,
    { kind: SpanKind.CLIENT, attributes: { 'db.system.name': 'postgresql', 'db.namespace': schema, 'db.operation.name': operation, ...(sql === undefined ? {} : { 'db.query.text': statementForSpan(sql) }) } },
    work,
  );
}
