/**
 * The application's call budget kept in the database, against a platform bucket with the same
 * arithmetic as Mercado Livre's (requests counted as they arrive): a restarted process and two
 * replicas stay inside it, and a fresh deployment may use the platform's whole burst.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TokenBucket as PlatformBucket } from '../../sandboxes/common/token-bucket.ts';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.ts';
import { migrate } from '../../kit/migrate.ts';
import { CallBudget, URGENT_CALLS_ACTIVE_MS } from './call-budget.ts';
import { createPlatformFetch, TokenBucket, bucketLimiter, type RequestLimiter } from './platform-fetch.ts';

let testDb: TestDatabase;
const RATE = { ratePerSecond: 20, burst: 20 };
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  testDb = await createTestDatabase('call_budget');
  await migrate(testDb.db, new URL('./migrations', import.meta.url).pathname);
});
afterAll(async () => {
  await testDb?.drop();
});
beforeEach(async () => {
  await testDb.db.query('DELETE FROM platform_call_budgets');
});

/** `callers` callers, each sending `requests` one after another through `limiter`; the platform's answers. */
async function send(limiter: RequestLimiter, platform: Pick<PlatformBucket, 'tryTake'>, callers: number, requests: number): Promise<{ answered: number; refused: number }> {
  let answered = 0;
  let refused = 0;
  const platformFetch = createPlatformFetch({
    limiter,
    maxAttempts: 1,
    fetch: async () => {
      await sleep(2);
      const allowed = platform.tryTake(1);
      await sleep(1);
      return new Response(null, { status: allowed ? 200 : 429 });
    },
  });
  await Promise.all(
    Array.from({ length: callers }, async () => {
      for (let request = 0; request < requests; request++) {
        const response = await platformFetch('https://api.mercadolibre.com/items/MLB1', { method: 'PUT', operation: 'updateItem' });
        if (response.status === 429) refused++;
        else answered++;
      }
    }),
  );
  return { answered, refused };
}

