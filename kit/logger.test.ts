import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.ts';

describe('logs carry no personal data', () => {
  it('redacts payload-like fields and logs errors without the properties they carry', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const log = createLogger('test', 'info', sink).child({ component: 'webhooks' });
    const order = { id: 7, email: 'maria.silva@example.com.br', customer: { first_name: 'Maria' }, note: 'CPF 123.456.789-09' };
    log.info({ orderId: 7, payload: order }, 'received');
    log.warn({ message: { body: order } }, 'nested');
    const failure = Object.assign(new Error('Shopify answered 422'), { status: 422, code: 'INVALID', response: { body: order } });
    log.error({ err: failure }, 'failed');
    // A shopper's contact as the customers subgraph handles it (ShopperContact, identifyShopper's input).
    log.info({ contact: { name: 'Maria Silva', cpf: '12345678909' } }, 'contact');
    log.info({ input: { cpf: '12345678909', email: 'maria@example.com' } }, 'input');
    const output = lines.join('');
    expect(output).not.toMatch(/maria|Maria|CPF|123\.456|12345678909/);
    expect(output).toContain('"orderId":7');
    expect(output).toContain('Shopify answered 422');
    expect(output).toContain('"status":422');
  });
});

describe('logs carry the trace', () => {
  it('a line written inside a span carries its trace and span ids; one outside carries none', async () => {
    const { recordSpans } = await import('../test/support/tracing.ts');
    const { withSpan } = await import('./telemetry.ts');
    const recording = recordSpans();
    try {
      const lines: string[] = [];
      const sink = new Writable({
        write(chunk, _encoding, done) {
          lines.push(String(chunk));
          done();
        },
      });
      const log = createLogger('test', 'info', sink);
      const ids = await withSpan('reserve', {}, async (span) => {
        log.info({ orderId: 7 }, 'inside');
        return span.spanContext();
      });
      log.info('outside');
      const [inside, outside] = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(inside).toMatchObject({ traceId: ids.traceId, spanId: ids.spanId, orderId: 7 });
      expect(ids.traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(recording.spans().map((span) => span.spanContext().traceId)).toEqual([ids.traceId]);
      expect(outside).not.toHaveProperty('traceId');
    } finally {
      await recording.stop();
    }
  });
});
