import { randomBytes } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { generateOrderHistory } from './order-history.ts';
import { demoChannels } from '../../demo/catalog.ts';
import { openDatabase, type Database } from '../../kit/database.ts';
import { encodePrincipal, principalFor } from '../../kit/identity.ts';
import { PRINCIPAL_HEADER } from '../../kit/principal.ts';
import { GATEWAY_SECRET_HEADER } from '../../kit/subgraph-server.ts';
import { createLogger } from '../../kit/logger.ts';
import { fixedCostSource } from '../../subgraphs/insights/costs.ts';
import { createInsightsSubgraph, type InsightsSubgraph } from '../../subgraphs/insights/index.ts';
import { dayIn, DEFAULT_TIME_ZONE, recordOrderFacts, type OrderFact } from '../../subgraphs/insights/ingest.ts';
import { addDays } from '../../subgraphs/insights/reports.ts';
import { fixedStockSource } from '../../subgraphs/insights/stock.ts';
import { median, percentile, writeNamedResults } from './report.ts';

/**
 * `npm run bench:insights`: the insights reports over a year of 100,000 generated orders (5
 * channels, 8,000 customers, 5,000 SKUs, weekly seasonality; deterministic), loaded through the
 * same ingest the orders feed uses, into a fresh schema on the PostgreSQL server (DATABASE_URL, else
 * postgres://postgres@127.0.0.1:5432/postgres), dropped afterwards; then the same on PGlite in
 * memory, for information. Each report runs in-process through GraphQL (parse, validate, resolve,
 * SQL) `BENCH_RUNS` times after one warm-up: median and p95. The goal, under 1 s each on PostgreSQL,
 * is reported, not enforced.
 *
 * Env: BENCH_ORDERS (100000), BENCH_SKUS (5000), BENCH_CUSTOMERS (8000), BENCH_RUNS (10),
 * BENCH_PGLITE_ORDERS (BENCH_ORDERS; 0 skips PGlite), BENCH_DATABASE_URL (DATABASE_URL, else the local server).
 */
// The CSV route logs each export at info: a hundred lines of noise here.
process.env.LOG_LEVEL ??= 'warn';
const number = (name: string, fallback: number) => (process.env[name] ? Number(process.env[name]) : fallback);
const ORDERS = number('BENCH_ORDERS', 100_000);
const SKUS = number('BENCH_SKUS', 5000);
const CUSTOMERS = number('BENCH_CUSTOMERS', 8000);
const RUNS = number('BENCH_RUNS', 10);
const PGLITE_ORDERS = number('BENCH_PGLITE_ORDERS', ORDERS);
const SERVER_URL = process.env.BENCH_DATABASE_URL || process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const GOAL_MS = 1000;
const DAYS = 365;
const INGEST_BATCH = 500;

const now = new Date();
const today = dayIn(now, DEFAULT_TIME_ZONE);
const yearAgo = addDays(today, -(DAYS - 1));
const products = Array.from({ length: SKUS }, (_, index) => ({ sku: `BENCH-SKU-${String(index + 1).padStart(5, '0')}`, priceCents: 990 + ((index * 7919) % 50_000) }));

function orders(count: number): OrderFact[] {
  // The weekday factors average 1.057 and the growth 1.0: a daily mean of count / days makes ~5 % more than `count`.
  const generated: OrderFact[] = [];
  for (const order of generateOrderHistory({
    seed: 10_000,
    lastDay: today,
    days: DAYS,
    ordersPerDay: (count / DAYS) * 1.0,
    customers: Array.from({ length: CUSTOMERS }, (_, index) => `bench-customer-${String(index + 1).padStart(5, '0')}`),
    products,
    channels: demoChannels.map((channel) => channel.code),
  })) {
    generated.push(order);
  }
  if (generated.length < count) throw new Error(`the generator made ${generated.length} orders, fewer than ${count}`);
  // Keep `count`, spread over the whole year (every k-th), so today still has its orders.
  const step = generated.length / count;
  return Array.from({ length: count }, (_, index) => generated[Math.floor(index * step)]!);
}

interface ReportCase {
  name: string;
  query: string;
  variables?: Record<string, unknown>;
}

