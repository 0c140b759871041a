import { InMemorySpanExporter, NodeTracerProvider, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-node';
import { stopTelemetry, useTracerProvider } from '../../kit/telemetry.ts';

/**
 * Records every span of this test process in memory (what a collector would receive), through
 * the same registration a service's main uses. `stop()` turns tracing off again.
 */
export function recordSpans(): { exporter: InMemorySpanExporter; spans(): ReadableSpan[]; stop(): Promise<void> } {
  const exporter = new InMemorySpanExporter();
  const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  useTracerProvider(provider);
  return { exporter, spans: () => exporter.getFinishedSpans(), stop: stopTelemetry };
}

/** The parent span id of a finished span (SDK 2 names it parentSpanContext). */
export function parentOf(span: ReadableSpan): string | undefined {
  return span.parentSpanContext?.spanId;
}
