import type { SqlClient } from '../../kit/database.ts';
import { ErrorCode, PonteError } from '../../kit/errors.ts';
import { forecastDemand, HORIZON_DAYS, weeklyTotals, type DemandForecastResult, type ForecastError } from './forecast.ts';
import { addDays, channelsOfSkus, dailyUnits, round, today, unitsSold, type ReportClock } from './reports.ts';
import type { LocationStock, StockSource } from './stock.ts';

/** How far back a forecast looks: a year, so the weekly pattern has been seen many times. */
export const HISTORY_DAYS = 364;
/** SKUs per forecast or restock question: each is a model fit per channel. */
export const MAX_FORECAST_SKUS = 100;
/** @default 14 days from order to stock on the shelf */
export const DEFAULT_LEAD_TIME_DAYS = 14;

export interface DemandSettings {
  /** Days from placing a purchase order to having the stock, per SKU. */
  leadTimes: Record<string, number>;
  defaultLeadTimeDays: number;
}

export interface DemandForecastRow {
  sku: string;
  channel: string | null;
  method: DemandForecastResult['method'];
  weeks: Array<{ starting: string; units: number }>;
  heldOutError: ForecastError;
  alternativeError: ForecastError | null;
  historyDays: number;
  alpha: number | null;
  beta: number | null;
  gamma: number | null;
  explanation: string;
}

export interface StockCoverRow {
  sku: string;
  location: string | null;
  onHand: number;
  unitsSold: number;
  sellThrough: number;
  averageDailyUnits: number;
  daysOfStockLeft: number | null;
  explanation: string;
}

export interface RestockSuggestionRow {
  sku: string;
  location: string;
  leadTimeDays: number;
  forecastDemand: number;
  safetyStock: number;
  freeStock: number;
  incoming: number;
  suggestedQuantity: number;
  explanation: string;
}

export type ChurnRiskLevel = 'LOW' | 'MEDIUM' | 'HIGH';

export interface ChurnRiskRow {
  customerId: string;
  level: ChurnRiskLevel;
  score: number;
  daysSinceLastOrder: number;
  usualIntervalDays: number;
  orders: number;
  explanation: string;
}

function checkSkus(skus: readonly string[], field = 'skus'): string[] {
  const unique = [...new Set(skus)];
  if (unique.length === 0) throw new PonteError(ErrorCode.BAD_USER_INPUT, `${field} needs at least one SKU`, { field });
  if (unique.length > MAX_FORECAST_SKUS) throw new PonteError(ErrorCode.BAD_USER_INPUT, `${field} holds ${unique.length} SKUs; at most ${MAX_FORECAST_SKUS} per question`, { field });
  return unique;
}

/** Daily history up to yesterday (today is not over), its leading days before the first sale left out. */
function trimmedHistory(series: readonly number[]): number[] {
  const firstSale = series.findIndex((units) => units > 0);
  return firstSale < 0 ? [] : series.slice(firstSale);
}

function historyRange(clock: ReportClock) {
  const to = addDays(today(clock), -1);
  return { from: addDays(to, -(HISTORY_DAYS - 1)), to };
}

function forecastRow(sku: string, channel: string | null, history: number[], clock: ReportClock): DemandForecastRow {
  const result = forecastDemand(history, HORIZON_DAYS);
  const start = today(clock);
  return {
    sku,
    channel,
    method: result.method,
    weeks: weeklyTotals(result.daily).map((units, week) => ({ starting: addDays(start, week * 7), units })),
    heldOutError: result.heldOutError,
    alternativeError: result.alternativeError,
    historyDays: history.length,
    alpha: result.parameters?.alpha ?? null,
    beta: result.parameters?.beta ?? null,
    gamma: result.parameters?.gamma ?? null,
    explanation: result.explanation,
  };
}

/** The next 4 weeks of demand per SKU × channel (every channel the SKU sold on in the last year, unless `channels` names them). */
export async function demandForecasts(db: SqlClient, clock: ReportClock, options: { skus: readonly string[]; channels?: readonly string[] | null }): Promise<DemandForecastRow[]> {
  const skus = checkSkus(options.skus);
  const range = historyRange(clock);
  const pairs = options.channels && options.channels.length > 0
    ? skus.flatMap((sku) => [...new Set(options.channels)].map((channel) => ({ sku, channel })))
    : await channelsOfSkus(db, skus, range);
  const channels = [...new Set(pairs.map((pair) => pair.channel))].sort();
  const seriesByChannel = new Map<string, Map<string, number[]>>();
  for (const channel of channels) seriesByChannel.set(channel, await dailyUnits(db, clock, { skus, channel, range }));
  return pairs.map(({ sku, channel }) => forecastRow(sku, channel, trimmedHistory(seriesByChannel.get(channel)?.get(sku) ?? []), clock));
}

