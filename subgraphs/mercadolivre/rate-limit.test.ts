/**
 * The client's application bucket against the sandbox's (the same arithmetic Mercado Livre
 * applies: requests counted as they arrive), on virtual time, with requests delayed on their way
 * as a busy machine delays them. Before the bucket kept requests in flight out of its capacity,
 * requests sent while Mercado Livre's bucket was full arrived late and wasted its refill, and a
 * later, faster request was refused: the order storm's one `429` per run.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TokenBucket as PlatformBucket } from '../../sandboxes/common/token-bucket.ts';
import { createPlatformFetch } from '../platform-common/platform-fetch.ts';
import { applicationLimiter } from './client.ts';
import { seededRandom } from '../../demo/random.ts';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));


interface Storm {
  rate: { perHour: number; burst: number };
  /** Concurrent callers, each sending `requests` one after another. */
  callers: number;
  requests: number;
  /** Milliseconds on the way there and back for the n-th request sent. */
  delays: (n: number) => [there: number, back: number];
  /** What an earlier process of the same application spent before this one started. */
  spentBefore?: number;
}

/** Runs the callers through one client limiter against one platform bucket; returns the 429s. */
async function runStorm(storm: Storm): Promise<{ answered: number; refused: number; elapsedMs: number }> {
  const started = Date.now();
  // The sandbox reads whole milliseconds (Date.now); the client reads a clock with another origin
  // and fractions, as performance.now() is.
  const platform = new PlatformBucket(storm.rate.burst, storm.rate.perHour / 3600, () => Date.now());
  for (let spent = 0; spent < (storm.spentBefore ?? 0); spent++) platform.tryTake(1);
  const limiter = applicationLimiter(storm.rate, { now: () => Date.now() - started + 0.37 });
  let sent = 0;
  let refused = 0;
  let answered = 0;
  const platformFetch = createPlatformFetch({
    limiter,
    maxAttempts: 1,
    fetch: async () => {
      const [there, back] = storm.delays(sent++);
      await sleep(there);
      const allowed = platform.tryTake(1);
      await sleep(back);
      return new Response(null, { status: allowed ? 200 : 429 });
    },
  });
  const callers = Array.from({ length: storm.callers }, async () => {
    for (let request = 0; request < storm.requests; request++) {
      const response = await platformFetch('https://api.mercadolibre.com/items/MLB1', { method: 'PUT', operation: 'updateItem' });
      if (response.status === 429) refused++;
      else answered++;
    }
  });
  let finished = false;
  const all = Promise.all(callers).finally(() => (finished = true));
  while (!finished) await vi.advanceTimersByTimeAsync(7);
  await all;
  return { answered, refused, elapsedMs: Date.now() - started };
}

describe("Mercado Livre's application rate limit", () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date', 'performance'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('is never exceeded when requests sent while the platform had tokens arrive late and later ones arrive fast', async () => {
    // Five callers each send at once (the platform's bucket is full): those five take 300 ms to
    // arrive. Everything after travels in 1 ms, so the sixth would overtake them and find a token
    // the late five then lack.
    const result = await runStorm({
      rate: { perHour: 18_000, burst: 5 },
      callers: 5,
      requests: 4,
      delays: (n) => (n < 5 ? [300, 1] : [1, 1]),
    });
    expect(result).toMatchObject({ answered: 20, refused: 0 });
  });

  it('is never exceeded under jittered delays on a busy machine, within the rate it allows', async () => {
    const next = seededRandom(9);
    const rate = { perHour: 18_000, burst: 20 };
    const result = await runStorm({
      rate,
      callers: 8,
      requests: 50,
      delays: () => [1 + Math.floor(next() * 400), 1 + Math.floor(next() * 60)],
    });
    expect(result).toMatchObject({ answered: 400, refused: 0 });
    // The reserve costs little: 400 requests at 5 a second after a start from empty take about 80 s.
    expect(result.elapsedMs).toBeLessThan(((400 / (rate.perHour / 3600)) * 1.15 + 2) * 1000);
  });

  it('is not exceeded by a process started again after the one before spent the budget', async () => {
    const result = await runStorm({
      rate: { perHour: 18_000, burst: 10 },
      callers: 4,
      requests: 5,
      delays: () => [2, 2],
      spentBefore: 10,
    });
    expect(result).toMatchObject({ answered: 20, refused: 0 });
  });
});
