import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoCostCents, demoProducts } from '../../demo/catalog.ts';
import { createLogger } from '../../kit/logger.ts';
import { catalogCostSource } from '../../subgraphs/insights/costs.ts';
import { createInsightsSubgraph, INSIGHTS_SDL_PATH, type InsightsSubgraph } from '../../subgraphs/insights/index.ts';
import type { RecordChannelOrderInput } from '../../subgraphs/orders/services/order-book.ts';
import { servicePrincipal } from '../../kit/identity.ts';
import { inventoryStockSource } from '../../subgraphs/insights/stock.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { as, graphql, startPonte, TEST_KEYS, type RunningPonte } from '../support/ponte.ts';

/**
 * The insights subgraph in the supergraph: composed into the gateway, reading stock from the real
 * inventory with its own service key and cost prices from the real catalog, called by an internal
 * app's key (insights:read) and refused to a storefront key and to no key.
 */
const NOW = new Date('2026-03-10T15:00:00Z');
let ponte: RunningPonte;
let insights: InsightsSubgraph;
let insightsDb: TestDatabase;
let insightsUrl: string;

const coffee = demoProducts.find((product) => product.sku === 'CAF-MOIDO-500')!;
const shoes = demoProducts.find((product) => product.sku === 'TEN-CORRIDA-41')!;

/** A channel's order as its platform subgraph's intake records it in the orders subgraph. */
function order(id: string, channel: string, placedAt: string, lines: Array<[typeof coffee, number]>): RecordChannelOrderInput {
  const orderLines = lines.map(([product, quantity], index) => ({ lineId: String(index + 1), sku: product.sku, quantity, unitPriceCents: product.priceCents, discountCents: 0 }));
  const subtotalCents = orderLines.reduce((sum, line) => sum + line.quantity * line.unitPriceCents, 0);
  return { channel, platform: channel.split('-')[0]!, platformOrderId: id, status: 'FULFILLED', placedAt, updatedAt: placedAt, currency: 'BRL', lines: orderLines, totals: { subtotalCents, discountCents: 0, shippingCents: 0, taxCents: 0, totalCents: subtotalCents } };
}

beforeAll(async () => {
  insightsDb = await createTestDatabase('insights');
  ponte = await startPonte({
    responseCache: false,
    extraSubgraphs: [{
      name: 'insights',
      sdl: readFileSync(INSIGHTS_SDL_PATH, 'utf8'),
      async start({ inventoryUrl, catalogUrl, ordersUrl, gatewaySecret, serviceKey, apiKeys }) {
        insights = await createInsightsSubgraph({
          database: insightsDb.db,
          log: createLogger('test'),
          gatewaySecret,
          apiKeys,
          now: () => NOW,
          stock: inventoryStockSource({ url: inventoryUrl, serviceKey }),
          costs: catalogCostSource({ url: catalogUrl, serviceKey, secret: gatewaySecret }),
          // The figures' only source: the orders subgraph, read with the insights service's own key.
          orders: { url: ordersUrl, serviceKey, pollIntervalMs: 200 },
        });
        insightsUrl = await insights.server.listen(0, '127.0.0.1');
        return { url: insightsUrl, close: () => insights.close() };
      },
    }],
  });
  await ponte.orders.orders.record(order('e2e-1', 'shopify-br', '2026-03-02T15:00:00Z', [[coffee, 3], [shoes, 1]]), servicePrincipal('shopify'));
  await ponte.orders.orders.record(order('e2e-2', 'amazon-br', '2026-03-09T15:00:00Z', [[coffee, 2]]), servicePrincipal('amazon'));
  await insights.orderFeed!.catchUp();
  expect(await insights.db.query('SELECT order_id FROM order_facts')).toHaveLength(2);
  await insights.refreshCosts();
});
afterAll(async () => {
  await ponte?.close();
  await insightsDb?.drop();
});

const MARGIN = `{ grossMargin(range: { from: "2026-03-01", to: "2026-03-10" }) { channel revenueCents costOfGoodsCents grossMarginCents unitsWithoutCost } }`;