describe('CallBudget', () => {
  it('lets a fresh deployment use the platform\'s whole burst at once', async () => {
    const platform = new PlatformBucket(RATE.burst, RATE.ratePerSecond);
    const budget = new CallBudget(testDb.db, { budget: 'mercadolivre:app-1', ...RATE });
    expect(await send(budget, platform, 18, 1)).toEqual({ answered: 18, refused: 0 });
    // All 18 went before the platform's refill could have paid for them: the burst was used.
    expect(platform.available).toBeLessThan(8);
  });

  it('goes on after a restart from what the process before it spent, where a bucket in memory overspends', async () => {
    const platform = new PlatformBucket(RATE.burst, RATE.ratePerSecond);
    expect(await send(new CallBudget(testDb.db, { budget: 'mercadolivre:app-1', ...RATE }), platform, 20, 1)).toEqual({ answered: 20, refused: 0 });
    // The process dies; the next one starts on the same database.
    const restarted = new CallBudget(testDb.db, { budget: 'mercadolivre:app-1', ...RATE });
    expect(await send(restarted, platform, 10, 3)).toEqual({ answered: 30, refused: 0 });

    // What the budget replaced, had it started full: the platform refuses its first burst.
    const other = new PlatformBucket(RATE.burst, RATE.ratePerSecond);
    await send(new CallBudget(testDb.db, { budget: 'mercadolivre:app-2', ...RATE }), other, 20, 1);
    const inMemory = await send(bucketLimiter(new TokenBucket(RATE.ratePerSecond, RATE.burst)), other, 10, 3);
    expect(inMemory.refused).toBeGreaterThan(0);
  });

  it('shares one budget between replicas', async () => {
    const platform = new PlatformBucket(RATE.burst, RATE.ratePerSecond);
    const replicas = [new CallBudget(testDb.db, { budget: 'mercadolivre:app-1', ...RATE }), new CallBudget(testDb.db, { budget: 'mercadolivre:app-1', ...RATE })];
    const results = await Promise.all(replicas.map((replica) => send(replica, platform, 4, 10)));
    expect(results).toEqual([
      { answered: 40, refused: 0 },
      { answered: 40, refused: 0 },
    ]);
  });

  it('empties the budget when the platform refuses a request for its limit', async () => {
    // Another process of the application (elsewhere) has spent the platform's bucket, up to the
    // moment our first request arrives (a slow first lease must not see a refilled token).
    const platform = new PlatformBucket(RATE.burst, RATE.ratePerSecond);
    let spentElsewhere = false;
    const spent = {
      tryTake: (tokens: number) => {
        if (!spentElsewhere) platform.tryTake(Math.floor(platform.available));
        spentElsewhere = true;
        return platform.tryTake(tokens);
      },
    };
    const budget = new CallBudget(testDb.db, { budget: 'mercadolivre:app-1', ...RATE });
    const first = await send(budget, spent, 1, 1);
    expect(first).toEqual({ answered: 0, refused: 1 });
    await budget.drain();
    const [row] = await testDb.db.query<{ tokens: number }>(`SELECT tokens FROM platform_call_budgets WHERE budget = 'mercadolivre:app-1'`);
    expect(Number(row!.tokens)).toBe(0);
    // From then on it paces at the platform's rate: nothing more is refused.
    expect(await send(budget, platform, 4, 5)).toEqual({ answered: 20, refused: 0 });
  });

  it('serves a waiting call of a higher priority before the ones that came earlier', async () => {
    const budget = new CallBudget(testDb.db, { budget: 'mercadolivre:app-1', ratePerSecond: 20, burst: 2, priorityOf: (operation) => (operation === 'getOrder' ? 1 : 2) });
    const granted: string[] = [];
    const call = async (operation: string) => {
      await budget.acquire(operation);
      granted.push(operation);
      budget.release(operation, 'answered');
    };
    // The burst goes to pushes; the rest wait for the refill (50 ms a token).
    const calls = [call('updateItem'), call('updateItem'), call('updateItem'), call('updateItem'), call('updateItem')];
    await sleep(5);
    calls.push(call('getOrder'));
    await Promise.all(calls);
    // At most the burst went before it (arrival order would put it last, sixth).
    expect(granted.indexOf('getOrder')).toBeLessThanOrEqual(2);
    expect(granted).toHaveLength(6);
  });

  /** A budget of 10 where order reads go first and pushes leave 6 for them; a call through it, answered at once. */
  const ordersFirst = (ratePerSecond: number) => {
    const budget = new CallBudget(testDb.db, { budget: 'mercadolivre:app-1', ratePerSecond, burst: 10, priorityOf: (operation) => (operation === 'getOrder' ? 1 : 2), reserveFor: (operation) => (operation === 'getOrder' ? 0 : 6) });
    return async (operation: string) => {
      await budget.acquire(operation);
      budget.release(operation, 'answered');
    };
  };

  it('keeps what an operation must leave for more urgent calls while they are made, and serves those from it at once', async () => {
    const call = ordersFirst(20);
    await call('getOrder');
    let pushes = 0;
    // Twelve pushes at once: at most three go from the nine left (less the clock's slack and the
    // token kept in hand), the rest wait for the refill above the reserve.
    const waiting = Array.from({ length: 12 }, () => call('updateItem').then(() => pushes++));
    await sleep(20);
    expect(pushes).toBeGreaterThanOrEqual(1);
    expect(pushes).toBeLessThanOrEqual(3);
    // An order read finds the reserve, though pushes came first and still wait.
    await call('getOrder');
    expect(pushes).toBeLessThan(12);
    await Promise.all(waiting);
  });

  it('lets the reserve go once no more urgent call has come for a while', async () => {
    const call = ordersFirst(1);
    await call('getOrder');
    let pushes = 0;
    const waiting = Array.from({ length: 8 }, () => call('updateItem').then(() => pushes++));
    await sleep(50);
    expect(pushes).toBeLessThanOrEqual(3);
    // Two seconds without an order read: the six held back are the pushes' (the refill alone, one a
    // second, would have let two more through by now).
    await sleep(URGENT_CALLS_ACTIVE_MS + 1000);
    expect(pushes).toBe(8);
    await Promise.all(waiting);
  }, 10_000);

  it('keeps one row per application', async () => {
    await send(new CallBudget(testDb.db, { budget: 'mercadolivre:app-1', ...RATE }), new PlatformBucket(RATE.burst, RATE.ratePerSecond), 5, 1);
    await send(new CallBudget(testDb.db, { budget: 'mercadolivre:app-2', ...RATE }), new PlatformBucket(RATE.burst, RATE.ratePerSecond), 2, 1);
    const rows = await testDb.db.query<{ budget: string; tokens: number }>('SELECT budget, tokens FROM platform_call_budgets ORDER BY budget');
    expect(rows.map((row) => row.budget)).toEqual(['mercadolivre:app-1', 'mercadolivre:app-2']);
    expect(Number(rows[0]!.tokens)).toBeLessThan(Number(rows[1]!.tokens));
  });
});
