import { describe, expect, it } from 'vitest';
import { forecastDemand, forecastError, HELD_OUT_DAYS, holtWinters, seasonalNaive, weeklyTotals } from './forecast.ts';

/** A deterministic PRNG for noise. */
function noise(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648 - 0.5;
  };
}

const WEEK = [10, 6, 6, 7, 8, 12, 16];

describe('forecast', () => {
  it('Holt-Winters follows an exact weekly pattern on a trend (within 0.1 unit; the first week\'s indices absorb a little trend)', () => {
    const history = Array.from({ length: 70 }, (_, t) => WEEK[t % 7]! + 0.1 * t);
    const forecast = holtWinters(history, { alpha: 0.3, beta: 0.1, gamma: 0.2 }, 14);
    const expected = Array.from({ length: 14 }, (_, h) => WEEK[(70 + h) % 7]! + 0.1 * (70 + h));
    forecast.forEach((value, h) => expect(Math.abs(value - expected[h]!)).toBeLessThan(0.1));
  });

  it('recovers a weekly pattern with growth and noise better than seasonal naive, and says so', () => {
    const jitter = noise(42);
    // A year of a growing weekly rhythm with noise of ±2 units a day.
    const history = Array.from({ length: 364 }, (_, t) => Math.max(0, WEEK[t % 7]! * (1 + t / 364) + 4 * jitter()));
    const result = forecastDemand(history);
    expect(result.method).toBe('HOLT_WINTERS');
    expect(result.heldOutError.rmse).toBeLessThan(result.alternativeError!.rmse);
    expect(result.alternativeError!.method).toBe('SEASONAL_NAIVE');
    expect(result.parameters).not.toBeNull();
    expect(result.explanation).toMatch(/^Holt-Winters \(α=.*\) erred .* units\/day \(RMSE\) on the last 28 days against .* for seasonal naive; refitted on all 364 days\.$/);
    // Next 4 weeks: the true mean is WEEK × (1 + t/364) for t = 364…391.
    const truth = Array.from({ length: 28 }, (_, h) => WEEK[(364 + h) % 7]! * (1 + (364 + h) / 364));
    const error = forecastError('HOLT_WINTERS', truth, result.daily);
    expect(error.mae).toBeLessThan(1.5);
    // Better than repeating the last week of the noisy history would have done against the same truth.
    expect(error.rmse).toBeLessThan(forecastError('SEASONAL_NAIVE', truth, seasonalNaive(history, 28)).rmse);
    // Saturdays above Mondays, as in the pattern.
    expect(result.daily[(6 - (364 % 7) + 7) % 7]!).toBeGreaterThan(result.daily[(1 - (364 % 7) + 7) % 7]!);
    expect(weeklyTotals(result.daily)).toHaveLength(4);
  });

  it('keeps seasonal naive when it does as well (an exactly repeating week)', () => {
    const history = Array.from({ length: 70 }, (_, t) => WEEK[t % 7]!);
    const result = forecastDemand(history);
    expect(result.method).toBe('SEASONAL_NAIVE');
    expect(result.heldOutError).toEqual({ method: 'SEASONAL_NAIVE', mae: 0, smape: 0, rmse: 0 });
    expect(result.daily.slice(0, 7)).toEqual(WEEK);
  });

  it('errors: MAE and sMAPE by hand', () => {
    // |10−8| + 0 + |4−6| = 4 over 3 days; sMAPE (2·2/18 + 0 + 2·2/10) / 3 = 20.741 %; RMSE √(8/3).
    expect(forecastError('SEASONAL_NAIVE', [10, 0, 4], [8, 0, 6])).toEqual({ method: 'SEASONAL_NAIVE', mae: 1.333, smape: 20.741, rmse: 1.633 });
  });

  it('with too little history, repeats the last week or the average and shows no held-out error', () => {
    expect(seasonalNaive([1, 2, 3, 4, 5, 6, 7, 8], 3)).toEqual([2, 3, 4]);
    const short = forecastDemand([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 7);
    expect(short.method).toBe('SEASONAL_NAIVE');
    expect(short.daily).toEqual([4, 5, 6, 7, 8, 9, 10]);
    expect(short.explanation).toContain(`at least ${HELD_OUT_DAYS + 7} are needed`);
    expect(forecastDemand([3, 3], 2).daily).toEqual([3, 3]);
    expect(forecastDemand([], 2).daily).toEqual([0, 0]);
  });
});
