import { parse as parseCsv } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../kit/logger.ts';
import { encodePrincipal, principalFor } from '../../kit/identity.ts';
import { PRINCIPAL_HEADER, type Principal } from '../../kit/principal.ts';
import { GATEWAY_SECRET_HEADER } from '../../kit/subgraph-server.ts';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.ts';
import { fixedCostSource } from './costs.ts';
import { createInsightsSubgraph, type InsightsSubgraph } from './index.ts';
import type { OrderFact } from './ingest.ts';
import { fixedStockSource } from './stock.ts';

/**
 * A hand-made week of orders whose every figure is worked out by hand below. The merchant's
 * calendar is São Paulo's (UTC−3): "now" is 2026-03-10 12:00 there.
 */
const NOW = new Date('2026-03-10T15:00:00Z');

function order(id: string, channel: string, placedAt: string, customerId: string | null, lines: OrderFact['lines'], extra: Partial<OrderFact> = {}): OrderFact {
  const subtotalCents = lines.reduce((sum, line) => sum + line.quantity * line.unitPriceCents, 0);
  const discountCents = lines.reduce((sum, line) => sum + line.discountCents, 0);
  return {
    id, channel, placedAt, updatedAt: placedAt, status: 'FULFILLED', currency: 'BRL', customerId, lines,
    totals: { subtotalCents, discountCents, shippingCents: 0, taxCents: 0, totalCents: subtotalCents - discountCents },
    ...extra,
  };
}
const line = (sku: string, quantity: number, unitPriceCents: number, discountCents = 0) => ({ sku, quantity, unitPriceCents, discountCents });

const ORDERS: OrderFact[] = [
  order('o1', 'shopify-br', '2026-03-01T13:00:00Z', 'c1', [line('A', 2, 1000, 200), line('B', 1, 5000)]),
  // 23:00 on 28 February in São Paulo, although 1 March in UTC.
  order('o2', 'mercado-livre', '2026-03-01T02:00:00Z', 'c2', [line('A', 1, 1000)]),
  order('o3', 'shopify-br', '2026-03-05T12:00:00Z', 'c1', [line('B', 2, 5000, 1000)]),
  order('o4', 'mercado-livre', '2026-03-08T12:00:00Z', 'c1', [line('A', 3, 1000)]),
  // Today: two lines of one SKU count as one order of it.
  order('o5', 'shopify-br', '2026-03-10T13:00:00Z', 'c3', [line('A', 1, 1000), line('A', 1, 1000, 100)], { status: 'OPEN' }),
  order('o6', 'woocommerce-br', '2026-03-02T12:00:00Z', 'c2', [line('B', 1, 5000)], { status: 'CANCELLED' }),
  // A guest's order of a SKU without a cost price.
  order('o7', 'shopify-br', '2026-03-03T12:00:00Z', null, [line('C', 1, 2500)]),
];

const GATEWAY_SECRET = 'insights-test-gateway-secret';
const INTERNAL = principalFor('internal', { id: 'key:internal', name: 'internal' });
const STOREFRONT = principalFor('storefront', { id: 'key:storefront', name: 'storefront' });

let testDb: TestDatabase;
let insights: InsightsSubgraph;
let baseUrl: string;

beforeAll(async () => {
  testDb = await createTestDatabase('insights');
  insights = await createInsightsSubgraph({
    database: testDb.db,
    log: createLogger('test'),
    gatewaySecret: GATEWAY_SECRET,
    now: () => NOW,
    stock: fixedStockSource([
      { sku: 'A', location: 'cd-sao-paulo', onHand: 30, committed: 2, safetyStock: 3, incoming: 5 },
      { sku: 'A', location: 'loja-rio', onHand: 2, committed: 0, safetyStock: 1, incoming: 0 },
    ]),
    costs: fixedCostSource([{ sku: 'A', costCents: 400, currency: 'BRL' }, { sku: 'B', costCents: 2000, currency: 'BRL' }]),
  });
  for (const each of ORDERS) expect(await insights.recordOrderFact(each)).toBe('RECORDED');
  expect(await insights.refreshCosts()).toBe(2);
  baseUrl = (await insights.server.listen(0, '127.0.0.1')).replace(/\/graphql$/, '');
});
afterAll(async () => {
  await insights?.close();
  await testDb?.drop();
});

async function execute<Data = Record<string, any>>(query: string, variables?: Record<string, unknown>) {
  const response = await insights.server.apollo.executeOperation({ query, variables }, { contextValue: insights.context() });
  if (response.body.kind !== 'single') throw new Error('expected a single result');
  return response.body.singleResult as { data?: Data; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> };
}

const RANGE = { from: '2026-02-28', to: '2026-03-10' };

