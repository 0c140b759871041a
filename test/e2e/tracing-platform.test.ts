import { SpanKind } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SandboxControlClient } from '../../sandboxes/common/control-client.ts';
import { startCommerce, type RunningCommerce } from '../support/all-platforms.ts';
import { parentOf, recordSpans } from '../support/tracing.ts';

/**
 * A platform order is one trace from the webhook that delivered it to the reservation in the
 * canonical inventory, although the inbox applies it later, in a worker: the inbox row keeps the
 * webhook's traceparent and the worker continues it.
 */
let commerce: RunningCommerce;
let recording: ReturnType<typeof recordSpans>;

beforeAll(async () => {
  recording = recordSpans();
  commerce = await startCommerce();
}, 240_000);
afterAll(async () => {
  await commerce?.close();
  await recording?.stop();
});

async function spanNamed(name: string, accept: (span: ReadableSpan) => boolean = () => true, timeoutMs = 30_000): Promise<ReadableSpan> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; ) {
    const found = recording.spans().find((span) => span.name === name && accept(span));
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no span named ${name}`);
}

/** The service's schema, without the suffix a test database on a server gives it (`inventory_7bff3cc76e`). */
const schemaOf = (span: ReadableSpan) => String(span.attributes['db.namespace']).replace(/_[0-9a-f]{10}$/, '');

describe('traces of a platform order', () => {
  it('webhook → inbox → inventory reservation is one connected trace', async () => {
    const shopify = new SandboxControlClient(commerce.sandboxes.urls.shopify);
    const before = Date.now();
    // A shopper in São Paulo: routed to the São Paulo warehouse, which feeds every other channel,
    // so each of them gets a push to trace. A SKU with fewer units than Mercado Livre's cap of 50,
    // so that the sale moves every channel's quantity (one that stays put is not written again).
    await shopify.placeOrder([{ sku: 'XIC-PORCELANA', quantity: 1 }], { shopper: 0 });
    const reserve = await spanNamed('inventory Reserve', (span) => span.startTime[0] * 1000 >= before - 1000);
    const traceId = reserve.spanContext().traceId;
    // The worker's span ends after the reservation's (it marks the message processed), so wait for it.
    await spanNamed('inbox orders/create', (span) => span.spanContext().traceId === traceId);
    const spans = recording.spans().filter((span) => span.spanContext().traceId === traceId);

    const ids = new Set(spans.map((span) => span.spanContext().spanId));
    const roots = spans.filter((span) => !ids.has(parentOf(span) ?? ''));
    expect(roots.map((span) => span.name)).toEqual(['POST /webhooks/shopify']);
    expect(roots[0]!.attributes['ponte.service']).toBe('shopify');

    // The worker's span is the webhook's child, though it ran after the webhook was answered.
    const inbox = spans.find((span) => span.name === 'inbox orders/create')!;
    expect(parentOf(inbox)).toBe(roots[0]!.spanContext().spanId);
    // The inventory continued the platform subgraph's call, and wrote the reservation in it.
    const inventoryRequest = spans.find((span) => span.attributes['ponte.service'] === 'inventory')!;
    expect(parentOf(inventoryRequest)).toBe(reserve.spanContext().spanId);
    const sql = spans.filter((span) => span.attributes['db.system.name'] === 'postgresql');
    expect(sql.some((span) => schemaOf(span) === 'inventory' && String(span.attributes['db.query.text']).includes('reservation'))).toBe(true);
    expect(sql.some((span) => schemaOf(span) === 'shopify' && String(span.attributes['db.query.text']).startsWith('INSERT INTO inbox_messages'))).toBe(true);
    // No payload or person in any attribute: the sandbox's buyer never appears.
    expect(JSON.stringify(spans.map((span) => span.attributes))).not.toMatch(/@|"customer"|email/i);

    // The reservation's stock event carries its traceparent through the outbox and the feed: the
    // push to every other platform's listing links to the change that caused it.
    for (const channel of ['woocommerce-br', 'mercado-livre', 'amazon-br']) {
      const push = await spanNamed(`listing push ${channel}`, (span) => span.links.some((link) => link.context.traceId === traceId));
      const link = push.links.find((candidate) => candidate.context.traceId === traceId)!;
      expect(ids.has(link.context.spanId) || recording.spans().some((span) => span.spanContext().spanId === link.context.spanId)).toBe(true);
      expect(push.spanContext().traceId).not.toBe(traceId);
      // The platform call the push made is its child.
      expect(recording.spans().some((span) => parentOf(span) === push.spanContext().spanId && span.kind === SpanKind.CLIENT)).toBe(true);
    }
  });
});
