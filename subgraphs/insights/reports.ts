import type { Database, SqlClient } from '../../kit/database.ts';
import { ErrorCode, PonteError } from '../../kit/errors.ts';
import { dayIn } from './ingest.ts';

/**
 * The reports, as SQL over the store. Each takes its filters and answers plain rows, which the
 * GraphQL resolvers return as they are and the CSV routes write out column by column.
 *
 * Real time and history: a day before today is read from the daily rollups; today (and anything
 * dated after it) from the order facts, aggregated at query time. Both are written in the same
 * transaction as each order arrives, so the split changes only what is read, not what is seen.
 */

export type SalesDimension = 'DAY' | 'CHANNEL' | 'PRODUCT';

export interface DateRange {
  from: string;
  to: string;
}

/** The clock and calendar a report is made against (tests fix `now`). */
export interface ReportClock {
  timeZone: string;
  now(): Date;
}

export interface SalesRow {
  day: string | null;
  channel: string | null;
  sku: string | null;
  currency: string;
  orders: number;
  units: number;
  grossCents: number;
  discountCents: number;
  revenueCents: number;
}

export interface GrossMarginRow {
  channel: string;
  currency: string;
  units: number;
  revenueCents: number;
  costOfGoodsCents: number;
  grossMarginCents: number;
  grossMarginPercent: number | null;
  unitsWithoutCost: number;
}

export interface AverageOrderValueRow {
  channel: string | null;
  currency: string;
  orders: number;
  revenueCents: number;
  averageOrderValueCents: number;
}

export interface CustomerValueRow {
  acquisitionChannel: string;
  currency: string;
  customers: number;
  repeatCustomers: number;
  repeatRate: number;
  lifetimeValueCents: number;
  averageOrders: number;
}

export interface ChannelMigrationRow {
  firstChannel: string;
  laterChannel: string;
  customers: number;
  shareOfAcquired: number;
  orders: number;
}

/** Three years: a wider question is several questions. */
const MAX_RANGE_DAYS = 3 * 366;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Memory for one report's sorts and hash tables. A year of the per-SKU rollup is ~150,000 rows at
 * 100,000 orders: with the default 4 MB PostgreSQL sorts them on disk (sales per product over a
 * year: 630 ms against 320 ms in memory, measured on the benchmark's data).
 */
export const REPORT_WORK_MEM = '32MB';

/** Runs a report in a read transaction of its own with `REPORT_WORK_MEM` (SET LOCAL: gone at its end). */
export function withReportMemory<T>(db: Database, report: (client: SqlClient) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.query(`SET LOCAL work_mem = '${REPORT_WORK_MEM}'`);
    return report(tx);
  });
}

