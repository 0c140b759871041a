import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GATEWAY_SECRET_HEADER } from '../../kit/subgraph-server.ts';
import { as, graphql, startPonte, TEST_GATEWAY_SECRET, type RunningPonte } from '../support/ponte.ts';
import { subscribe } from '../support/subscriptions.ts';

/** The whole supergraph over real sockets: gateway, inventory and catalog subgraphs. */
let ponte: RunningPonte;
let keys = 0;
const key = (name: string) => `e2e-${name}-${++keys}`;

beforeAll(async () => {
  ponte = await startPonte();
});
afterAll(async () => {
  await ponte?.close();
});

const STOREFRONT = `query($skus: [ID!]) { products(skus: $skus) { nodes {
  sku title brand price { amountInCents currency }
  totalAvailable stockLevels { onHand available location { id } }
  channelAvailability { channel { id } quantity }
} } }`;

describe('queries through the gateway', () => {
  it('joins inventory and catalog fields for a storefront page', async () => {
    const result = await graphql<{ products: { nodes: Array<Record<string, any>> } }>(ponte.gatewayUrl, STOREFRONT, { skus: ['CAM-BASICA-M', 'CAF-GRAOS-1KG'] });
    expect(result.errors).toBeUndefined();
    expect(result.data!.products.nodes).toEqual([
      expect.objectContaining({ sku: 'CAM-BASICA-M', title: 'Camiseta Básica Algodão — M', price: { amountInCents: 5990, currency: 'BRL' }, totalAvailable: expect.any(Number) }),
      expect.objectContaining({ sku: 'CAF-GRAOS-1KG', brand: 'Serra Alta' }),
    ]);
    expect(result.data!.products.nodes[0]!.channelAvailability).toHaveLength(5);
  });

  it('answers GET as well as POST', async () => {
    const query = encodeURIComponent('{ product(sku: "CAP-MOIDO-500") { sku } location(id: "loja-rio") { name } }');
    const response = await fetch(`${ponte.gatewayUrl}?query=${query}`, { headers: as('storefront') });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { product: null, location: { name: 'Loja Rio de Janeiro — Ipanema' } } });
  });

  it('passes typed errors through with their code and changes nothing', async () => {
    const before = await graphql<{ product: { totalAvailable: number } }>(ponte.gatewayUrl, '{ product(sku: "TEN-CORRIDA-40") { totalAvailable } }');
    const result = await graphql(ponte.gatewayUrl, `mutation { reserveStock(input: { idempotencyKey: "${key('too-many')}", channel: "shopify-br", orderReference: "X", lines: [{ sku: "TEN-CORRIDA-40", quantity: 99999 }] }) { replayed } }`);
    expect(result.errors?.[0]).toMatchObject({ extensions: { code: 'INSUFFICIENT_STOCK', sku: 'TEN-CORRIDA-40' } });
    const after = await graphql(ponte.gatewayUrl, '{ product(sku: "TEN-CORRIDA-40") { totalAvailable } }');
    expect(after.data).toEqual(before.data);
  });

  it('has liveness and readiness endpoints', async () => {
    const base = new URL(ponte.gatewayUrl);
    expect((await fetch(new URL('/healthcheck', base))).status).toBe(200);
    expect((await fetch(new URL('/readiness', base))).status).toBe(200);
    expect((await fetch(new URL('/readiness', ponte.inventoryUrl))).status).toBe(200);
  });

  it('subgraphs refuse requests that did not come through the gateway', async () => {
    const direct = await graphql(ponte.inventoryUrl, '{ locations { id } }');
    expect(direct.status).toBe(401);
    expect(direct.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const withSecret = await graphql(ponte.inventoryUrl, '{ locations { id } }', {}, { [GATEWAY_SECRET_HEADER]: TEST_GATEWAY_SECRET });
    expect(withSecret.status).toBe(200);
  });
});

describe('stockChanged through the gateway', () => {
  it('delivers each change with fields from both subgraphs', async () => {
    const subscription = subscribe<{ stockChanged: Record<string, any> }>(
      ponte.gatewayUrl,
      `subscription { stockChanged(skus: ["CHI-PRAIA-3738"]) {
        sku kind product { title totalAvailable } level { onHand committed available location { id } }
        channelAvailability { channel { id } quantity } } }`,
    );
    await subscription.started;
    const mutation = await graphql(ponte.gatewayUrl, `mutation { reserveStock(input: { idempotencyKey: "${key('sub')}", channel: "mercado-livre", orderReference: "MLB-1", lines: [{ sku: "CHI-PRAIA-3738", quantity: 2 }] }) { levels { onHand committed } } }`);
    expect(mutation.errors).toBeUndefined();
    const event = await subscription.next();
    expect(event.stockChanged).toMatchObject({
      sku: 'CHI-PRAIA-3738',
      kind: 'RESERVATION',
      product: { title: 'Chinelo de Praia — 37/38' },
      level: { committed: 2, location: { id: 'cd-sao-paulo' } },
    });
    expect(event.stockChanged.channelAvailability.map((entry: { channel: { id: string } }) => entry.channel.id).sort()).toEqual(['amazon-br', 'mercado-livre', 'shopify-br', 'woocommerce-br']);
    await subscription.close();
  });

  it('publishes nothing for a change that rolled back', async () => {
    const subscription = subscribe<{ stockChanged: { kind: string; level: { onHand: number } } }>(ponte.gatewayUrl, 'subscription { stockChanged(skus: ["VEL-AROMA"], channel: "shopify-br") { kind level { onHand } channelAvailability { channel { id } } } }');
    await subscription.started;
    const refused = await graphql(ponte.gatewayUrl, `mutation { adjustStock(input: { idempotencyKey: "${key('refused')}", sku: "VEL-AROMA", location: "cd-sao-paulo", delta: -100000, reason: "typo" }) { replayed } }`);
    expect(refused.errors?.[0]?.extensions?.code).toBe('INSUFFICIENT_STOCK');
    await graphql(ponte.gatewayUrl, `mutation { receiveStock(input: { idempotencyKey: "${key('after')}", sku: "VEL-AROMA", location: "cd-sao-paulo", quantity: 1 }) { replayed } }`);
    const event = await subscription.next();
    expect(event.stockChanged.kind).toBe('RECEIPT');
    await subscription.close();
  });
});

