import { stringify } from 'csv-stringify';
import type { Database } from '../../kit/database.ts';
import { ErrorCode, PonteError } from '../../kit/errors.ts';
import { decodePrincipal } from '../../kit/identity.ts';
import type { Logger } from '../../kit/logger.ts';
import { PRINCIPAL_HEADER, type Scope } from '../../kit/principal.ts';
import type { HttpRoute, HttpRouteAnswer } from '../../kit/subgraph-server.ts';
import { churnRisk, demandForecasts, restockSuggestions, stockCover, type ChurnRiskLevel, type DemandSettings } from './demand.ts';
import {
  addDays, averageOrderValueReport, channelMigrationReport, checkRange, customerValueReport, daysBetween, grossMarginReport, salesReport,
  withReportMemory, type DateRange, type ReportClock, type SalesDimension,
} from './reports.ts';
import type { StockSource } from './stock.ts';

/**
 * CSV exports of every report, for BI tools to read as they are (Power BI, Looker Studio, Tableau,
 * Excel): RFC 4180 (CRLF, fields with a comma, quote or line break quoted, quotes doubled), UTF-8
 * with a byte order mark (so Excel and Power BI read "São Paulo" right), a header row, ISO dates,
 * a decimal point and no thousands separators; one row per fact. Money is in currency units with
 * two decimals beside its ISO 4217 code (the GraphQL API answers cents).
 *
 * BI tools call the gateway, `GET http://localhost:4000/insights/<report>.csv?...` with
 * `Authorization: Bearer <API key>` of a key with `insights:read`: the gateway authenticates the
 * caller, counts it against its rate limit, checks the scope (401, 429, 403) and forwards the
 * request here with the gateway secret and the principal it verified
 * (gateway/plugins/use-insights-exports.ts). This service answers only requests carrying the
 * gateway secret, and checks the forwarded principal's scope again.
 */
export const CSV_SCOPE: Scope = 'insights:read';
export const CSV_PATH_PREFIX = '/insights/';
/** Days of the sales export read per statement, so a long range streams in slices instead of one result in memory. */
const SALES_SLICE_DAYS = 31;

type Cell = string | number | null;
type Query = URLSearchParams;

interface CsvReport {
  columns: string[];
  rows(query: Query): AsyncIterable<Cell[]>;
}

const money = (cents: number | null) => (cents === null ? null : (cents / 100).toFixed(2));

function list(query: Query, name: string): string[] | null {
  const values = query.getAll(name).flatMap((value) => value.split(',')).map((value) => value.trim()).filter((value) => value !== '');
  return values.length > 0 ? values : null;
}

function range(query: Query, prefix = ''): DateRange {
  const from = query.get(prefix ? `${prefix}From` : 'from');
  const to = query.get(prefix ? `${prefix}To` : 'to');
  if (!from || !to) throw new PonteError(ErrorCode.BAD_USER_INPUT, `${prefix ? `${prefix}From and ${prefix}To` : 'from and to'} are required (ISO dates)`, { field: prefix || 'range' });
  return checkRange({ from, to }, prefix || 'range');
}

function optionalRange(query: Query, prefix: string): DateRange | null {
  return query.has(`${prefix}From`) || query.has(`${prefix}To`) ? range(query, prefix) : null;
}

function integer(query: Query, name: string, fallback: number): number {
  const value = query.get(name);
  if (value === null || value === '') return fallback;
  if (!/^\d+$/.test(value)) throw new PonteError(ErrorCode.BAD_USER_INPUT, `${name} must be a whole number, got "${value}"`, { field: name });
  return Number(value);
}

