/**
 * Daily demand forecasting: additive Holt-Winters with a weekly season against a seasonal-naive
 * baseline, each judged on a held-out period.
 *
 * Written here rather than taken from npm: the JavaScript packages that implement Holt-Winters
 * (`holtwinters` 0.0.1, `nostradamus` 0.1.0) are single releases untouched for a decade, without
 * tests or parameter fitting. The method is a few recurrences (Hyndman & Athanasopoulos,
 * "Forecasting: Principles and Practice", 3rd ed., §8.3, additive method), tested in forecast.test.ts.
 */

export const SEASON_LENGTH = 7;
/** The last 4 weeks of history are held out to choose the method and its parameters. */
export const HELD_OUT_DAYS = 28;
/** The forecast reaches 4 weeks ahead. */
export const HORIZON_DAYS = 28;

export type ForecastMethodName = 'HOLT_WINTERS' | 'SEASONAL_NAIVE';

export interface ForecastError {
  method: ForecastMethodName;
  /** Mean absolute error, units per day. */
  mae: number;
  /** Symmetric MAPE in percent (0–200); a day where both actual and forecast are 0 counts as 0. */
  smape: number;
  /** Root mean squared error, units per day: what the methods and parameters are chosen by. */
  rmse: number;
}

export interface HoltWintersParameters {
  alpha: number;
  beta: number;
  gamma: number;
}

export interface DemandForecastResult {
  method: ForecastMethodName;
  /** One value per day from the day after the history ends, `horizon` days long; never below 0. */
  daily: number[];
  heldOutError: ForecastError;
  alternativeError: ForecastError | null;
  parameters: HoltWintersParameters | null;
  /** Why this method (or why no choice could be made). */
  explanation: string;
}

const ALPHAS = [0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.8];
// Small: a trend fitted on four weeks and carried four weeks ahead amplifies noise.
const BETAS = [0, 0.01, 0.02, 0.05];
const GAMMAS = [0.05, 0.1, 0.2, 0.3, 0.5];

/**
 * Fits additive Holt-Winters (period `SEASON_LENGTH`) to `history` and forecasts `horizon` days.
 * Initial state from the first season: level its mean, seasonal indices its deviations from it,
 * trend flat. The usual start (the change between the first two seasons' means) is noise for a
 * SKU selling a unit or two a day, and with a small β it stays: a series that happened to start
 * with a good week was forecast at 0 for ever after.
 */
export function holtWinters(history: readonly number[], parameters: HoltWintersParameters, horizon: number): number[] {
  const m = SEASON_LENGTH;
  if (history.length < 2 * m) throw new Error(`Holt-Winters needs at least ${2 * m} days of history, got ${history.length}`);
  const mean = (from: number) => history.slice(from, from + m).reduce((sum, value) => sum + value, 0) / m;
  let level = mean(0);
  let trend = 0;
  const season = history.slice(0, m).map((value) => value - level);
  const { alpha, beta, gamma } = parameters;
  for (let t = m; t < history.length; t++) {
    const value = history[t]!;
    const seasonal = season[t % m]!;
    const previousLevel = level;
    level = alpha * (value - seasonal) + (1 - alpha) * (level + trend);
    trend = beta * (level - previousLevel) + (1 - beta) * trend;
    season[t % m] = gamma * (value - level) + (1 - gamma) * seasonal;
  }
  const n = history.length;
  return Array.from({ length: horizon }, (_, h) => Math.max(0, level + (h + 1) * trend + season[(n + h) % m]!));
}

/** Each day as the same weekday of the last week of history. */
export function seasonalNaive(history: readonly number[], horizon: number): number[] {
  const m = SEASON_LENGTH;
  if (history.length < m) throw new Error(`Seasonal naive needs at least ${m} days of history, got ${history.length}`);
  const lastWeek = history.slice(history.length - m);
  return Array.from({ length: horizon }, (_, h) => lastWeek[h % m]!);
}

export function forecastError(method: ForecastMethodName, actual: readonly number[], forecast: readonly number[]): ForecastError {
  let absolute = 0;
  let squared = 0;
  let symmetric = 0;
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i]!;
    const f = forecast[i]!;
    absolute += Math.abs(a - f);
    squared += (a - f) ** 2;
    symmetric += a === 0 && f === 0 ? 0 : (2 * Math.abs(a - f)) / (Math.abs(a) + Math.abs(f));
  }
  return { method, mae: round(absolute / actual.length), smape: round((symmetric / actual.length) * 100), rmse: round(Math.sqrt(squared / actual.length)) };
}