describe('response cache', () => {
  const QUERY = '{ product(sku: "GAR-TERMICA-AZUL") { sku title totalAvailable stockLevels { location { id } onHand } } }';
  const total = async () => (await graphql<{ product: { totalAvailable: number } }>(ponte.gatewayUrl, QUERY)).data!.product.totalAvailable;

  it('serves repeated storefront reads from the cache', async () => {
    const before = ponte.gateway.responseCache!.stats().hits;
    await total();
    await total();
    await total();
    expect(ponte.gateway.responseCache!.stats().hits).toBeGreaterThanOrEqual(before + 2);
  });

  it('never shows the old quantity once a change made behind the gateway was published', async () => {
    const old = await total();
    await total();
    const subscription = subscribe(ponte.gatewayUrl, 'subscription { stockChanged(skus: ["GAR-TERMICA-AZUL"]) { sku } }');
    await subscription.started;
    // A platform webhook would do this: straight to the inventory service, not through the gateway.
    await ponte.inventory.service.receiveStock({ idempotencyKey: key('behind'), sku: 'GAR-TERMICA-AZUL', location: 'loja-rio', quantity: 3 }, { name: 'test' });
    await subscription.next();
    expect(await total()).toBe(old + 3);
    await subscription.close();
  });

  it('shows a change made through the gateway to the next read', async () => {
    const old = await total();
    await total();
    await graphql(ponte.gatewayUrl, `mutation { receiveStock(input: { idempotencyKey: "${key('through')}", sku: "GAR-TERMICA-AZUL", location: "loja-rio", quantity: 2 }) { levels { onHand } } }`);
    expect(await total()).toBe(old + 2);
  });
});

describe('physical store (point of sale) through partner mutations', () => {
  const LEVEL = '{ product(sku: "CAD-PONTILHADO") { stockLevels(locations: ["loja-rio"]) { onHand committed } } }';
  const storeLevel = async () => (await graphql<{ product: { stockLevels: Array<{ onHand: number; committed: number }> } }>(ponte.gatewayUrl, LEVEL)).data!.product.stockLevels[0] ?? { onHand: 0, committed: 0 };
  // The Ipanema store's till: a partner key held to the store's channel and location.
  const headers = as('partnerA');

  it('records a sale at the till: the units leave the store at once, and the event says so', async () => {
    const before = await storeLevel();
    const subscription = subscribe<{ stockChanged: { kind: string; level: { onHand: number } } }>(ponte.gatewayUrl, 'subscription { stockChanged(skus: ["CAD-PONTILHADO"], channel: "pos-ipanema") { kind level { onHand } } }');
    await subscription.started;
    const sale = await graphql<{ recordSale: { reservation: { status: string; lines: Array<{ location: { id: string } }> }; movements: Array<{ kind: string; actor: string }> } }>(
      ponte.gatewayUrl,
      `mutation { recordSale(input: { idempotencyKey: "${key('till')}", channel: "pos-ipanema", orderReference: "cupom-000123", lines: [{ sku: "CAD-PONTILHADO", quantity: 1 }] }) {
        reservation { status lines { location { id } } } movements { kind actor } } }`,
      {},
      headers,
    );
    expect(sale.errors).toBeUndefined();
    expect(sale.data!.recordSale.reservation).toEqual({ status: 'FULFILLED', lines: [{ location: { id: 'loja-rio' } }] });
    expect(sale.data!.recordSale.movements.map((movement) => movement.kind)).toEqual(['RESERVATION', 'FULFILMENT']);
    expect(sale.data!.recordSale.movements[0]!.actor).toBe('pdv-ipanema');
    expect(await storeLevel()).toEqual({ onHand: before.onHand - 1, committed: before.committed });
    expect((await subscription.next()).stockChanged.kind).toBe('FULFILMENT');
    await subscription.close();
  });

  it('records a return at the counter', async () => {
    const before = await storeLevel();
    const result = await graphql(ponte.gatewayUrl, `mutation { returnStock(input: { idempotencyKey: "${key('return')}", sku: "CAD-PONTILHADO", location: "loja-rio", quantity: 1, reason: "troca", reference: "cupom-000123" }) { replayed } }`, {}, headers);
    expect(result.errors).toBeUndefined();
    expect((await storeLevel()).onHand).toBe(before.onHand + 1);
  });
});
