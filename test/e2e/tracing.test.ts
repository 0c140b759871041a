import type { ReadableSpan } from '@opentelemetry/sdk-trace-node';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { as, graphql, startPonte, type RunningPonte } from '../support/ponte.ts';
import { parentOf, recordSpans } from '../support/tracing.ts';

/**
 * One storefront query through the gateway is one trace: the gateway's request span, its call
 * to each subgraph, the subgraphs' request spans and their SQL, all under the trace the caller
 * started (its `traceparent`), linked parent to child.
 */
let ponte: RunningPonte;
let recording: ReturnType<typeof recordSpans>;

beforeAll(async () => {
  recording = recordSpans();
  ponte = await startPonte({ responseCache: false });
}, 240_000);
afterAll(async () => {
  await ponte?.close();
  await recording?.stop();
});

/** Checks that `spans` form one tree under `rootParent` and returns it by span id. */
export function expectOneTree(spans: ReadableSpan[], rootParent: string | undefined): void {
  const ids = new Set(spans.map((span) => span.spanContext().spanId));
  const roots = spans.filter((span) => !ids.has(parentOf(span) ?? ''));
  expect(roots.map((span) => span.name)).toHaveLength(1);
  expect(parentOf(roots[0]!)).toBe(rootParent);
}

describe('traces', () => {
  it('a storefront query is one connected trace across gateway, subgraphs and SQL, with no parameters kept', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const callerSpan = '00f067aa0ba902b7';
    const sku = 'CAM-BASICA-M';
    const result = await graphql<{ product: { title: string; totalAvailable: number } }>(
      ponte.gatewayUrl,
      'query StorefrontProduct($sku: ID!) { product(sku: $sku) { title totalAvailable } }',
      { sku },
      { ...as('storefront'), traceparent: `00-${traceId}-${callerSpan}-01` },
    );
    expect(result.data?.product.title).toBeTruthy();

    const spans = recording.spans().filter((span) => span.spanContext().traceId === traceId);
    expectOneTree(spans, callerSpan);
    const services = new Set(spans.map((span) => span.attributes['ponte.service']).filter(Boolean));
    expect(services).toEqual(new Set(['gateway', 'inventory', 'catalog']));
    expect(spans.some((span) => span.name === 'subgraph inventory')).toBe(true);
    expect(spans.some((span) => span.name === 'subgraph catalog')).toBe(true);
    const sql = spans.filter((span) => span.attributes['db.system.name'] === 'postgresql');
    // On a server, a test database's schemas carry a suffix (`inventory_7bff3cc76e`).
    expect(new Set(sql.map((span) => String(span.attributes['db.namespace']).replace(/_[0-9a-f]{10}$/, '')))).toEqual(new Set(['inventory', 'catalog']));
    // Statement text only: the SKU the caller asked for is a parameter, and no span holds it.
    expect(JSON.stringify(spans.map((span) => span.attributes))).not.toContain(sku);
  });

  it('a subscription through the gateway carries its trace to the subgraph over WebSocket', async () => {
    const client = createClient({ url: ponte.gatewayUrl.replace(/^http/, 'ws'), webSocketImpl: WebSocket, connectionParams: as('internal'), lazy: true });
    const unsubscribe = client.subscribe({ query: 'subscription TracedStockFeed { stockChanged(skus: ["CAM-BASICA-P"]) { sku } }' }, { next: () => {}, error: () => {}, complete: () => {} });
    try {
      let subgraphSide: ReturnType<typeof recording.spans>[number] | undefined;
      for (const deadline = Date.now() + 20_000; !subgraphSide && Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 50))) {
        subgraphSide = recording.spans().find((span) => span.name.startsWith('graphql-ws') && span.attributes['ponte.service'] === 'inventory' && parentOf(span) !== undefined);
      }
      expect(subgraphSide).toBeDefined();
      const gatewaySide = recording.spans().find((span) => span.spanContext().spanId === parentOf(subgraphSide!));
      expect(gatewaySide?.name).toBe('subgraph inventory');
      expect(gatewaySide?.spanContext().traceId).toBe(subgraphSide!.spanContext().traceId);
    } finally {
      unsubscribe();
      await client.dispose();
    }
  });
});
