import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { graphql, startPonte, type RunningPonte } from '../support/ponte.ts';

let ponte: RunningPonte;
beforeAll(async () => {
  ponte = await startPonte();
});
afterAll(async () => {
  await ponte?.close();
});

describe('gateway', () => {
  it('serves a query across both subgraphs', async () => {
    const result = await graphql(ponte.gatewayUrl, '{ product(sku: "CAM-BASICA-M") { sku title totalAvailable price { amountInCents } } }');
    console.log(JSON.stringify(result));
    expect(result.errors).toBeUndefined();
  });

  it('delivers stockChanged with a field from each subgraph', async () => {
    const client = createClient({ url: ponte.gatewayUrl.replace('http', 'ws'), webSocketImpl: WebSocket });
    const events: unknown[] = [];
    const received = new Promise<void>((resolve, reject) => {
      client.subscribe(
        { query: 'subscription { stockChanged(skus: ["CAM-BASICA-M"]) { sku product { title totalAvailable } level { onHand committed available } channelAvailability { channel { id } quantity } } }' },
        { next: (value) => { events.push(value); resolve(); }, error: reject, complete: () => {} },
      );
    });
    await new Promise((r) => setTimeout(r, 500));
    const mutation = await graphql(ponte.gatewayUrl, 'mutation { receiveStock(input: { idempotencyKey: "e2e-1", sku: "CAM-BASICA-M", location: "cd-sao-paulo", quantity: 5 }) { levels { onHand } } }');
    console.log(JSON.stringify(mutation));
    await received;
    console.log(JSON.stringify(events));
    await client.dispose();
  });
});
