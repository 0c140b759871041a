import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, graphql, startPonte, type RunningPonte } from '../support/ponte.ts';
import { subscribe } from '../support/subscriptions.ts';

/**
 * The entity cache alone (whole responses not cached), so every read is executed and each of its
 * subgraph fetches is answered from the entity cache when it can be.
 */
let ponte: RunningPonte;
let keys = 0;
const key = (name: string) => `e2e-entity-${name}-${++keys}`;

beforeAll(async () => {
  ponte = await startPonte({ responseCache: { responses: false } });
  await ponte.gateway.responseCache!.ready;
}, 180_000);

afterAll(async () => {
  await ponte?.close();
});

const SKU = 'CAM-BASICA-M';
const PRODUCT_PAGE = `query ProductPage($sku: ID!) { product(sku: $sku) { sku title price { amountInCents } stockLevels { location { id } onHand } } }`;
const LISTING = `query Listing($skus: [ID!]) { products(skus: $skus) { nodes { sku title } } }`;
const entityStats = () => ponte.gateway.responseCache!.stats().entities!;
const onHandAt = (data: { product: { stockLevels: Array<{ location: { id: string }; onHand: number }> } } | undefined, location: string) =>
  data?.product.stockLevels.find((level) => level.location.id === location)?.onHand;

describe('entity cache', () => {
  it('answers a repeated page from cached subgraph answers, the same as the subgraphs do', async () => {
    const first = await graphql(ponte.gatewayUrl, PRODUCT_PAGE, { sku: SKU }, as('storefront'));
    const before = entityStats();
    const second = await graphql(ponte.gatewayUrl, PRODUCT_PAGE, { sku: SKU }, as('storefront'));
    expect(second).toEqual(first);
    expect(first.errors).toBeUndefined();
    // The inventory's root fetch and the catalog's entity.
    expect(entityStats().hits).toBeGreaterThanOrEqual(before.hits + 2);
    expect(entityStats().misses).toBe(before.misses);
  });

  it('shares one product between pages: a listing reuses what a product page fetched, per entity', async () => {
    const other = 'CAM-BASICA-G';
    await graphql(ponte.gatewayUrl, LISTING, { skus: [SKU] }, as('storefront'));
    const before = entityStats();
    const listing = await graphql<{ products: { nodes: Array<{ sku: string; title: string }> } }>(ponte.gatewayUrl, LISTING, { skus: [SKU, other] }, as('storefront'));
    expect(listing.data!.products.nodes.map((node) => node.sku)).toEqual([SKU, other]);
    expect(listing.data!.products.nodes.every((node) => typeof node.title === 'string' && node.title.length > 0)).toBe(true);
    // The catalog's title of SKU was cached by the first listing; only `other`'s was fetched.
    expect(entityStats().hits).toBe(before.hits + 1);
  });

  it("keys entries by what decides the answer: another caller's scopes never share them", async () => {
    await graphql(ponte.gatewayUrl, PRODUCT_PAGE, { sku: SKU }, as('storefront'));
    const before = entityStats();
    const partner = await graphql(ponte.gatewayUrl, PRODUCT_PAGE, { sku: SKU }, as('partnerA'));
    expect(partner.errors).toBeUndefined();
    expect(entityStats().hits).toBe(before.hits);
    expect(entityStats().misses).toBeGreaterThan(before.misses);
  });

  it('shows a write made through the gateway to the writer’s next read', async () => {
    const before = onHandAt((await graphql(ponte.gatewayUrl, PRODUCT_PAGE, { sku: SKU }, as('partnerA'))).data as never, 'loja-rio')!;
    await graphql(ponte.gatewayUrl, PRODUCT_PAGE, { sku: SKU }, as('partnerA'));
    const write = await graphql(ponte.gatewayUrl, `mutation { receiveStock(input: { idempotencyKey: "${key('through')}", sku: "${SKU}", location: "loja-rio", quantity: 4 }) { levels { onHand } } }`, {}, as('partnerA'));
    expect(write.errors).toBeUndefined();
    const after = await graphql(ponte.gatewayUrl, PRODUCT_PAGE, { sku: SKU }, as('partnerA'));
    expect(onHandAt(after.data as never, 'loja-rio')).toBe(before + 4);
  });

  it('drops what a change behind the gateway touched once the stock feed publishes it', async () => {
    const read = async () => onHandAt((await graphql(ponte.gatewayUrl, PRODUCT_PAGE, { sku: SKU }, as('storefront'))).data as never, 'cd-sao-paulo')!;
    const before = await read();
    const hits = entityStats().hits;
    expect(await read()).toBe(before);
    expect(entityStats().hits).toBeGreaterThan(hits);
    const subscription = subscribe(ponte.gatewayUrl, `subscription { stockChanged(skus: ["${SKU}"]) { sku } }`);
    await subscription.started;
    await ponte.inventory.service.receiveStock({ idempotencyKey: key('behind'), sku: SKU, location: 'cd-sao-paulo', quantity: 5 }, { name: 'test' });
    await subscription.next();
    expect(await read()).toBe(before + 5);
    await subscription.close();
  });
});