export function checkRange(range: DateRange, field = 'range'): DateRange {
  for (const end of ['from', 'to'] as const) {
    const value = range[end];
    if (!ISO_DATE.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`)) || new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) !== value) {
      throw new PonteError(ErrorCode.BAD_USER_INPUT, `${field}.${end} must be an ISO date (YYYY-MM-DD), got "${value}"`, { field: `${field}.${end}` });
    }
  }
  const days = daysBetween(range.from, range.to);
  if (days < 0) throw new PonteError(ErrorCode.BAD_USER_INPUT, `${field}.from (${range.from}) is after ${field}.to (${range.to})`, { field });
  if (days >= MAX_RANGE_DAYS) throw new PonteError(ErrorCode.BAD_USER_INPUT, `${field} spans ${days + 1} days; at most ${MAX_RANGE_DAYS}`, { field });
  return range;
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

export function today(clock: ReportClock): string {
  return dayIn(clock.now(), clock.timeZone);
}

const channelFilter = (channels: readonly string[] | null | undefined, parameter: string) => (channels && channels.length > 0 ? `AND channel = ANY(${parameter}::text[])` : '');

/**
 * Per-SKU sales over a range: rollups before today, facts from today on. Parameters: $1 from,
 * $2 to, $3 today, $4 channels (when filtered).
 */
function skuSalesSource(channels: readonly string[] | null | undefined, skusParameter?: string): string {
  const filters = `${channelFilter(channels, '$4')} ${skusParameter ? `AND sku = ANY(${skusParameter}::text[])` : ''}`;
  return `(SELECT day, channel, sku, currency, orders, units, gross_cents, discount_cents
             FROM daily_sku_sales WHERE day BETWEEN $1::date AND $2::date AND day < $3::date ${filters}
           UNION ALL
           SELECT day, channel, sku, currency, count(*)::int, sum(units)::int, sum(gross_cents), sum(discount_cents)
             FROM order_line_facts WHERE day BETWEEN greatest($1::date, $3::date) AND $2::date ${filters}
            GROUP BY day, channel, sku, currency)`;
}

/** Per-channel sales (whole orders) over a range, same split and parameters. */
function channelSalesSource(channels: readonly string[] | null | undefined): string {
  return `(SELECT day, channel, currency, orders, units, gross_cents, discount_cents
             FROM daily_channel_sales WHERE day BETWEEN $1::date AND $2::date AND day < $3::date ${channelFilter(channels, '$4')}
           UNION ALL
           SELECT day, channel, currency, count(*)::int, sum(units)::int, sum(subtotal_cents), sum(discount_cents)
             FROM order_facts WHERE status <> 'CANCELLED' AND day BETWEEN greatest($1::date, $3::date) AND $2::date ${channelFilter(channels, '$4')}
            GROUP BY day, channel, currency)`;
}

function rangeParameters(range: DateRange, channels: readonly string[] | null | undefined, clock: ReportClock): unknown[] {
  return [range.from, range.to, today(clock), ...(channels && channels.length > 0 ? [channels] : [])];
}

export async function salesReport(db: SqlClient, clock: ReportClock, options: { range: DateRange; channels?: readonly string[] | null; groupBy: readonly SalesDimension[] }): Promise<SalesRow[]> {
  const range = checkRange(options.range);
  const groupBy = new Set(options.groupBy);
  if (groupBy.size === 0) throw new PonteError(ErrorCode.BAD_USER_INPUT, 'groupBy needs at least one of DAY, CHANNEL, PRODUCT', { field: 'groupBy' });
  const byProduct = groupBy.has('PRODUCT');
  const dimensions = [
    groupBy.has('DAY') ? "to_char(day, 'YYYY-MM-DD')" : 'NULL::text',
    groupBy.has('CHANNEL') ? 'channel' : 'NULL::text',
    byProduct ? 'sku' : 'NULL::text',
  ];
  const source = byProduct ? skuSalesSource(options.channels) : channelSalesSource(options.channels);
  return db.query<SalesRow>(
    `SELECT ${dimensions[0]} AS day, ${dimensions[1]} AS channel, ${dimensions[2]} AS sku, currency,
            sum(orders)::int AS orders, sum(units)::int AS units, sum(gross_cents)::bigint AS "grossCents",
            sum(discount_cents)::bigint AS "discountCents", sum(gross_cents - discount_cents)::bigint AS "revenueCents"
       FROM ${source} AS s
      GROUP BY 1, 2, 3, currency
      ORDER BY 1 NULLS FIRST, 2 NULLS FIRST, 3 NULLS FIRST, currency`,
    rangeParameters(range, options.channels, clock),
  );
}

export async function grossMarginReport(db: SqlClient, clock: ReportClock, options: { range: DateRange; channels?: readonly string[] | null }): Promise<GrossMarginRow[]> {
  const range = checkRange(options.range);
  // Each day's SKU row meets its cost in a hash join and falls straight into its channel's group:
  // no per-SKU intermediate result, so a year is one pass over the rollup.
  const rows = await db.query<Omit<GrossMarginRow, 'grossMarginPercent' | 'grossMarginCents'> & { costedRevenueCents: number }>(
    `SELECT s.channel, s.currency, sum(s.units)::int AS units, sum(s.gross_cents - s.discount_cents)::bigint AS "revenueCents",
            coalesce(sum(s.units * c.cost_cents::bigint), 0)::bigint AS "costOfGoodsCents",
            coalesce(sum(s.gross_cents - s.discount_cents) FILTER (WHERE c.sku IS NOT NULL), 0)::bigint AS "costedRevenueCents",
            coalesce(sum(s.units) FILTER (WHERE c.sku IS NULL), 0)::int AS "unitsWithoutCost"
       FROM ${skuSalesSource(options.channels)} AS s
       LEFT JOIN product_costs AS c ON c.sku = s.sku AND c.currency = s.currency
      GROUP BY s.channel, s.currency
      ORDER BY s.channel, s.currency`,
    rangeParameters(range, options.channels, clock),
  );
  return rows.map(({ costedRevenueCents, ...row }) => {
    const grossMarginCents = costedRevenueCents - row.costOfGoodsCents;
    return { ...row, grossMarginCents, grossMarginPercent: costedRevenueCents === 0 ? null : round((grossMarginCents / costedRevenueCents) * 100, 2) };
  });
}

export async function averageOrderValueReport(db: SqlClient, clock: ReportClock, options: { range: DateRange; channels?: readonly string[] | null }): Promise<AverageOrderValueRow[]> {
  const range = checkRange(options.range);
  const rows = await db.query<Omit<AverageOrderValueRow, 'averageOrderValueCents'>>(
    `SELECT channel, currency, sum(orders)::int AS orders, sum(gross_cents - discount_cents)::bigint AS "revenueCents"
       FROM ${channelSalesSource(options.channels)} AS s
      GROUP BY GROUPING SETS ((channel, currency), (currency))
      ORDER BY channel NULLS FIRST, currency`,
    rangeParameters(range, options.channels, clock),
  );
  return rows.map((row) => ({ ...row, averageOrderValueCents: row.orders === 0 ? 0 : round(row.revenueCents / row.orders, 2) }));
}

function acquiredFilter(acquired: DateRange | null | undefined): { sql: string; parameters: unknown[] } {
  if (!acquired) return { sql: '', parameters: [] };
  const range = checkRange(acquired, 'acquired');
  return { sql: 'WHERE first_day BETWEEN $1::date AND $2::date', parameters: [range.from, range.to] };
}

export async function customerValueReport(db: SqlClient, options: { acquired?: DateRange | null }): Promise<CustomerValueRow[]> {
  const filter = acquiredFilter(options.acquired);
  return db.query<CustomerValueRow>(
    `SELECT first_channel AS "acquisitionChannel", currency, count(*)::int AS customers,
            count(*) FILTER (WHERE orders > 1)::int AS "repeatCustomers",
            round(count(*) FILTER (WHERE orders > 1)::numeric / count(*), 4) AS "repeatRate",
            round(avg(net_cents), 2) AS "lifetimeValueCents",
            round(avg(orders), 2) AS "averageOrders"
       FROM customer_summaries ${filter.sql}
      GROUP BY first_channel, currency
      ORDER BY first_channel, currency`,
    filter.parameters,
  );
}

export async function channelMigrationReport(db: SqlClient, options: { acquired?: DateRange | null }): Promise<ChannelMigrationRow[]> {
  const filter = acquiredFilter(options.acquired);
  return db.query<ChannelMigrationRow>(
    `WITH acquired AS (SELECT customer_id, first_channel FROM customer_summaries ${filter.sql}),
          per_channel AS (SELECT first_channel, count(*) AS customers FROM acquired GROUP BY first_channel)
     SELECT a.first_channel AS "firstChannel", l.channel AS "laterChannel", count(*)::int AS customers,
            round(count(*)::numeric / max(p.customers), 4) AS "shareOfAcquired", sum(l.orders)::int AS orders
       FROM acquired AS a
       JOIN customer_later_channels AS l ON l.customer_id = a.customer_id
       JOIN per_channel AS p ON p.first_channel = a.first_channel
      GROUP BY a.first_channel, l.channel
      ORDER BY a.first_channel, l.channel`,
    filter.parameters,
  );
}

/** Units per day of each SKU (all channels, or `channel`) over [from, to], zeros for days without sales. */
export async function dailyUnits(db: SqlClient, clock: ReportClock, options: { skus: readonly string[]; channel?: string | null; range: DateRange }): Promise<Map<string, number[]>> {
  const channels = options.channel ? [options.channel] : null;
  const rows = await db.query<{ sku: string; day: string; units: number }>(
    `SELECT sku, to_char(day, 'YYYY-MM-DD') AS day, sum(units)::int AS units
       FROM ${skuSalesSource(channels, channels ? '$5' : '$4')} AS s
      GROUP BY sku, day`,
    [options.range.from, options.range.to, today(clock), ...(channels ? [channels] : []), options.skus],
  );
  const length = daysBetween(options.range.from, options.range.to) + 1;
  const series = new Map(options.skus.map((sku) => [sku, new Array<number>(length).fill(0)]));
  for (const row of rows) {
    const values = series.get(row.sku);
    if (values) values[daysBetween(options.range.from, row.day)] = row.units;
  }
  return series;
}

/** The channels each SKU sold on over a range. */
export async function channelsOfSkus(db: SqlClient, skus: readonly string[], range: DateRange): Promise<Array<{ sku: string; channel: string }>> {
  return db.query(`SELECT DISTINCT sku, channel FROM daily_sku_sales WHERE sku = ANY($1::text[]) AND day BETWEEN $2::date AND $3::date ORDER BY sku, channel`, [skus, range.from, range.to]);
}

/** Units sold per SKU over a range (rollups and today's facts), best sellers first when `skus` is absent. */
export async function unitsSold(db: SqlClient, clock: ReportClock, options: { range: DateRange; skus?: readonly string[] | null; first: number }): Promise<Array<{ sku: string; units: number }>> {
  const bySku = options.skus && options.skus.length > 0;
  return db.query(
    `SELECT sku, sum(units)::int AS units FROM ${skuSalesSource(null, bySku ? '$4' : undefined)} AS s
      GROUP BY sku ORDER BY units DESC, sku LIMIT ${bySku ? '$5' : '$4'}`,
    [options.range.from, options.range.to, today(clock), ...(bySku ? [options.skus] : []), options.first],
  );
}

export function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}
