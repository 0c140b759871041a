import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeSupergraph, ponteSubgraphs } from '../../gateway/compose.ts';
import { createPonteGateway, type PonteGateway } from '../../gateway/index.ts';
import { createLogger } from '../../kit/logger.ts';
import { useIdentity } from '../../gateway/plugins/use-identity.ts';
import { graphql, startPonte, TEST_GATEWAY_SECRET, testApiKeys, type RunningPonte } from '../support/ponte.ts';

/**
 * Ponte's full supergraph with every platform subgraph unreachable: storefront reads and partner
 * writes, which only need the inventory and the catalog, must answer cleanly — cached or not.
 */
const NOWHERE = 'http://127.0.0.1:9/graphql';
let ponte: RunningPonte;
let gateway: PonteGateway;
let gatewayUrl: string;

beforeAll(async () => {
  ponte = await startPonte({ responseCache: false });
  const supergraphSdl = composeSupergraph(
    ponteSubgraphs({ INVENTORY_URL: ponte.inventoryUrl, CATALOG_URL: ponte.catalogUrl, SHOPIFY_URL: NOWHERE, WOOCOMMERCE_URL: NOWHERE, MERCADOLIVRE_URL: NOWHERE, AMAZON_URL: NOWHERE }),
  );
  const log = createLogger('test');
  gateway = createPonteGateway({ supergraphSdl, log, subgraphSecret: TEST_GATEWAY_SECRET, identity: useIdentity({ apiKeys: testApiKeys, log }) });
  gatewayUrl = await gateway.listen(0, '127.0.0.1');
  await gateway.responseCache?.ready;
});
afterAll(async () => {
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

  it('reports the missing platform field with an error, and still answers the rest', async () => {
    const result = await graphql<{ product: { sku: string; shopifyListing: unknown } }>(gatewayUrl, '{ product(sku: "LIV-RECEITAS") { sku totalAvailable shopifyListing { status } } }');
    expect(result.data!.product).toMatchObject({ sku: 'LIV-RECEITAS', shopifyListing: null });
    expect(result.errors?.length).toBeGreaterThan(0);
  });
});