export function csvReports(options: { db: Database; clock: ReportClock; stock: StockSource; demand: DemandSettings }): Record<string, CsvReport> {
  const { db, clock, stock, demand } = options;
  return {
    sales: {
      columns: ['day', 'channel', 'sku', 'currency', 'orders', 'units', 'gross', 'discount', 'revenue'],
      async *rows(query) {
        const whole = range(query);
        const groupBy = (list(query, 'groupBy') ?? ['day', 'channel', 'product']).map((dimension) => dimension.toUpperCase());
        if (groupBy.some((dimension) => !['DAY', 'CHANNEL', 'PRODUCT'].includes(dimension))) {
          throw new PonteError(ErrorCode.BAD_USER_INPUT, `groupBy takes day, channel and product, got "${groupBy.join(',')}"`, { field: 'groupBy' });
        }
        // Grouped by day, slices of the range are independent: each is read and written before the next.
        const slices: DateRange[] = [];
        if (groupBy.includes('DAY')) {
          for (let from = whole.from; daysBetween(from, whole.to) >= 0; from = addDays(from, SALES_SLICE_DAYS)) {
            const end = addDays(from, SALES_SLICE_DAYS - 1);
            slices.push({ from, to: daysBetween(end, whole.to) < 0 ? whole.to : end });
          }
        } else slices.push(whole);
        for (const slice of slices) {
          for (const row of await withReportMemory(db, (client) => salesReport(client, clock, { range: slice, channels: list(query, 'channel'), groupBy: groupBy as SalesDimension[] }))) {
            yield [row.day, row.channel, row.sku, row.currency, row.orders, row.units, money(row.grossCents), money(row.discountCents), money(row.revenueCents)];
          }
        }
      },
    },
    'gross-margin': {
      columns: ['channel', 'currency', 'units', 'revenue', 'cost_of_goods', 'gross_margin', 'gross_margin_percent', 'units_without_cost'],
      async *rows(query) {
        for (const row of await withReportMemory(db, (client) => grossMarginReport(client, clock, { range: range(query), channels: list(query, 'channel') }))) {
          yield [row.channel, row.currency, row.units, money(row.revenueCents), money(row.costOfGoodsCents), money(row.grossMarginCents), row.grossMarginPercent, row.unitsWithoutCost];
        }
      },
    },
    'average-order-value': {
      columns: ['channel', 'currency', 'orders', 'revenue', 'average_order_value'],
      async *rows(query) {
        for (const row of await withReportMemory(db, (client) => averageOrderValueReport(client, clock, { range: range(query), channels: list(query, 'channel') }))) {
          yield [row.channel ?? 'all channels', row.currency, row.orders, money(row.revenueCents), money(row.averageOrderValueCents)];
        }
      },
    },
    'customer-value': {
      columns: ['acquisition_channel', 'currency', 'customers', 'repeat_customers', 'repeat_rate', 'lifetime_value', 'average_orders'],
      async *rows(query) {
        for (const row of await customerValueReport(db, { acquired: optionalRange(query, 'acquired') })) {
          yield [row.acquisitionChannel, row.currency, row.customers, row.repeatCustomers, row.repeatRate, money(row.lifetimeValueCents), row.averageOrders];
        }
      },
    },
    'channel-migration': {
      columns: ['first_channel', 'later_channel', 'customers', 'share_of_acquired', 'orders'],
      async *rows(query) {
        for (const row of await channelMigrationReport(db, { acquired: optionalRange(query, 'acquired') })) {
          yield [row.firstChannel, row.laterChannel, row.customers, row.shareOfAcquired, row.orders];
        }
      },
    },
    'stock-cover': {
      columns: ['sku', 'location', 'on_hand', 'units_sold', 'sell_through', 'average_daily_units', 'days_of_stock_left'],
      async *rows(query) {
        for (const row of await stockCover(db, clock, stock, { skus: list(query, 'sku'), days: integer(query, 'days', 28), first: integer(query, 'first', 200) })) {
          yield [row.sku, row.location ?? 'all locations', row.onHand, row.unitsSold, row.sellThrough, row.averageDailyUnits, row.daysOfStockLeft];
        }
      },
    },
    'demand-forecast': {
      columns: ['sku', 'channel', 'week_starting', 'forecast_units', 'method', 'held_out_rmse', 'held_out_mae', 'held_out_smape', 'alternative_method', 'alternative_rmse', 'alternative_mae', 'alternative_smape'],
      async *rows(query) {
        const skus = list(query, 'sku');
        if (!skus) throw new PonteError(ErrorCode.BAD_USER_INPUT, 'sku is required (one or more, comma-separated)', { field: 'sku' });
        for (const forecast of await demandForecasts(db, clock, { skus, channels: list(query, 'channel') })) {
          for (const week of forecast.weeks) {
            yield [forecast.sku, forecast.channel, week.starting, week.units, forecast.method, forecast.heldOutError.rmse, forecast.heldOutError.mae, forecast.heldOutError.smape,
              forecast.alternativeError?.method ?? null, forecast.alternativeError?.rmse ?? null, forecast.alternativeError?.mae ?? null, forecast.alternativeError?.smape ?? null];
          }
        }
      },
    },
    restock: {
      columns: ['sku', 'location', 'lead_time_days', 'forecast_demand', 'safety_stock', 'free_stock', 'incoming', 'suggested_quantity', 'explanation'],
      async *rows(query) {
        const skus = list(query, 'sku');
        if (!skus) throw new PonteError(ErrorCode.BAD_USER_INPUT, 'sku is required (one or more, comma-separated)', { field: 'sku' });
        const leadTimeDays = query.get('leadTimeDays') ? integer(query, 'leadTimeDays', 0) : null;
        for (const row of await restockSuggestions(db, clock, stock, demand, { skus, locations: list(query, 'location'), leadTimeDays })) {
          yield [row.sku, row.location, row.leadTimeDays, row.forecastDemand, row.safetyStock, row.freeStock, row.incoming, row.suggestedQuantity, row.explanation];
        }
      },
    },
    'churn-risk': {
      columns: ['customer_id', 'level', 'score', 'days_since_last_order', 'usual_interval_days', 'orders', 'explanation'],
      async *rows(query) {
        const minimum = query.get('minimumRisk')?.toUpperCase() ?? null;
        if (minimum !== null && !['LOW', 'MEDIUM', 'HIGH'].includes(minimum)) throw new PonteError(ErrorCode.BAD_USER_INPUT, `minimumRisk is LOW, MEDIUM or HIGH, got "${minimum}"`, { field: 'minimumRisk' });
        for (const row of await churnRisk(db, clock, { first: integer(query, 'first', 1000), minimumRisk: minimum as ChurnRiskLevel | null })) {
          yield [row.customerId, row.level, row.score, row.daysSinceLastOrder, row.usualIntervalDays, row.orders, row.explanation];
        }
      },
    },
  };
}

