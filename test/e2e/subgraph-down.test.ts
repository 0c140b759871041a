import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeSupergraph, ponteSubgraphs } from '../../gateway/compose.ts';
import { createPonteGateway, type PonteGateway } from '../../gateway/index.ts';
import { createLogger } from '../../kit/logger.ts';
import { useIdentity } from '../../gateway/plugins/use-identity.ts';
import { graphql, startPonte, TEST_GATEWAY_SECRET, testApiKeys, type RunningPonte } from '../support/ponte.ts';
import { subscribe } from '../support/subscriptions.ts';

/**
 * Ponte's full supergraph with every platform subgraph out: Shopify frozen (it accepts the
 * request and never answers, as a SIGSTOPped process does), the others dead. Storefront reads
 * and partner writes, which only need the inventory and the catalog, must answer cleanly —
 * cached or not — and a platform's fields come back null with PLATFORM_UNAVAILABLE.
 */
const NOWHERE = 'http://127.0.0.1:9/graphql';
const SUBGRAPH_TIMEOUT_MS = 1_000;
let ponte: RunningPonte;
let gateway: PonteGateway;
let gatewayUrl: string;
let frozenRequests = 0;
const held: ServerResponse[] = [];
const frozen = createServer((_request, response) => {
  frozenRequests++;
  held.push(response);
});

beforeAll(async () => {
  ponte = await startPonte({ responseCache: false });
  await new Promise<void>((resolve) => frozen.listen(0, '127.0.0.1', resolve));
  const FROZEN = `http://127.0.0.1:${(frozen.address() as AddressInfo).port}/graphql`;
  const supergraphSdl = composeSupergraph(
    ponteSubgraphs({ INVENTORY_URL: ponte.inventoryUrl, CATALOG_URL: ponte.catalogUrl, ACCESS_URL: NOWHERE, CUSTOMERS_URL: NOWHERE, SHOPIFY_URL: FROZEN, WOOCOMMERCE_URL: NOWHERE, MERCADOLIVRE_URL: NOWHERE, AMAZON_URL: NOWHERE }),
  );
  const log = createLogger('test');
  gateway = createPonteGateway({
    supergraphSdl,
    log,
    subgraphSecret: TEST_GATEWAY_SECRET,
    identity: useIdentity({ apiKeys: testApiKeys, log }),
    subgraphTimeoutMs: SUBGRAPH_TIMEOUT_MS,
    circuitBreaker: { volumeThreshold: 3, errorThresholdPercentage: 50, resetTimeoutMs: 60_000 },
  });
  gatewayUrl = await gateway.listen(0, '127.0.0.1');
  await gateway.responseCache?.ready;
});
afterAll(async () => {
  for (const response of held) response.destroy();
  frozen.closeAllConnections();
  await new Promise((resolve) => frozen.close(resolve));
  await gateway?.close();
  await ponte?.close();
});

describe('with every platform subgraph down', () => {
  it('answers storefront reads and partner writes without errors, and the cache stays fresh', async () => {
    const read = () => graphql<{ product: { title: string; totalAvailable: number } }>(gatewayUrl, '{ product(sku: "LIV-RECEITAS") { title totalAvailable } }');
    const first = await read();
    expect(first.errors).toBeUndefined();
    await read();
    const write = await graphql(gatewayUrl, 'mutation { receiveStock(input: { idempotencyKey: "down-1", sku: "LIV-RECEITAS", location: "loja-rio", quantity: 4 }) { levels { onHand } } }');
    expect(write.errors).toBeUndefined();
    const after = await read();
    expect(after.errors).toBeUndefined();
    expect(after.data!.product.totalAvailable).toBe(first.data!.product.totalAvailable + 4);
  });

  it('answers a dead platform field as null with PLATFORM_UNAVAILABLE, and the rest of the answer', async () => {
    const result = await graphql<{ product: Record<string, unknown> }>(gatewayUrl, '{ product(sku: "LIV-RECEITAS") { sku totalAvailable wooCommerceListing { status } } }');
    expect(result.status).toBe(200);
    expect(result.data!.product).toMatchObject({ sku: 'LIV-RECEITAS', totalAvailable: expect.any(Number), wooCommerceListing: null });
    expect(result.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'PLATFORM_UNAVAILABLE', subgraph: 'woocommerce' }) })]);
  });

  it('gives up on a frozen platform after the subgraph timeout, with PLATFORM_UNAVAILABLE, and the rest of the answer', async () => {
    const result = await graphql<{ product: Record<string, unknown> }>(gatewayUrl, '{ product(sku: "LIV-RECEITAS") { sku title shopifyListing { status } } }');
    expect(result.data!.product).toMatchObject({ sku: 'LIV-RECEITAS', title: expect.any(String), shopifyListing: null });
    expect(result.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'PLATFORM_UNAVAILABLE', subgraph: 'shopify' }) })]);
  });

  it('stops calling a platform whose circuit opened, and keeps answering without it', async () => {
    for (let attempt = 0; attempt < 3; attempt++) await graphql(gatewayUrl, '{ product(sku: "LIV-RECEITAS") { shopifyListing { status } } }');
    const callsWhenOpen = frozenRequests;
    const result = await graphql<{ product: Record<string, unknown> }>(gatewayUrl, '{ product(sku: "LIV-RECEITAS") { sku shopifyListing { status } } }');
    expect(result.data!.product).toEqual({ sku: 'LIV-RECEITAS', shopifyListing: null });
    expect(result.errors?.[0]?.extensions?.code).toBe('PLATFORM_UNAVAILABLE');
    expect(frozenRequests).toBe(callsWhenOpen);
  });

  it('keeps a subscription open past the subgraph timeout', async () => {
    const subscription = subscribe<{ stockChanged: { sku: string; kind: string } }>(gatewayUrl, 'subscription { stockChanged(skus: ["LIV-RECEITAS"]) { sku kind } }');
    await subscription.started;
    await new Promise((resolve) => setTimeout(resolve, SUBGRAPH_TIMEOUT_MS * 2));
    const write = await graphql(gatewayUrl, 'mutation { receiveStock(input: { idempotencyKey: "down-sub", sku: "LIV-RECEITAS", location: "loja-rio", quantity: 1 }) { replayed } }');
    expect(write.errors).toBeUndefined();
    expect((await subscription.next()).stockChanged).toEqual({ sku: 'LIV-RECEITAS', kind: 'RECEIPT' });
    await subscription.close();
  });
});
