import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse as parseCsv } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoCostCents, demoProducts } from '../../demo/catalog.ts';
import { createLogger } from '../../kit/logger.ts';
import { catalogCostSource } from '../../subgraphs/insights/costs.ts';
import { createInsightsSubgraph, INSIGHTS_SDL_PATH, type InsightsSubgraph } from '../../subgraphs/insights/index.ts';
import type { RecordChannelOrderInput } from '../../subgraphs/orders/services/order-book.ts';
import { encodePrincipal, servicePrincipal } from '../../kit/identity.ts';
import { PRINCIPAL_HEADER } from '../../kit/principal.ts';
import { GATEWAY_SECRET_HEADER } from '../../kit/subgraph-server.ts';
import { composeSupergraph, ponteSubgraphs } from '../../gateway/compose.ts';
import { createPonteGateway, type PonteGateway, type PonteGatewayOptions } from '../../gateway/index.ts';
import { useIdentity } from '../../gateway/plugins/use-identity.ts';
import { inventoryStockSource } from '../../subgraphs/insights/stock.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { as, graphql, startPonte, TEST_GATEWAY_SECRET, TEST_PRINCIPALS, testApiKeys, type RunningPonte } from '../support/ponte.ts';

/**
 * The insights subgraph in the supergraph: composed into the gateway, reading stock from the real
 * inventory with its own service key and cost prices from the real catalog, called by an internal
 * app's key (insights:read) and refused to a storefront key and to no key; its CSV exports through
 * the gateway, under the same identity, rate limit and scope.
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
});

describe('CSV exports through the gateway', () => {
  const RANGE = 'from=2026-03-01&to=2026-03-10';
  const MARGIN_COLUMNS = 'channel,currency,units,revenue,cost_of_goods,gross_margin,gross_margin_percent,units_without_cost';
  const exportUrl = (gatewayUrl: string, path: string) => new URL(path, gatewayUrl).toString();
  const refusal = async (response: Response) => ((await response.json()) as { error: { code: string; message: string } }).error;

  it('streams a report to a key with insights:read, as the service wrote it', async () => {
    const response = await fetch(exportUrl(ponte.gatewayUrl, `/insights/gross-margin.csv?${RANGE}`), { headers: as('internal') });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8; header=present');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="gross-margin.csv"');
    expect(response.headers.get('cache-control')).toBe('no-store');
    const bytes = new Uint8Array(await response.arrayBuffer());
    // The byte order mark the service writes for Excel comes through untouched.
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
    expect(text.split('\r\n')[0]).toBe(`\uFEFF${MARGIN_COLUMNS}`);
    const rows = parseCsv(text, { bom: true, columns: true }) as Array<Record<string, string>>;
    const revenueCents = 3 * coffee.priceCents + shoes.priceCents;
    const costCents = 3 * demoCostCents(coffee) + demoCostCents(shoes);
    const shopify = rows.find((row) => row.channel === 'shopify-br');
    expect(shopify).toEqual({
      channel: 'shopify-br', currency: 'BRL', units: '4',
      revenue: (revenueCents / 100).toFixed(2), cost_of_goods: (costCents / 100).toFixed(2), gross_margin: ((revenueCents - costCents) / 100).toFixed(2),
      gross_margin_percent: expect.any(String), units_without_cost: '0',
    });
    expect(Number(shopify!.gross_margin_percent)).toBeCloseTo(((revenueCents - costCents) / revenueCents) * 100, 2);
    expect(rows.map((row) => row.channel)).toEqual(['amazon-br', 'shopify-br']);
  });

  it('refuses no key and a bad key (401), a key without insights:read (403), with none of the data', async () => {
    const url = exportUrl(ponte.gatewayUrl, `/insights/sales.csv?${RANGE}`);
    const anonymous = await fetch(url);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer');
    expect(anonymous.headers.get('content-type')).toContain('application/json');
    expect((await refusal(anonymous)).code).toBe('UNAUTHENTICATED');
    const badKey = await fetch(url, { headers: { authorization: 'Bearer not-a-key' } });
    expect(badKey.status).toBe(401);
    expect(badKey.headers.get('www-authenticate')).toBe('Bearer');
    expect((await refusal(badKey)).code).toBe('UNAUTHENTICATED');
    for (const who of ['storefront', 'partner', 'monitoring'] as const) {
      const refused = await fetch(url, { headers: as(who) });
      expect(refused.status, who).toBe(403);
      const text = await refused.text();
      expect(JSON.parse(text).error.code, who).toBe('FORBIDDEN');
      expect(text, who).not.toContain('shopify-br');
    }
  });

  it('answers 404 for an unknown report and passes the service\'s 400 for a bad parameter', async () => {
    const unknown = await fetch(exportUrl(ponte.gatewayUrl, `/insights/no-such-report.csv?${RANGE}`), { headers: as('internal') });
    expect(unknown.status).toBe(404);
    expect((await refusal(unknown)).code).toBe('NOT_FOUND');
    const bad = await fetch(exportUrl(ponte.gatewayUrl, '/insights/sales.csv?from=yesterday&to=2026-03-10'), { headers: as('internal') });
    expect(bad.status).toBe(400);
    expect((await refusal(bad)).code).toBe('BAD_USER_INPUT');
    const post = await fetch(exportUrl(ponte.gatewayUrl, `/insights/sales.csv?${RANGE}`), { method: 'POST', headers: as('internal') });
    expect(post.status).toBe(405);
  });

  it('the service refuses an export that did not come through the gateway, whatever the caller sends', async () => {
    const url = `${insightsUrl.replace(/\/graphql$/, '')}/insights/gross-margin.csv?${RANGE}`;
    const internal = TEST_PRINCIPALS.internal;
    const attempts: Array<[string, Record<string, string>]> = [
      ['an API key', as('internal')],
      ['a forged principal', { [PRINCIPAL_HEADER]: encodePrincipal(internal) }],
      ['a wrong secret', { [GATEWAY_SECRET_HEADER]: 'not-the-secret', [PRINCIPAL_HEADER]: encodePrincipal(internal) }],
    ];
    for (const [what, headers] of attempts) {
      const response = await fetch(url, { headers });
      expect(response.status, what).toBe(401);
      expect(await response.text(), what).not.toContain('shopify-br');
    }
    // With the secret, the forwarded principal's scope is checked again.
    const noPrincipal = await fetch(url, { headers: { [GATEWAY_SECRET_HEADER]: TEST_GATEWAY_SECRET } });
    expect(noPrincipal.status).toBe(401);
    const storefront = await fetch(url, { headers: { [GATEWAY_SECRET_HEADER]: TEST_GATEWAY_SECRET, [PRINCIPAL_HEADER]: encodePrincipal(TEST_PRINCIPALS.storefront) } });
    expect(storefront.status).toBe(403);
    expect(await storefront.text()).not.toContain('shopify-br');
  });

  describe('with gateways of their own', () => {
    const gateways: PonteGateway[] = [];
    afterAll(async () => {
      for (const gateway of gateways) await gateway.close();
    });
    async function gatewayWith(options: Partial<PonteGatewayOptions>): Promise<string> {
      const log = createLogger('test');
      const gateway = createPonteGateway({ supergraphSdl: ponte.supergraphSdl, log, subgraphSecret: TEST_GATEWAY_SECRET, identity: useIdentity({ apiKeys: testApiKeys, log }), responseCache: false, audit: false, ...options });
      gateways.push(gateway);
      return gateway.listen(0, '127.0.0.1');
    }

    it('counts exports against the caller\'s rate limit, with its GraphQL requests (429 with Retry-After)', async () => {
      const url = await gatewayWith({ rateLimit: { points: 3, windowSeconds: 60 } });
      const csv = `/insights/gross-margin.csv?${RANGE}`;
      expect((await graphql(url, MARGIN, {}, as('internal'))).status).toBe(200);
      for (let request = 0; request < 2; request++) {
        const answered = await fetch(exportUrl(url, csv), { headers: as('internal') });
        expect(answered.status).toBe(200);
        await answered.arrayBuffer();
      }
      const limited = await fetch(exportUrl(url, csv), { headers: as('internal') });
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      const error = await refusal(limited);
      expect(error.code).toBe('RATE_LIMITED');
      expect((await graphql(url, MARGIN, {}, as('internal'))).status).toBe(429);
      // Another principal has its own count.
      expect((await fetch(exportUrl(url, csv), { headers: as('operator') })).status).toBe(200);
    });

    it('answers 502 with a code when the insights service is unreachable, and refuses callers before calling it', async () => {
      const closed = createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const port = (closed.address() as AddressInfo).port;
      await new Promise<void>((resolve) => closed.close(() => resolve()));
      const url = await gatewayWith({ supergraphSdl: ponte.supergraphSdl.replace(insightsUrl, `http://127.0.0.1:${port}/graphql`) });
      const response = await fetch(exportUrl(url, `/insights/gross-margin.csv?${RANGE}`), { headers: as('internal') });
      expect(response.status).toBe(502);
      expect((await refusal(response)).code).toBe('SUBGRAPH_UNAVAILABLE');
      // Refused at the gateway itself: the service is never asked.
      expect((await fetch(exportUrl(url, `/insights/gross-margin.csv?${RANGE}`), { headers: as('storefront') })).status).toBe(403);
      expect((await fetch(exportUrl(url, `/insights/gross-margin.csv?${RANGE}`))).status).toBe(401);
    });

    it('has no export route when the supergraph has no insights subgraph', async () => {
      const withoutInsights = composeSupergraph(
        ponteSubgraphs({ INVENTORY_URL: ponte.inventoryUrl, CATALOG_URL: ponte.catalogUrl, ACCESS_URL: ponte.accessUrl, ORDERS_URL: ponte.ordersUrl })
          .filter((subgraph) => ['inventory', 'catalog', 'access', 'orders'].includes(subgraph.name)),
      );
      const url = await gatewayWith({ supergraphSdl: withoutInsights });
      const response = await fetch(exportUrl(url, `/insights/gross-margin.csv?${RANGE}`), { headers: as('internal') });
      expect(response.status).toBe(404);
      expect(await response.text()).not.toContain('shopify-br');
    });
  });
});