/** The Holt-Winters parameters with the least squared error on `heldOut`, forecast from `training`. */
export function fitHoltWinters(training: readonly number[], heldOut: readonly number[]): { parameters: HoltWintersParameters; error: ForecastError } {
  let best: { parameters: HoltWintersParameters; error: ForecastError } | undefined;
  for (const alpha of ALPHAS) {
    for (const beta of BETAS) {
      for (const gamma of GAMMAS) {
        const parameters = { alpha, beta, gamma };
        const error = forecastError('HOLT_WINTERS', heldOut, holtWinters(training, parameters, heldOut.length));
        if (!best || error.rmse < best.error.rmse) best = { parameters, error };
      }
    }
  }
  return best!;
}

/**
 * The forecast for `horizon` days after `history` (daily units, oldest first): both methods are
 * fitted on all but the last `HELD_OUT_DAYS` and judged on them by root mean squared error; the
 * winner (Holt-Winters only if strictly better) is refitted on the whole history, its
 * parameters kept. Squared rather than absolute error: for a SKU that sells a unit every few
 * days, the forecast with the least absolute error is 0 (the median day), which would never
 * restock it; the least squared error follows the mean. Too short a history for a held-out period falls back to seasonal naive, or to
 * the mean of what there is, and says so.
 */
export function forecastDemand(history: readonly number[], horizon = HORIZON_DAYS): DemandForecastResult {
  const m = SEASON_LENGTH;
  if (history.length < HELD_OUT_DAYS + m) {
    const n = history.length;
    const average = n === 0 ? 0 : history.reduce((sum, value) => sum + value, 0) / n;
    const daily = n >= m ? seasonalNaive(history, horizon) : new Array<number>(horizon).fill(average);
    const method: ForecastMethodName = 'SEASONAL_NAIVE';
    return {
      method,
      daily,
      heldOutError: { method, mae: 0, smape: 0, rmse: 0 },
      alternativeError: null,
      parameters: null,
      explanation: `Only ${n} days of history: at least ${HELD_OUT_DAYS + m} are needed to hold out ${HELD_OUT_DAYS} days and compare methods, so ${n >= m ? 'the last week repeats' : 'the daily average repeats'} and no held-out error is known (shown as 0).`,
    };
  }
  const training = history.slice(0, history.length - HELD_OUT_DAYS);
  const heldOut = history.slice(history.length - HELD_OUT_DAYS);
  const naiveError = forecastError('SEASONAL_NAIVE', heldOut, seasonalNaive(training, HELD_OUT_DAYS));
  const canFitHoltWinters = training.length >= 2 * m;
  const fitted = canFitHoltWinters ? fitHoltWinters(training, heldOut) : undefined;
  if (fitted && fitted.error.rmse < naiveError.rmse) {
    return {
      method: 'HOLT_WINTERS',
      daily: holtWinters(history, fitted.parameters, horizon).map(round),
      heldOutError: fitted.error,
      alternativeError: naiveError,
      parameters: fitted.parameters,
      explanation: `Holt-Winters (α=${fitted.parameters.alpha}, β=${fitted.parameters.beta}, γ=${fitted.parameters.gamma}) erred ${fitted.error.rmse} units/day (RMSE) on the last ${HELD_OUT_DAYS} days against ${naiveError.rmse} for seasonal naive; refitted on all ${history.length} days.`,
    };
  }
  return {
    method: 'SEASONAL_NAIVE',
    daily: seasonalNaive(history, horizon),
    heldOutError: naiveError,
    alternativeError: fitted?.error ?? null,
    parameters: null,
    explanation: fitted
      ? `Seasonal naive erred ${naiveError.rmse} units/day (RMSE) on the last ${HELD_OUT_DAYS} days, Holt-Winters at best ${fitted.error.rmse}: the simpler method is kept.`
      : `Seasonal naive: ${training.length} days before the held-out period are too few to fit Holt-Winters (${2 * m} needed).`,
  };
}

/** Sums of 7 consecutive days. */
export function weeklyTotals(daily: readonly number[]): number[] {
  const weeks: number[] = [];
  for (let start = 0; start + SEASON_LENGTH <= daily.length; start += SEASON_LENGTH) {
    weeks.push(round(daily.slice(start, start + SEASON_LENGTH).reduce((sum, value) => sum + value, 0)));
  }
  return weeks;
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