/**
 * Sell-through and cover per SKU × location, with a row per SKU for every location together.
 * Orders do not record the location they shipped from yet, so a location's figures set its own
 * stock against the SKU's sales on every channel ("if it alone served the demand").
 */
export async function stockCover(db: SqlClient, clock: ReportClock, stock: StockSource, options: { skus?: readonly string[] | null; days: number; first: number }): Promise<StockCoverRow[]> {
  if (!Number.isInteger(options.days) || options.days < 1 || options.days > 366) throw new PonteError(ErrorCode.BAD_USER_INPUT, `days must be from 1 to 366, got ${options.days}`, { field: 'days' });
  if (!Number.isInteger(options.first) || options.first < 1 || options.first > 500) throw new PonteError(ErrorCode.BAD_USER_INPUT, `first must be from 1 to 500, got ${options.first}`, { field: 'first' });
  const to = today(clock);
  const range = { from: addDays(to, -(options.days - 1)), to };
  const named = options.skus && options.skus.length > 0 ? [...new Set(options.skus)].slice(0, options.first) : null;
  const sold = await unitsSold(db, clock, { range, skus: named, first: options.first });
  const soldBySku = new Map(sold.map((row) => [row.sku, row.units]));
  const skus = named ?? sold.map((row) => row.sku);
  const levels = await stock.stockOf(skus);
  const rows: StockCoverRow[] = [];
  for (const sku of skus) {
    const units = soldBySku.get(sku) ?? 0;
    const daily = units / options.days;
    const cover = (onHand: number, location: string | null): StockCoverRow => ({
      sku,
      location,
      onHand,
      unitsSold: units,
      sellThrough: units + onHand === 0 ? 0 : round(units / (units + onHand), 4),
      averageDailyUnits: round(daily, 3),
      daysOfStockLeft: daily === 0 ? null : round(onHand / daily, 1),
      explanation: `${units} units sold on every channel in the ${options.days} days to ${to} (${round(daily, 3)}/day); ${onHand} on hand ${location ? `at ${location}` : 'across every location'} now.${daily === 0 ? ' No sales: the stock does not run out at this pace.' : ''}`,
    });
    const own = levels.filter((level) => level.sku === sku).sort((a, b) => (a.location < b.location ? -1 : 1));
    rows.push(cover(own.reduce((sum, level) => sum + level.onHand, 0), null));
    for (const level of own) rows.push(cover(level.onHand, level.location));
  }
  return rows;
}

/**
 * What to order per SKU × location. The SKU's demand over its lead time (forecast over every
 * channel) is shared evenly among the locations that stock it — orders do not record the shipping
 * location yet — and each location asks for what its share, plus its safety stock, leaves uncovered
 * by its free stock and what is already incoming.
 */
export async function restockSuggestions(
  db: SqlClient,
  clock: ReportClock,
  stock: StockSource,
  settings: DemandSettings,
  options: { skus: readonly string[]; locations?: readonly string[] | null; leadTimeDays?: number | null },
): Promise<RestockSuggestionRow[]> {
  const skus = checkSkus(options.skus);
  if (options.leadTimeDays != null && (!Number.isInteger(options.leadTimeDays) || options.leadTimeDays < 1 || options.leadTimeDays > 365)) {
    throw new PonteError(ErrorCode.BAD_USER_INPUT, `leadTimeDays must be from 1 to 365, got ${options.leadTimeDays}`, { field: 'leadTimeDays' });
  }
  const range = historyRange(clock);
  const series = await dailyUnits(db, clock, { skus, range });
  const levels = await stock.stockOf(skus);
  const rows: RestockSuggestionRow[] = [];
  for (const sku of skus) {
    const leadTimeDays = options.leadTimeDays ?? settings.leadTimes[sku] ?? settings.defaultLeadTimeDays;
    const forecast = forecastDemand(trimmedHistory(series.get(sku) ?? []), leadTimeDays);
    const demand = forecast.daily.reduce((sum, units) => sum + units, 0);
    const holding = levels.filter((level) => level.sku === sku).sort((a, b) => (a.location < b.location ? -1 : 1));
    const share = holding.length === 0 ? 0 : demand / holding.length;
    for (const level of holding) {
      if (options.locations && options.locations.length > 0 && !options.locations.includes(level.location)) continue;
      rows.push(suggestion(sku, level, leadTimeDays, share, holding.length, demand, forecast.method));
    }
  }
  return rows;
}