const YEAR = { from: yearAgo, to: today };
const topSkus = products.slice(0, 10).map((product) => product.sku);
const CASES: ReportCase[] = [
  { name: 'sales per day × channel, a year', query: 'query($r: DateRangeInput!) { sales(range: $r, groupBy: [DAY, CHANNEL]) { day channel orders units revenueCents } }', variables: { r: YEAR } },
  { name: 'sales per product, a year', query: 'query($r: DateRangeInput!) { sales(range: $r, groupBy: [PRODUCT]) { sku orders units revenueCents } }', variables: { r: YEAR } },
  { name: 'sales per day × channel × product, 30 days', query: 'query($r: DateRangeInput!) { sales(range: $r, groupBy: [DAY, CHANNEL, PRODUCT]) { day channel sku orders units revenueCents } }', variables: { r: { from: addDays(today, -29), to: today } } },
  { name: 'sales today per product (real time)', query: 'query($r: DateRangeInput!) { sales(range: $r, groupBy: [PRODUCT]) { sku orders units revenueCents } }', variables: { r: { from: today, to: today } } },
  { name: 'gross margin per channel, a year', query: 'query($r: DateRangeInput!) { grossMargin(range: $r) { channel revenueCents costOfGoodsCents grossMarginPercent } }', variables: { r: YEAR } },
  { name: 'average order value, a year', query: 'query($r: DateRangeInput!) { averageOrderValue(range: $r) { channel orders averageOrderValueCents } }', variables: { r: YEAR } },
  { name: 'customer value per acquisition channel', query: '{ customerValue { acquisitionChannel customers repeatRate lifetimeValueCents } }' },
  { name: 'channel migration', query: '{ channelMigration { firstChannel laterChannel customers shareOfAcquired } }' },
  { name: 'churn risk, top 100', query: '{ churnRisk(first: 100) { customerId level score } }' },
  { name: 'stock cover, 50 best sellers', query: '{ stockCover(days: 28, first: 50) { sku location daysOfStockLeft } }' },
  { name: 'demand forecast, 10 SKUs × channels', query: 'query($skus: [ID!]!) { demandForecast(skus: $skus) { sku channel method weeks { units } heldOutError { rmse mae smape } } }', variables: { skus: topSkus } },
  { name: 'restock suggestions, 10 SKUs', query: 'query($skus: [ID!]!) { restockSuggestions(skus: $skus) { sku location suggestedQuantity } }', variables: { skus: topSkus } },
];

interface Timing {
  name: string;
  medianMs: number;
  p95Ms: number;
  rows: number | null;
}

const BENCH_SECRET = 'bench-gateway-secret';
/** What the gateway sends with an export it forwards (the gateway's own part is not measured here). */
const FORWARDED = { [GATEWAY_SECRET_HEADER]: BENCH_SECRET, [PRINCIPAL_HEADER]: encodePrincipal(principalFor('internal', { id: 'key:bench', name: 'bench' })) };