describe('insights through the gateway', () => {
  it('answers an internal key: margins from the catalog\'s cost prices, cover from the inventory\'s stock', async () => {
    const margin = await graphql<{ grossMargin: Array<Record<string, unknown>> }>(ponte.gatewayUrl, MARGIN, {}, as('internal'));
    expect(margin.errors).toBeUndefined();
    expect(margin.data!.grossMargin).toEqual([
      { channel: 'amazon-br', revenueCents: 2 * coffee.priceCents, costOfGoodsCents: 2 * demoCostCents(coffee), grossMarginCents: 2 * (coffee.priceCents - demoCostCents(coffee)), unitsWithoutCost: 0 },
      {
        channel: 'shopify-br',
        revenueCents: 3 * coffee.priceCents + shoes.priceCents,
        costOfGoodsCents: 3 * demoCostCents(coffee) + demoCostCents(shoes),
        grossMarginCents: 3 * (coffee.priceCents - demoCostCents(coffee)) + shoes.priceCents - demoCostCents(shoes),
        unitsWithoutCost: 0,
      },
    ]);
    const cover = await graphql<{ stockCover: Array<{ location: string | null; onHand: number; unitsSold: number }> }>(
      ponte.gatewayUrl, '{ stockCover(skus: ["CAF-MOIDO-500"], days: 10) { location onHand unitsSold } }', {}, as('internal'),
    );
    expect(cover.errors).toBeUndefined();
    const onHand = Object.entries(coffee.onHand).filter(([, units]) => units > 0);
    expect(cover.data!.stockCover).toEqual([
      { location: null, onHand: onHand.reduce((sum, [, units]) => sum + units, 0), unitsSold: 5 },
      ...onHand.sort(([a], [b]) => (a < b ? -1 : 1)).map(([location, units]) => ({ location, onHand: units, unitsSold: 5 })),
    ]);
  });

  it('shows the cost price to an internal key and refuses it to a storefront key', async () => {
    const query = '{ product(sku: "CAF-MOIDO-500") { sku costPrice { amountInCents } } }';
    const internal = await graphql<{ product: { costPrice: { amountInCents: number } } }>(ponte.gatewayUrl, query, {}, as('internal'));
    expect(internal.data!.product.costPrice.amountInCents).toBe(demoCostCents(coffee));
    const storefront = await graphql(ponte.gatewayUrl, query, {}, as('storefront'));
    expect(storefront.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(JSON.stringify(storefront.data ?? null)).not.toContain(String(demoCostCents(coffee)));
  });

  it('refuses every report to a storefront key and to no key, with nothing returned', async () => {
    const range = 'range: { from: "2026-03-01", to: "2026-03-10" }';
    const every = [
      MARGIN,
      `{ sales(${range}, groupBy: [CHANNEL]) { channel revenueCents } }`,
      `{ averageOrderValue(${range}) { channel averageOrderValueCents } }`,
      '{ customerValue { acquisitionChannel lifetimeValueCents } }',
      '{ channelMigration { firstChannel laterChannel customers } }',
      '{ stockCover(skus: ["CAF-MOIDO-500"]) { sku onHand } }',
      '{ demandForecast(skus: ["CAF-MOIDO-500"]) { sku weeks { units } } }',
      '{ restockSuggestions(skus: ["CAF-MOIDO-500"]) { location suggestedQuantity } }',
      '{ churnRisk { customerId } }',
    ];
    for (const query of every) {
      const storefront = await graphql(ponte.gatewayUrl, query, {}, as('storefront'));
      expect(storefront.errors?.[0]?.extensions?.code, query).toBe('FORBIDDEN');
      expect(storefront.data ?? null, query).toBeNull();
      const anonymous = await graphql(ponte.gatewayUrl, query, {}, as('anonymous'));
      expect(anonymous.status, query).toBe(401);
      expect(anonymous.data ?? null, query).toBeNull();
    }
  });

  it('refuses a direct call to the subgraph that did not come through the gateway', async () => {
    const direct = await graphql(insightsUrl, MARGIN, {}, as('internal'));
    expect(direct.status).toBe(401);
    expect(direct.data ?? null).toBeNull();
  });

  it('exports CSV at the service to a key with insights:read, and refuses it otherwise', async () => {
    const base = insightsUrl.replace(/\/graphql$/, '');
    const path = `${base}/insights/gross-margin.csv?from=2026-03-01&to=2026-03-10`;
    const internal = await fetch(path, { headers: as('internal') });
    expect(internal.status).toBe(200);
    // Response.text() decodes UTF-8 and drops the BOM (the bytes are checked in subgraphs/insights/insights.test.ts).
    expect((await internal.text()).split('\r\n')[0]).toBe('channel,currency,units,revenue,cost_of_goods,gross_margin,gross_margin_percent,units_without_cost');
    expect((await fetch(path)).status).toBe(401);
    const storefront = await fetch(path, { headers: { authorization: `Bearer ${TEST_KEYS.storefront}` } });
    expect(storefront.status).toBe(403);
    expect(await storefront.text()).not.toContain('shopify-br');
  });
});