function suggestion(sku: string, level: LocationStock, leadTimeDays: number, share: number, locations: number, demand: number, method: string): RestockSuggestionRow {
  const freeStock = level.onHand - level.committed;
  const needed = share + level.safetyStock - freeStock - level.incoming;
  const suggestedQuantity = Math.max(0, Math.ceil(round(needed, 3)));
  return {
    sku,
    location: level.location,
    leadTimeDays,
    forecastDemand: round(share, 2),
    safetyStock: level.safetyStock,
    freeStock,
    incoming: level.incoming,
    suggestedQuantity,
    explanation: `Forecast (${method}) of ${round(demand, 2)} units over ${leadTimeDays} days on every channel, shared by ${locations} location(s) holding ${sku}: ${round(share, 2)} here; + safety stock ${level.safetyStock} − free stock ${freeStock} (on hand ${level.onHand} − committed ${level.committed}) − incoming ${level.incoming} = ${round(needed, 2)} → order ${suggestedQuantity}.`,
  };
}

/**
 * Churn risk per customer from recency against the customer's own rhythm: how many of their usual
 * intervals have passed since their last order. A one-order customer has no rhythm of their own
 * yet, so the median interval of repeat customers stands in (30 days when there are none).
 * Levels: HIGH from 3 intervals, MEDIUM from 1.5; the score grows as 1 − e^−(ratio − 1).
 */
export async function churnRisk(db: SqlClient, clock: ReportClock, options: { first: number; minimumRisk?: ChurnRiskLevel | null }): Promise<ChurnRiskRow[]> {
  if (!Number.isInteger(options.first) || options.first < 1 || options.first > 1000) throw new PonteError(ErrorCode.BAD_USER_INPUT, `first must be from 1 to 1000, got ${options.first}`, { field: 'first' });
  const minimumRatio = options.minimumRisk === 'HIGH' ? 3 : options.minimumRisk === 'MEDIUM' ? 1.5 : 0;
  const rows = await db.query<{ customerId: string; orders: number; daysSince: number; ownInterval: number | null; usualInterval: number }>(
    `WITH typical AS (
       SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY (last_day - first_day)::float8 / (orders - 1)) AS days
         FROM customer_summaries WHERE orders > 1
     ), customers AS (
       SELECT customer_id, orders, ($1::date - last_day) AS days_since,
              CASE WHEN orders > 1 THEN (last_day - first_day)::float8 / (orders - 1) END AS own_interval
         FROM customer_summaries
     ), rated AS (
       SELECT c.*, greatest(coalesce(c.own_interval, t.days, 30), 1) AS usual_interval FROM customers AS c CROSS JOIN typical AS t
     )
     SELECT customer_id AS "customerId", orders, days_since AS "daysSince", own_interval AS "ownInterval", usual_interval AS "usualInterval"
       FROM rated WHERE days_since / usual_interval >= $2
      ORDER BY days_since / usual_interval DESC, customer_id
      LIMIT $3`,
    [today(clock), minimumRatio, options.first],
  );
  return rows.map((row) => {
    const ratio = row.daysSince / row.usualInterval;
    const level: ChurnRiskLevel = ratio >= 3 ? 'HIGH' : ratio >= 1.5 ? 'MEDIUM' : 'LOW';
    const usual = round(row.usualInterval, 1);
    return {
      customerId: row.customerId,
      level,
      score: round(1 - Math.exp(-Math.max(0, ratio - 1)), 3),
      daysSinceLastOrder: row.daysSince,
      usualIntervalDays: usual,
      orders: row.orders,
      explanation: `${row.daysSince} days since the last of ${row.orders} order(s); ${row.ownInterval === null ? `one order only, so the usual interval is repeat customers' median, ${usual} days` : `usually ${usual} days between orders`}: ${round(ratio, 2)} intervals have passed (${level}: MEDIUM from 1.5, HIGH from 3).`,
    };
  });
}
