import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { currentTraceparent, startTelemetry, telemetryConfigFromEnv, tracingEnabled, withSpan } from './telemetry.ts';

describe('traces are switched by the standard OTEL_* variables', () => {
  it('off when nothing asks for them, or when disabled', () => {
    expect(telemetryConfigFromEnv('inventory', {})).toBeUndefined();
    expect(telemetryConfigFromEnv('inventory', { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SDK_DISABLED: 'true' })).toBeUndefined();
    expect(telemetryConfigFromEnv('inventory', { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_TRACES_EXPORTER: 'none' })).toBeUndefined();
  });

  it('on with a collector endpoint or an exporter named; the service name defaults to ponte-<service>', () => {
    expect(telemetryConfigFromEnv('inventory', { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toEqual({ serviceName: 'ponte-inventory', exporter: 'otlp', url: 'http://collector:4318/v1/traces' });
    expect(telemetryConfigFromEnv('shopify', { OTEL_TRACES_EXPORTER: 'otlp', OTEL_SERVICE_NAME: 'shop' })).toEqual({ serviceName: 'shop', exporter: 'otlp' });
    expect(telemetryConfigFromEnv('shopify', { OTEL_TRACES_EXPORTER: 'console' })).toEqual({ serviceName: 'ponte-shopify', exporter: 'console' });
  });

  it('off, work runs without spans and nothing is propagated', async () => {
    expect(tracingEnabled()).toBe(false);
    expect(await withSpan('reserve', {}, async () => currentTraceparent())).toBeUndefined();
  });

  it('on, spans reach an OTLP/HTTP collector under the service name, flushed at shutdown', async () => {
    const received: Array<{ path: string | undefined; body: Buffer }> = [];
    const collector = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        received.push({ path: req.url, body: Buffer.concat(chunks) });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    try {
      const endpoint = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
      const stop = await startTelemetry('inventory', { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint });
      const traceparent = await withSpan('reserveStock', {}, async () => currentTraceparent());
      expect(traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
      await stop();
      expect(tracingEnabled()).toBe(false);
      expect(received.map((request) => request.path)).toContain('/v1/traces');
      const sent = Buffer.concat(received.map((request) => request.body)).toString('latin1');
      expect(sent).toContain('ponte-inventory');
      expect(sent).toContain('reserveStock');
    } finally {
      collector.close();
    }
  });
});
