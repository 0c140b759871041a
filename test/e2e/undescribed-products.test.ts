import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql, startPonte, type RunningPonte } from '../support/ponte.ts';

/**
 * A SKU registered in the inventory before the catalog describes it. The catalog used to answer
 * `_entities: [null]` for it, which the Rust planner turned into `nodes: [null, …]` under
 * `[Product!]!` with no error, and the JavaScript planner into `products: null` for the whole page.
 * Now the catalog answers every SKU, `described: false` for an undescribed one, under both planners.
 */
describe.each(['rust', 'javascript'] as const)('registered SKUs the catalog does not describe (%s planner)', (planner) => {
  let ponte: RunningPonte;
  beforeAll(async () => {
    ponte = await startPonte({ planner, responseCache: false });
  });
  afterAll(async () => {
    await ponte?.close();
  });

  it('stay in every list, with no title or price, and say they are undescribed', async () => {
    const registered = await graphql(ponte.gatewayUrl, 'mutation { registerProducts(input: { idempotencyKey: "undescribed-1", skus: ["NOVO-SKU-1", "NOVO-SKU-2"] }) { products { sku title } } }');
    expect(registered.errors).toBeUndefined();
    expect(registered.data).toEqual({ registerProducts: { products: [{ sku: 'NOVO-SKU-1', title: null }, { sku: 'NOVO-SKU-2', title: null }] } });

    const page = await graphql<{ products: { nodes: unknown[] } }>(
      ponte.gatewayUrl,
      '{ products(skus: ["NOVO-SKU-1", "CAM-BASICA-M", "NOVO-SKU-2"]) { nodes { sku described title price { amountInCents } totalAvailable } } }',
    );
    expect(page.errors).toBeUndefined();
    expect(page.data!.products.nodes).toEqual([
      { sku: 'NOVO-SKU-1', described: false, title: null, price: null, totalAvailable: 0 },
      { sku: 'CAM-BASICA-M', described: true, title: 'Camiseta Básica Algodão — M', price: { amountInCents: 5990 }, totalAvailable: expect.any(Number) },
      { sku: 'NOVO-SKU-2', described: false, title: null, price: null, totalAvailable: 0 },
    ]);

    const one = await graphql(ponte.gatewayUrl, '{ product(sku: "NOVO-SKU-1") { sku described title } }');
    expect(one).toEqual({ data: { product: { sku: 'NOVO-SKU-1', described: false, title: null } }, status: 200 });
  });

  it('a SKU neither subgraph knows is still absent, not a stand-in', async () => {
    const result = await graphql(ponte.gatewayUrl, '{ product(sku: "NUNCA-REGISTRADO") { sku title } }');
    expect(result).toEqual({ data: { product: null }, status: 200 });
  });
});