describe('insights reports on a hand-made week', () => {
  it('sales per channel: cancelled orders left out, today included from the facts', async () => {
    const result = await execute(`query($range: DateRangeInput!) { sales(range: $range, groupBy: [CHANNEL]) { channel currency orders units grossCents discountCents revenueCents } }`, { range: RANGE });
    expect(result.errors).toBeUndefined();
    expect(result.data!.sales).toEqual([
      { channel: 'mercado-livre', currency: 'BRL', orders: 2, units: 4, grossCents: 4000, discountCents: 0, revenueCents: 4000 },
      { channel: 'shopify-br', currency: 'BRL', orders: 4, units: 8, grossCents: 21500, discountCents: 1300, revenueCents: 20200 },
    ]);
  });

  it('sales per product, and per day and channel in the merchant\'s time zone', async () => {
    const byProduct = await execute(`query($range: DateRangeInput!) { sales(range: $range, groupBy: [PRODUCT]) { sku orders units grossCents discountCents revenueCents } }`, { range: RANGE });
    expect(byProduct.data!.sales).toEqual([
      { sku: 'A', orders: 4, units: 8, grossCents: 8000, discountCents: 300, revenueCents: 7700 },
      { sku: 'B', orders: 2, units: 3, grossCents: 15000, discountCents: 1000, revenueCents: 14000 },
      { sku: 'C', orders: 1, units: 1, grossCents: 2500, discountCents: 0, revenueCents: 2500 },
    ]);
    const byDay = await execute(`query($range: DateRangeInput!) { sales(range: $range, channels: ["mercado-livre"], groupBy: [DAY, CHANNEL]) { day channel orders revenueCents } }`, { range: RANGE });
    expect(byDay.data!.sales).toEqual([
      { day: '2026-02-28', channel: 'mercado-livre', orders: 1, revenueCents: 1000 },
      { day: '2026-03-08', channel: 'mercado-livre', orders: 1, revenueCents: 3000 },
    ]);
    const todayOnly = await execute(`{ sales(range: { from: "2026-03-10", to: "2026-03-10" }, groupBy: [DAY, PRODUCT]) { day sku orders units revenueCents } }`);
    expect(todayOnly.data!.sales).toEqual([{ day: '2026-03-10', sku: 'A', orders: 1, units: 2, revenueCents: 1900 }]);
  });

  it('gross margin per channel, units without a cost price left out of it', async () => {
    const result = await execute(`query($range: DateRangeInput!) { grossMargin(range: $range) { channel units revenueCents costOfGoodsCents grossMarginCents grossMarginPercent unitsWithoutCost } }`, { range: RANGE });
    expect(result.data!.grossMargin).toEqual([
      { channel: 'mercado-livre', units: 4, revenueCents: 4000, costOfGoodsCents: 1600, grossMarginCents: 2400, grossMarginPercent: 60, unitsWithoutCost: 0 },
      // Costed revenue 20200 − 2500 (C) = 17700; cost 4 × 400 + 3 × 2000 = 7600; 10100 / 17700 = 57.06 %.
      { channel: 'shopify-br', units: 8, revenueCents: 20200, costOfGoodsCents: 7600, grossMarginCents: 10100, grossMarginPercent: 57.06, unitsWithoutCost: 1 },
    ]);
  });

  it('average order value per channel and over all of them', async () => {
    const result = await execute(`query($range: DateRangeInput!) { averageOrderValue(range: $range) { channel orders revenueCents averageOrderValueCents } }`, { range: RANGE });
    expect(result.data!.averageOrderValue).toEqual([
      { channel: null, orders: 6, revenueCents: 24200, averageOrderValueCents: 4033.33 },
      { channel: 'mercado-livre', orders: 2, revenueCents: 4000, averageOrderValueCents: 2000 },
      { channel: 'shopify-br', orders: 4, revenueCents: 20200, averageOrderValueCents: 5050 },
    ]);
  });

  it('customer lifetime value and repeat rate per acquisition channel', async () => {
    const result = await execute(`{ customerValue { acquisitionChannel customers repeatCustomers repeatRate lifetimeValueCents averageOrders } }`);
    expect(result.data!.customerValue).toEqual([
      // c2's second order was cancelled: one order, 1000.
      { acquisitionChannel: 'mercado-livre', customers: 1, repeatCustomers: 0, repeatRate: 0, lifetimeValueCents: 1000, averageOrders: 1 },
      // c1: 6800 + 9000 + 3000 over 3 orders; c3: 1900 today.
      { acquisitionChannel: 'shopify-br', customers: 2, repeatCustomers: 1, repeatRate: 0.5, lifetimeValueCents: 10350, averageOrders: 2 },
    ]);
    const acquiredInMarch = await execute(`{ customerValue(acquired: { from: "2026-03-01", to: "2026-03-31" }) { acquisitionChannel customers } }`);
    expect(acquiredInMarch.data!.customerValue).toEqual([{ acquisitionChannel: 'shopify-br', customers: 2 }]);
  });

  it('channel migration: first channel to the channels bought on afterwards', async () => {
    const result = await execute(`{ channelMigration { firstChannel laterChannel customers shareOfAcquired orders } }`);
    expect(result.data!.channelMigration).toEqual([
      { firstChannel: 'shopify-br', laterChannel: 'mercado-livre', customers: 1, shareOfAcquired: 0.5, orders: 1 },
      { firstChannel: 'shopify-br', laterChannel: 'shopify-br', customers: 1, shareOfAcquired: 0.5, orders: 1 },
    ]);
  });

  it('sell-through and days of stock left per SKU and location', async () => {
    const result = await execute(`{ stockCover(skus: ["A"], days: 10) { sku location onHand unitsSold sellThrough averageDailyUnits daysOfStockLeft explanation } }`);
    // 1 March to today: 2 + 3 + 2 units of A (the 28 February order is outside), 0.7 a day.
    expect(result.data!.stockCover.map(({ explanation, ...row }: { explanation: string }) => row)).toEqual([
      { sku: 'A', location: null, onHand: 32, unitsSold: 7, sellThrough: 0.1795, averageDailyUnits: 0.7, daysOfStockLeft: 45.7 },
      { sku: 'A', location: 'cd-sao-paulo', onHand: 30, unitsSold: 7, sellThrough: 0.1892, averageDailyUnits: 0.7, daysOfStockLeft: 42.9 },
      { sku: 'A', location: 'loja-rio', onHand: 2, unitsSold: 7, sellThrough: 0.7778, averageDailyUnits: 0.7, daysOfStockLeft: 2.9 },
    ]);
    expect(result.data!.stockCover[2].explanation).toContain('7 units sold on every channel in the 10 days to 2026-03-10');
  });

  it('restock suggestion per SKU × location, explained by its inputs', async () => {
    const result = await execute(`{ restockSuggestions(skus: ["A"], leadTimeDays: 14) { location leadTimeDays forecastDemand safetyStock freeStock incoming suggestedQuantity explanation } }`);
    expect(result.errors).toBeUndefined();
    // Ten days of history (28 Feb – 9 Mar) are too few to hold 4 weeks out: the last week (3 units, on the 8th)
    // repeats, 6 units over 14 days, 3 per location.
    const [saoPaulo, rio] = result.data!.restockSuggestions;
    expect(saoPaulo).toMatchObject({ location: 'cd-sao-paulo', leadTimeDays: 14, forecastDemand: 3, safetyStock: 3, freeStock: 28, incoming: 5, suggestedQuantity: 0 });
    expect(rio).toMatchObject({ location: 'loja-rio', forecastDemand: 3, safetyStock: 1, freeStock: 2, incoming: 0, suggestedQuantity: 2 });
    expect(rio.explanation).toBe('Forecast (SEASONAL_NAIVE) of 6 units over 14 days on every channel, shared by 2 location(s) holding A: 3 here; + safety stock 1 − free stock 2 (on hand 2 − committed 0) − incoming 0 = 2 → order 2.');
  });

  it('churn risk from recency against the customer\'s own interval', async () => {
    const result = await execute(`{ churnRisk(first: 10) { customerId level score daysSinceLastOrder usualIntervalDays orders explanation } }`);
    const rows = result.data!.churnRisk;
    expect(rows.map(({ explanation, ...row }: { explanation: string }) => row)).toEqual([
      // One order, 10 days ago; repeat customers' median interval is c1's 3.5 days: 2.86 intervals.
      { customerId: 'c2', level: 'MEDIUM', score: 0.844, daysSinceLastOrder: 10, usualIntervalDays: 3.5, orders: 1 },
      // 3 orders over 7 days (3.5 apart), the last 2 days ago.
      { customerId: 'c1', level: 'LOW', score: 0, daysSinceLastOrder: 2, usualIntervalDays: 3.5, orders: 3 },
      { customerId: 'c3', level: 'LOW', score: 0, daysSinceLastOrder: 0, usualIntervalDays: 3.5, orders: 1 },
    ]);
    expect(rows[0].explanation).toBe("10 days since the last of 1 order(s); one order only, so the usual interval is repeat customers' median, 3.5 days: 2.86 intervals have passed (MEDIUM: MEDIUM from 1.5, HIGH from 3).");
    const high = await execute(`{ churnRisk(minimumRisk: HIGH) { customerId } }`);
    expect(high.data!.churnRisk).toEqual([]);
  });

  it('refuses a malformed range with BAD_USER_INPUT', async () => {
    const result = await execute(`{ sales(range: { from: "2026-03-10", to: "2026-02-01" }, groupBy: [DAY]) { day } }`);
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const notADate = await execute(`{ grossMargin(range: { from: "2026-02-30", to: "2026-03-01" }) { channel } }`);
    expect(notADate.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('CSV exports', () => {
  /** As the gateway forwards an export (gateway/plugins/use-insights-exports.ts): its secret and the caller it verified. */
  const csv = (path: string, caller?: Principal, secret = GATEWAY_SECRET) =>
    fetch(`${baseUrl}${path}`, { headers: { [GATEWAY_SECRET_HEADER]: secret, ...(caller ? { [PRINCIPAL_HEADER]: encodePrincipal(caller) } : {}) } });

  it('sales: BOM, header, CRLF, one row per day × channel × product, decimal amounts', async () => {
    const response = await csv('/insights/sales.csv?from=2026-02-28&to=2026-03-10&channel=mercado-livre', INTERNAL);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8; header=present');
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
    expect(text).toBe('\uFEFFday,channel,sku,currency,orders,units,gross,discount,revenue\r\n2026-02-28,mercado-livre,A,BRL,1,1,10.00,0.00,10.00\r\n2026-03-08,mercado-livre,A,BRL,1,3,30.00,0.00,30.00\r\n');
  });

  it('quotes commas, quotes and line breaks (RFC 4180) and keeps accents, read back by a CSV parser', async () => {
    const awkward = 'CAFÉ, "ESPECIAL"\nSão Paulo';
    await insights.recordOrderFact(order('o-awkward', 'pos-ipanema', '2026-02-20T15:00:00Z', null, [line(awkward, 1, 123456, 6)]));
    const response = await csv('/insights/sales.csv?from=2026-02-20&to=2026-02-20&groupBy=product', INTERNAL);
    const text = await response.text();
    expect(text).toContain('"CAFÉ, ""ESPECIAL""\nSão Paulo"');
    const records = parseCsv(text, { bom: true, columns: true, record_delimiter: '\r\n' }) as Array<Record<string, string>>;
    expect(records).toEqual([{ day: '', channel: '', sku: awkward, currency: 'BRL', orders: '1', units: '1', gross: '1234.56', discount: '0.06', revenue: '1234.50' }]);
  });

  it('every report has its export', async () => {
    const paths = [
      '/insights/gross-margin.csv?from=2026-02-28&to=2026-03-10',
      '/insights/average-order-value.csv?from=2026-02-28&to=2026-03-10',
      '/insights/customer-value.csv',
      '/insights/channel-migration.csv',
      '/insights/stock-cover.csv?sku=A&days=10',
      '/insights/demand-forecast.csv?sku=A',
      '/insights/restock.csv?sku=A&leadTimeDays=14',
      '/insights/churn-risk.csv',
    ];
    for (const path of paths) {
      const response = await csv(path, INTERNAL);
      expect(response.status, path).toBe(200);
      const records = parseCsv(await response.text(), { bom: true, columns: true }) as Array<Record<string, string>>;
      expect(records.length, path).toBeGreaterThan(0);
    }
    const margin = parseCsv(await (await csv('/insights/gross-margin.csv?from=2026-02-28&to=2026-03-10', INTERNAL)).text(), { bom: true, columns: true });
    expect(margin[1]).toEqual({ channel: 'shopify-br', currency: 'BRL', units: '8', revenue: '202.00', cost_of_goods: '76.00', gross_margin: '101.00', gross_margin_percent: '57.06', units_without_cost: '1' });
  });

  it('refuses a request without the gateway secret or the caller (401), a caller without insights:read (403), and a bad parameter (400), with no data', async () => {
    const notFromGateway = await fetch(`${baseUrl}/insights/sales.csv?from=2026-02-28&to=2026-03-10`, { headers: { authorization: 'Bearer key-internal', [PRINCIPAL_HEADER]: encodePrincipal(INTERNAL) } });
    expect(notFromGateway.status).toBe(401);
    expect(await notFromGateway.text()).not.toContain('mercado-livre');
    expect((await csv('/insights/sales.csv?from=2026-02-28&to=2026-03-10', INTERNAL, 'not-the-secret')).status).toBe(401);
    const anonymous = await csv('/insights/sales.csv?from=2026-02-28&to=2026-03-10');
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.clone().json()) as { error: { code: string } }).error.code).toBe('UNAUTHENTICATED');
    expect(await anonymous.text()).not.toContain('mercado-livre');
    const storefront = await csv('/insights/sales.csv?from=2026-02-28&to=2026-03-10', STOREFRONT);
    expect(storefront.status).toBe(403);
    expect(((await storefront.json()) as { error: { code: string } }).error.code).toBe('FORBIDDEN');
    const bad = await csv('/insights/sales.csv?from=yesterday&to=2026-03-10', INTERNAL);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('BAD_USER_INPUT');
  });
});