/** The rows as CSV text: a BOM, the header, then each record as it comes, CRLF after each. */
export function csvStream(columns: string[], rows: AsyncIterable<Cell[]>): AsyncIterable<string | Buffer> {
  const stringifier = stringify({ header: true, columns, bom: true, record_delimiter: 'windows' });
  void (async () => {
    try {
      for await (const row of rows) {
        if (!stringifier.write(row)) await new Promise((resolve) => stringifier.once('drain', resolve));
      }
      stringifier.end();
    } catch (error) {
      stringifier.destroy(error as Error);
    }
  })();
  return stringifier;
}

// No `WWW-Authenticate` here: callers present credentials to the gateway, which challenges them.
const refusal = (status: number, code: string, message: string): HttpRouteAnswer => ({ status, body: { error: { code, message } } });

/**
 * One route per report, for the gateway only (the gateway secret); the caller is the principal the
 * gateway forwards in `x-ponte-principal`. The first rows are produced before the answer starts,
 * so a bad parameter is a 400 with a JSON error rather than a broken file.
 */
export function csvRoutes(options: { reports: Record<string, CsvReport>; log: Logger }): HttpRoute[] {
  return Object.entries(options.reports).map(([name, report]) => ({
    method: 'GET' as const,
    path: `${CSV_PATH_PREFIX}${name}.csv`,
    requiresGatewaySecret: true,
    async handle({ headers, url }): Promise<HttpRouteAnswer> {
      const principal = decodePrincipal(headers.get(PRINCIPAL_HEADER));
      if (!principal) return refusal(401, ErrorCode.UNAUTHENTICATED, `${url.pathname} needs the caller's principal from the Ponte gateway`);
      if (!principal.scopes.includes(CSV_SCOPE)) return refusal(403, ErrorCode.FORBIDDEN, `${url.pathname} needs the ${CSV_SCOPE} scope`);
      const rows = report.rows(url.searchParams)[Symbol.asyncIterator]();
      let first: IteratorResult<Cell[]>;
      try {
        first = await rows.next();
      } catch (error) {
        if (error instanceof PonteError) return refusal(400, error.code, error.message);
        throw error;
      }
      async function* all(): AsyncIterable<Cell[]> {
        if (first.done) return;
        yield first.value;
        for (let next = await rows.next(); !next.done; next = await rows.next()) yield next.value;
      }
      options.log.info({ report: name, caller: principal.id }, 'CSV export');
      return {
        status: 200,
        headers: {
          'content-type': 'text/csv; charset=utf-8; header=present',
          'content-disposition': `attachment; filename="${name}.csv"`,
          'cache-control': 'no-store',
        },
        stream: csvStream(report.columns, all()),
      };
    },
  }));
}