async function runSide(label: string, db: Database, count: number): Promise<{ label: string; orders: number; ingestS: number; ordersPerS: number; timings: Timing[] }> {
  const insights: InsightsSubgraph = await createInsightsSubgraph({
    database: db,
    log: createLogger('bench'),
    gatewaySecret: BENCH_SECRET,
    now: () => now,
    stock: fixedStockSource(products.flatMap(({ sku }, index) => ['cd-sao-paulo', 'loja-rio', '3pl-extrema'].map((location, l) => ({ sku, location, onHand: (index * 13 + l * 7) % 120, committed: l, safetyStock: 2, incoming: index % 5 === 0 ? 10 : 0 })))),
    costs: fixedCostSource(products.map(({ sku, priceCents }) => ({ sku, costCents: Math.round(priceCents * 0.55), currency: 'BRL' }))),
  });
  try {
    const facts = orders(count);
    const started = performance.now();
    for (let start = 0; start < facts.length; start += INGEST_BATCH) {
      await recordOrderFacts(db, facts.slice(start, start + INGEST_BATCH));
      if ((start / INGEST_BATCH) % 40 === 0) process.stdout.write(`\r${label}: ${start + INGEST_BATCH} / ${facts.length} orders ingested`);
    }
    const ingestS = (performance.now() - started) / 1000;
    process.stdout.write(`\r${label}: ${facts.length} orders ingested in ${ingestS.toFixed(1)} s\n`);
    await insights.refreshCosts();
    await db.exec('ANALYZE');
    const timings: Timing[] = [];
    for (const each of CASES) {
      const samples: number[] = [];
      let rows: number | null = null;
      for (let run = 0; run <= RUNS; run++) {
        const t0 = performance.now();
        const response = await insights.server.apollo.executeOperation({ query: each.query, variables: each.variables }, { contextValue: insights.context() });
        const elapsed = performance.now() - t0;
        if (response.body.kind !== 'single' || response.body.singleResult.errors) throw new Error(`${each.name}: ${JSON.stringify(response.body.kind === 'single' ? response.body.singleResult.errors : 'incremental')}`);
        rows = (Object.values(response.body.singleResult.data ?? {})[0] as unknown[]).length;
        if (run > 0) samples.push(elapsed);
      }
      timings.push({ name: each.name, medianMs: median(samples), p95Ms: percentile(samples, 95), rows });
      console.log(`${label}: ${each.name}: median ${median(samples).toFixed(1)} ms, p95 ${percentile(samples, 95).toFixed(1)} ms (${rows} rows)`);
    }
    // The CSV export of every fact of the year, streamed over HTTP: time to the last byte.
    const base = (await insights.server.listen(0, '127.0.0.1')).replace(/\/graphql$/, '');
    const samples: number[] = [];
    let csvRows = 0;
    for (let run = 0; run <= Math.min(RUNS, 3); run++) {
      const t0 = performance.now();
      const response = await fetch(`${base}/insights/sales.csv?from=${yearAgo}&to=${today}`, { headers: FORWARDED });
      const text = await response.text();
      if (response.status !== 200) throw new Error(`CSV export answered ${response.status}: ${text.slice(0, 200)}`);
      csvRows = text.split('\r\n').length - 2;
      if (run > 0) samples.push(performance.now() - t0);
    }
    timings.push({ name: 'CSV export: sales per day × channel × product, a year', medianMs: median(samples), p95Ms: percentile(samples, 95), rows: csvRows });
    console.log(`${label}: CSV export of the year: median ${median(samples).toFixed(0)} ms (${csvRows} rows)`);
    return { label, orders: count, ingestS, ordersPerS: count / ingestS, timings };
  } finally {
    await insights.close();
  }
}

function table(sides: Array<Awaited<ReturnType<typeof runSide>>>): string {
  const lines = [`| report | ${sides.map((side) => `${side.label} median / p95 (ms)`).join(' | ')} | rows |`, `| --- | ${sides.map(() => '---').join(' | ')} | --- |`];
  for (const [index, timing] of sides[0]!.timings.entries()) {
    lines.push(`| ${timing.name} | ${sides.map((side) => `${side.timings[index]!.medianMs.toFixed(1)} / ${side.timings[index]!.p95Ms.toFixed(1)}`).join(' | ')} | ${timing.rows} |`);
  }
  lines.push(`| ingest (orders/s, batches of ${INGEST_BATCH}) | ${sides.map((side) => `${side.ordersPerS.toFixed(0)} (${side.orders} in ${side.ingestS.toFixed(0)} s)`).join(' | ')} | |`);
  return lines.join('\n');
}

const sides: Array<Awaited<ReturnType<typeof runSide>>> = [];
const schema = `insights_bench_${randomBytes(4).toString('hex')}`;
const server = await openDatabase({ url: SERVER_URL, schema, poolSize: 4 });
try {
  sides.push(await runSide('PostgreSQL', server, ORDERS));
} finally {
  await server.close();
  const admin = await openDatabase({ url: SERVER_URL, schema: 'public' });
  await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await admin.close();
}
if (PGLITE_ORDERS > 0) {
  const pglite = await openDatabase({ schema: 'insights' });
  try {
    sides.push(await runSide('PGlite', pglite, PGLITE_ORDERS));
  } finally {
    await pglite.close();
  }
}

const postgres = sides[0]!;
const slowest = postgres.timings.filter((timing) => !timing.name.startsWith('CSV')).reduce((worst, timing) => (timing.medianMs > worst.medianMs ? timing : worst));
console.log(`\n${table(sides)}\n`);
console.log(`Machine load average at the end (1, 5, 15 min, on ${cpus().length} cores): ${loadavg().map((value) => value.toFixed(1)).join(', ')}`);
console.log(`Goal: every report under ${GOAL_MS} ms on PostgreSQL over ${ORDERS.toLocaleString('en')} orders — ${slowest.p95Ms < GOAL_MS ? 'met' : 'NOT met'} (slowest: ${slowest.name}, p95 ${slowest.p95Ms.toFixed(1)} ms).`);
const file = await writeNamedResults('insights', { at: new Date().toISOString(), loadAverage: loadavg(), orders: ORDERS, skus: SKUS, customers: CUSTOMERS, runs: RUNS, sides });
console.log(`Results in ${file}`);
