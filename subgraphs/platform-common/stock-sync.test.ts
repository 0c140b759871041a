import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.ts';
import { createLogger } from '../../kit/logger.ts';
import { migrate } from '../../kit/migrate.ts';
import { StockSync, type ListingQuantity, type ListingQuantityPusher, type PushResult } from './stock-sync.ts';

/** The queue half of channel sync, against a real database and a scripted platform. */
let testDb: TestDatabase;
const log = createLogger('test');

class ScriptedPlatform implements ListingQuantityPusher {
  readonly batchSize = 2;
  readonly calls: ListingQuantity[][] = [];
  readonly shown = new Map<string, number>();
  answer: (item: ListingQuantity) => PushResult = (item) => ({ sku: item.sku, outcome: 'PUSHED' });

  async push(batch: readonly ListingQuantity[]): Promise<PushResult[]> {
    this.calls.push([...batch]);
    return batch.map((item) => {
      const result = this.answer(item);
      if (result.outcome === 'PUSHED') this.shown.set(item.sku, item.quantity);
      return result;
    });
  }

  async read(skus: readonly string[]): Promise<Map<string, number | null>> {
    return new Map(skus.map((sku) => [sku, this.shown.get(sku) ?? null]));
  }
}

let platform: ScriptedPlatform;
let sync: StockSync;

beforeAll(async () => {
  testDb = await createTestDatabase('sync');
  await migrate(testDb.db, new URL('./migrations', import.meta.url).pathname);
});
afterAll(async () => {
  await testDb?.drop();
});
beforeEach(async () => {
  await testDb.db.query('DELETE FROM listing_sync');
  platform = new ScriptedPlatform();
  sync = new StockSync({ db: testDb.db, log, channel: 'web', inventoryUrl: 'http://127.0.0.1:1/graphql', pusher: platform, maxAttempts: 3, maxBackoffMs: 1, gatherMs: 0 });
});

async function settle(): Promise<void> {
  // Retries wait at most a millisecond here; drain until nothing is due.
  for (let round = 0; round < 20; round++) {
    await new Promise((resolve) => setTimeout(resolve, 5));
    await sync.drain();
    if ((await sync.status()).pending === 0) return;
  }
}

describe('channel sync queue', () => {
  it('pushes only the newest quantity per SKU, in the platform batch size', async () => {
    await sync.enqueue([{ sku: 'A', quantity: 5, stockVersion: 1 }]);
    await sync.enqueue([{ sku: 'A', quantity: 7, stockVersion: 3 }]);
    await sync.enqueue([{ sku: 'A', quantity: 6, stockVersion: 2 }, { sku: 'B', quantity: 1, stockVersion: 1 }, { sku: 'C', quantity: 0, stockVersion: 4 }]);
    await settle();
    expect(platform.shown).toEqual(new Map([['A', 7], ['B', 1], ['C', 0]]));
    expect(platform.calls.flat().filter((item) => item.sku === 'A').length).toBeLessThanOrEqual(2);
    expect(platform.calls.every((batch) => batch.length <= 2)).toBe(true);
    expect(await sync.status()).toEqual({ pending: 0, synced: 3, dead: 0 });
  });

  it('pushes a newer version with the same wanted quantity after a sale of the channel, which moved the listing', async () => {
    await testDb.db.query('DELETE FROM channel_order_lines');
    await sync.enqueue([{ sku: 'A', quantity: 5, stockVersion: 1 }]);
    await settle();
    // A sale on the platform itself (the intake records its line); the platform cannot be read.
    platform.shown.set('A', 3);
    await new Promise((resolve) => setTimeout(resolve, 5));
    await testDb.db.query(`INSERT INTO channel_order_lines (order_id, line_id, sku, quantity, state) VALUES ('o-1', '1', 'A', 2, 'EXCEPTION')`);
    await sync.enqueue([{ sku: 'A', quantity: 5, stockVersion: 2 }]);
    await settle();
    expect(platform.calls.flat()).toHaveLength(2);
    expect(platform.shown.get('A')).toBe(5);
  });

  it('does not write a newer version whose quantity is the one last written when the channel sold nothing since', async () => {
    await testDb.db.query('DELETE FROM channel_order_lines');
    await sync.enqueue([{ sku: 'A', quantity: 0, stockVersion: 1 }]);
    await settle();
    // Sold out, and sold out again as another channel's reservation moves the stock below it.
    await sync.enqueue([{ sku: 'A', quantity: 0, stockVersion: 2 }]);
    await settle();
    expect(platform.calls.flat()).toEqual([{ sku: 'A', quantity: 0, stockVersion: 1 }]);
    expect(await testDb.db.query(`SELECT status, pushed_version::int AS version FROM listing_sync WHERE sku = 'A'`)).toEqual([{ status: 'SYNCED', version: 2 }]);
  });

  it('retries what the platform throttles and keeps what keeps failing as a dead letter, to replay', async () => {
    platform.answer = (item) => ({ sku: item.sku, outcome: 'RETRY', error: 'HTTP 503' });
    await sync.enqueue([{ sku: 'A', quantity: 5, stockVersion: 1 }]);
    await settle();
    expect(platform.calls).toHaveLength(3);
    expect(await sync.deadLetters()).toEqual([expect.objectContaining({ sku: 'A', quantity: 5, attempts: 3, lastError: 'HTTP 503' })]);

    platform.answer = (item) => ({ sku: item.sku, outcome: 'PUSHED' });
    expect(await sync.replayDeadLetters()).toBe(1);
    await settle();
    expect(platform.shown.get('A')).toBe(5);
    expect(await sync.status()).toEqual({ pending: 0, synced: 1, dead: 0 });
  });

  it('sends a listing the pusher deferred (written moments ago) after the interval it names, without counting it as a failure', async () => {
    // maxAttempts 3: were a deferral a failure, the fourth would make it a dead letter; and its
    // backoff would grow (here the 60 s default, did it count).
    const deferring = new StockSync({ db: testDb.db, log, channel: 'web', inventoryUrl: 'http://127.0.0.1:1/graphql', pusher: platform, maxAttempts: 3, gatherMs: 0 });
    let deferrals = 0;
    platform.answer = (item) => (deferrals++ < 6 ? { sku: item.sku, outcome: 'RETRY', error: 'written moments ago', retryAfterMs: 20, deferred: true } : { sku: item.sku, outcome: 'PUSHED' });
    await deferring.enqueue([{ sku: 'A', quantity: 3, stockVersion: 1 }]);
    for (let round = 0; round < 200 && !platform.shown.has('A'); round++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      await deferring.drain();
      const [row] = await testDb.db.query<{ attempts: number }>(`SELECT attempts FROM listing_sync WHERE sku = 'A'`);
      expect(row!.attempts).toBe(0);
    }
    expect(platform.shown.get('A')).toBe(3);
    expect(platform.calls).toHaveLength(7);
    expect(await deferring.status()).toEqual({ pending: 0, synced: 1, dead: 0 });
    await deferring.stop();
  });

  it('holds new quantities while the platform does not answer, without a call, and pushes them once it answers again', async () => {
    let unreachable = true;
    const holding = new StockSync({ db: testDb.db, log, channel: 'web', inventoryUrl: 'http://127.0.0.1:1/graphql', pusher: platform, gatherMs: 0, platformUnreachable: () => unreachable });
    await holding.enqueue([{ sku: 'A', quantity: 4, stockVersion: 1 }]);
    await holding.drain();
    await holding.enqueue([{ sku: 'A', quantity: 3, stockVersion: 2 }, { sku: 'B', quantity: 1, stockVersion: 1 }]);
    await holding.drain();
    expect(platform.calls).toHaveLength(0);
    expect(await testDb.db.query(`SELECT sku FROM listing_sync WHERE waits_on_platform ORDER BY sku`)).toEqual([{ sku: 'A' }, { sku: 'B' }]);
    unreachable = false;
    expect(await holding.platformRecovered()).toBe(2);
    await holding.drain();
    expect(platform.shown).toEqual(new Map([['A', 3], ['B', 1]]));
    expect(await holding.status()).toEqual({ pending: 0, synced: 2, dead: 0 });
    await holding.stop();
  });

  it('gives up at once on what retrying cannot fix, and a newer quantity revives it', async () => {
    platform.answer = (item) => ({ sku: item.sku, outcome: 'FAILED', error: 'not listed on the platform' });
    await sync.enqueue([{ sku: 'GHOST', quantity: 2, stockVersion: 1 }]);
    await settle();
    expect(platform.calls).toHaveLength(1);
    expect((await sync.status()).dead).toBe(1);
    platform.answer = (item) => ({ sku: item.sku, outcome: 'PUSHED' });
    await sync.enqueue([{ sku: 'GHOST', quantity: 3, stockVersion: 2 }]);
    await settle();
    expect(platform.shown.get('GHOST')).toBe(3);
  });

  it('retries a whole batch when the platform call itself fails', async () => {
    let failures = 1;
    const push = platform.push.bind(platform);
    platform.push = async (batch) => {
      if (failures-- > 0) throw new Error('connection reset');
      return push(batch);
    };
    await sync.enqueue([{ sku: 'A', quantity: 1, stockVersion: 1 }, { sku: 'B', quantity: 2, stockVersion: 1 }]);
    await settle();
    expect(platform.shown).toEqual(new Map([['A', 1], ['B', 2]]));
  });

  it("pushes what failed for the platform's outage as soon as it answers again, not after the backoff; a listing's own failure keeps its backoff", async () => {
    let platformUp = false;
    platform.answer = (item) =>
      !platformUp
        ? { sku: item.sku, outcome: 'RETRY', error: 'HTTP 503', platformDown: true }
        : item.sku === 'OWN'
          ? { sku: item.sku, outcome: 'RETRY', error: 'variation gone; index refreshed' }
          : { sku: item.sku, outcome: 'PUSHED' };
    const patient = new StockSync({ db: testDb.db, log, channel: 'web', inventoryUrl: 'http://127.0.0.1:1/graphql', pusher: platform, maxAttempts: 20, gatherMs: 0 });
    await patient.enqueue([{ sku: 'A', quantity: 4, stockVersion: 1 }, { sku: 'B', quantity: 2, stockVersion: 1 }]);
    await patient.drain();
    expect(platform.calls.flat().map((item) => item.sku).sort()).toEqual(['A', 'B']);
    platformUp = true;
    await patient.enqueue([{ sku: 'OWN', quantity: 1, stockVersion: 1 }]);
    await patient.drain();
    // A long outage: by now their backoff has them wait minutes.
    await testDb.db.query(`UPDATE listing_sync SET next_attempt_at = now() + interval '5 minutes'`);
    await patient.drain();
    expect(platform.shown.size).toBe(0);

    expect(await patient.platformRecovered()).toBe(2);
    await patient.drain();
    expect(platform.shown).toEqual(new Map([['A', 4], ['B', 2]]));
    expect(await patient.status()).toEqual({ pending: 1, synced: 2, dead: 0 });
    expect(platform.calls.flat().filter((item) => item.sku === 'OWN')).toHaveLength(1);
    await patient.stop();
  });

  it('after a restart, pushes what changed while it was down first, then checks the other listings, skipping those it just pushed', async () => {
    await sync.enqueue(['A', 'B', 'C', 'D', 'E'].map((sku) => ({ sku, quantity: 5, stockVersion: 1 })));
    await settle();
    // While the subgraph was down: A and B sold (the full read at start queues them), and the
    // platform was re-seeded, so D shows its seed quantity.
    platform.shown.set('D', 40);
    const restarted = new StockSync({ db: testDb.db, log, channel: 'web', inventoryUrl: 'http://127.0.0.1:1/graphql', pusher: platform, maxAttempts: 3, maxBackoffMs: 1, gatherMs: 0 });
    await restarted.enqueue([{ sku: 'A', quantity: 3, stockVersion: 2 }, { sku: 'B', quantity: 4, stockVersion: 2 }]);
    const events: string[] = [];
    const push = platform.push.bind(platform);
    const read = platform.read.bind(platform);
    platform.push = async (batch) => {
      events.push(`push ${batch.map((item) => item.sku).join(',')}`);
      return push(batch);
    };
    platform.read = async (skus) => {
      events.push(`read ${skus.join(',')}`);
      return read(skus);
    };
    const drift = await restarted.checkAfterStart();
    await restarted.drain();
    expect(events[0]).toBe('push A,B');
    expect(events.filter((event) => event.startsWith('read')).join(' ')).toBe('read C,D read E');
    expect(drift).toEqual([{ sku: 'D', expected: 5, actual: 40 }]);
    expect(platform.shown).toEqual(new Map([['A', 3], ['B', 4], ['C', 5], ['D', 5], ['E', 5]]));
    await restarted.stop();
  });

  it('with a gathering window, holds new quantities until it ends and pushes them in one batch', async () => {
    // A window far longer than the test: nothing goes out until the drain the window would start.
    const gathering = new StockSync({ db: testDb.db, log, channel: 'web', inventoryUrl: 'http://127.0.0.1:1/graphql', pusher: platform, gatherMs: 60_000 });
    try {
      await gathering.enqueue([{ sku: 'A', quantity: 5, stockVersion: 1 }]);
      await gathering.enqueue([{ sku: 'B', quantity: 2, stockVersion: 1 }]);
      expect(platform.calls).toHaveLength(0);
      await gathering.drain();
      expect(platform.calls).toEqual([[{ sku: 'A', quantity: 5, stockVersion: 1 }, { sku: 'B', quantity: 2, stockVersion: 1 }]]);
    } finally {
      await gathering.stop();
    }
  });

  it('reports listings edited on the platform and pushes the canonical quantity again', async () => {
    await sync.enqueue([{ sku: 'A', quantity: 4, stockVersion: 1 }, { sku: 'B', quantity: 9, stockVersion: 1 }]);
    await settle();
    platform.shown.set('B', 12);
    expect(await sync.reconcile()).toEqual([{ sku: 'B', expected: 9, actual: 12 }]);
    await settle();
    expect(platform.shown.get('B')).toBe(9);
  });
});

/** A platform that takes its own sales off its listings, as Mercado Livre and Amazon do. */
class SellingPlatform extends ScriptedPlatform {
  readonly reads: string[][] = [];
  readFails = false;
  readonly ownSales = {
    read: async (skus: readonly string[]) => {
      this.reads.push([...skus]);
      if (this.readFails) throw new Error('HTTP 503');
      return this.read(skus);
    },
    minListings: 1,
  };

  /** A sale on the platform: its listing goes down, and the channel's intake records the line. */
  async sell(sku: string, quantity: number, orderId: string): Promise<void> {
    this.shown.set(sku, (this.shown.get(sku) ?? 0) - quantity);
    // After the last write, also to a clock that counts in milliseconds.
    await new Promise((resolve) => setTimeout(resolve, 5));
    await testDb.db.query(`INSERT INTO channel_order_lines (order_id, line_id, sku, quantity, state) VALUES ($1, '1', $2, $3, 'RESERVED')`, [orderId, sku, quantity]);
  }
}

describe("the channel's own sales", () => {
  let selling: SellingPlatform;
  let syncing: StockSync;
  beforeEach(async () => {
    await testDb.db.query('DELETE FROM channel_order_lines');
    selling = new SellingPlatform();
    syncing = new StockSync({ db: testDb.db, log, channel: 'web', inventoryUrl: 'http://127.0.0.1:1/graphql', pusher: selling, gatherMs: 0, maxBackoffMs: 1 });
    await syncing.enqueue([{ sku: 'A', quantity: 5, stockVersion: 1 }, { sku: 'B', quantity: 5, stockVersion: 1 }]);
    await syncing.drain();
    expect(selling.calls.flat()).toHaveLength(2);
    selling.calls.length = 0;
  });
  afterEach(async () => {
    await syncing.stop();
  });

  it('are not written again where the listing shows the quantity already; the next change is written', async () => {
    await selling.sell('A', 2, 'o-1');
    await syncing.enqueue([{ sku: 'A', quantity: 3, stockVersion: 2 }]);
    await syncing.drain();
    expect(selling.reads).toEqual([['A']]);
    expect(selling.calls).toEqual([]);
    expect(await testDb.db.query(`SELECT status, pushed_quantity, pushed_version::int FROM listing_sync WHERE sku = 'A'`)).toEqual([{ status: 'SYNCED', pushed_quantity: 3, pushed_version: 2 }]);

    // Sold elsewhere: no sale of the channel since the read, so written without one.
    await syncing.enqueue([{ sku: 'A', quantity: 2, stockVersion: 3 }]);
    await syncing.drain();
    expect(selling.reads).toHaveLength(1);
    expect(selling.calls.flat()).toEqual([{ sku: 'A', quantity: 2, stockVersion: 3 }]);
    expect(selling.shown.get('A')).toBe(2);
  });

  it('are written where the listing shows another quantity: the read decides, not the assumption', async () => {
    await selling.sell('A', 1, 'o-1');
    selling.shown.set('A', 5); // a platform that did not take the sale off
    await syncing.enqueue([{ sku: 'A', quantity: 4, stockVersion: 2 }]);
    await syncing.drain();
    expect(selling.reads).toEqual([['A']]);
    expect(selling.calls.flat()).toEqual([{ sku: 'A', quantity: 4, stockVersion: 2 }]);
    expect(selling.shown.get('A')).toBe(4);
  });

  it('are written when the read fails, and a higher quantity is written without a read', async () => {
    await selling.sell('A', 1, 'o-1');
    selling.readFails = true;
    await syncing.enqueue([{ sku: 'A', quantity: 4, stockVersion: 2 }]);
    await syncing.drain();
    expect(selling.calls.flat()).toEqual([{ sku: 'A', quantity: 4, stockVersion: 2 }]);

    selling.readFails = false;
    selling.reads.length = 0;
    await selling.sell('B', 1, 'o-2');
    // B sold on the platform, but a return elsewhere raised the canonical quantity above the last write.
    await syncing.enqueue([{ sku: 'B', quantity: 6, stockVersion: 2 }]);
    await syncing.drain();
    expect(selling.reads).toEqual([]);
    expect(selling.shown.get('B')).toBe(6);
  });

  it('are read only when a claim holds as many listings as the read pays for, and lines older than the last write do not count', async () => {
    const pricey = new SellingPlatform();
    Object.assign(pricey.ownSales, { minListings: 2 });
    pricey.shown.set('A', 5);
    pricey.shown.set('B', 5);
    const sync2 = new StockSync({ db: testDb.db, log, channel: 'web', inventoryUrl: 'http://127.0.0.1:1/graphql', pusher: pricey, gatherMs: 0 });
    try {
      await pricey.sell('A', 1, 'o-1');
      await sync2.enqueue([{ sku: 'A', quantity: 4, stockVersion: 2 }]);
      await sync2.drain();
      expect(pricey.reads).toEqual([]);
      expect(pricey.calls.flat()).toEqual([{ sku: 'A', quantity: 4, stockVersion: 2 }]);

      // A's sale is older than its write now; B's is new: one candidate, still no read.
      await pricey.sell('B', 1, 'o-2');
      await sync2.enqueue([{ sku: 'A', quantity: 3, stockVersion: 3 }, { sku: 'B', quantity: 4, stockVersion: 2 }]);
      await sync2.drain();
      expect(pricey.reads).toEqual([]);

      await pricey.sell('A', 1, 'o-3');
      await pricey.sell('B', 1, 'o-4');
      await sync2.enqueue([{ sku: 'A', quantity: 2, stockVersion: 4 }, { sku: 'B', quantity: 3, stockVersion: 3 }]);
      await sync2.drain();
      expect(pricey.reads).toEqual([['A', 'B']]);
      expect(pricey.calls).toHaveLength(2);
      expect(await sync2.status()).toEqual({ pending: 0, synced: 2, dead: 0 });
    } finally {
      await sync2.stop();
    }
  });
});

describe('channel sync report', () => {
  it('gives counts and dead letters that agree', async () => {
    platform.answer = (item) => (item.sku === 'GHOST' ? { sku: item.sku, outcome: 'FAILED', error: 'not listed' } : { sku: item.sku, outcome: 'PUSHED' });
    await sync.enqueue([{ sku: 'GHOST', quantity: 2, stockVersion: 1 }, { sku: 'A', quantity: 1, stockVersion: 1 }]);
    await settle();
    const report = await sync.report();
    expect(report).toMatchObject({ pending: 0, synced: 1, dead: 1, oldestPendingAt: null, lastPushedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), lastError: 'not listed' });
    expect(report.deadLetters).toEqual([expect.objectContaining({ sku: 'GHOST', quantity: 2, attempts: 1, lastError: 'not listed' })]);
  });
});

describe('replaying dead letters', () => {
  it.each([
    ['a 101-character SKU', ['x'.repeat(101)], 'skus[0]'],
    ['a control character in a SKU', ['A', 'B\u0007'], 'skus[1]'],
    ['more than 1000 SKUs', Array.from({ length: 1001 }, (_, index) => `SKU-${index}`), 'skus'],
  ])('refuses %s with BAD_USER_INPUT and queues nothing', async (_name, skus, field) => {
    await sync.enqueue([{ sku: 'A', quantity: 1, stockVersion: 1 }]);
    platform.answer = (item) => ({ sku: item.sku, outcome: 'FAILED', error: 'not listed' });
    await settle();
    const dead = (await sync.status()).dead;
    await expect(sync.replayDeadLetters(skus)).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field } });
    expect((await sync.status()).dead).toBe(dead);
  });
});

describe('channel sync on two replicas', () => {
  it('pushes a listing from one replica at a time: a newer quantity waits for the push in flight', async () => {
    // The first replica's platform call for version 1 is held open until the test lets it answer.
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let inFlight = 0;
    let mostAtOnce = 0;
    const order: number[] = [];
    const pusher = (holdFirst: boolean): ListingQuantityPusher => ({
      batchSize: 1,
      async push(batch) {
        inFlight++;
        mostAtOnce = Math.max(mostAtOnce, inFlight);
        if (holdFirst && batch[0]!.stockVersion === 1) await held;
        order.push(batch[0]!.stockVersion!);
        inFlight--;
        return batch.map((item) => ({ sku: item.sku, outcome: 'PUSHED' as const }));
      },
    });
    const first = new StockSync({ db: testDb.db, log, channel: 'web', inventoryUrl: 'http://127.0.0.1:1/graphql', pusher: pusher(true) });
    const second = new StockSync({ db: testDb.db, log, channel: 'web', inventoryUrl: 'http://127.0.0.1:1/graphql', pusher: pusher(false) });
    await testDb.db.query(`INSERT INTO listing_sync (sku, quantity, stock_version) VALUES ('A', 5, 1)`);
    const firstDraining = first.drain();
    while (inFlight === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    // A newer quantity arrives (through the second replica's feed) while version 1 is being pushed.
    await second.enqueue([{ sku: 'A', quantity: 4, stockVersion: 2 }]);
    await second.drain();
    expect(order, 'the second replica pushed while the first was pushing').toEqual([]);
    release();
    await firstDraining;
    await second.drain();
    expect(mostAtOnce).toBe(1);
    // Version 2 went out after version 1 was answered, so the platform shows the newer quantity.
    expect(order).toEqual([1, 2]);
    expect(await sync.status()).toEqual({ pending: 0, synced: 1, dead: 0 });
  });

  it("keeps a slow push's claim while it lasts, and a worker that died holds its rows only one claim window", async () => {
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const pushed: string[] = [];
    const pusher = (name: string, hold: boolean): ListingQuantityPusher => ({
      batchSize: 1,
      async push(batch) {
        if (hold) await held;
        pushed.push(`${name} ${batch[0]!.sku}`);
        return batch.map((item) => ({ sku: item.sku, outcome: 'PUSHED' as const }));
      },
    });
    const slow = new StockSync({ db: testDb.db, log, channel: 'web', inventoryUrl: 'http://127.0.0.1:1/graphql', pusher: pusher('slow', true), claimMs: 400, gatherMs: 0 });
    const other = new StockSync({ db: testDb.db, log, channel: 'web', inventoryUrl: 'http://127.0.0.1:1/graphql', pusher: pusher('other', false), claimMs: 400, gatherMs: 0 });
    try {
      await testDb.db.query(`INSERT INTO listing_sync (sku, quantity, stock_version) VALUES ('A', 5, 1)`);
      const slowDraining = slow.drain();
      // Several windows pass while the slow push waits (for the platform's rate limit, say).
      await new Promise((resolve) => setTimeout(resolve, 1300));
      await other.drain();
      expect(pushed).toEqual([]);
      release();
      await slowDraining;
      expect(pushed).toEqual(['slow A']);

      // A worker killed mid-push left its claim behind: the row is free again after the window.
      await testDb.db.query(`INSERT INTO listing_sync (sku, quantity, stock_version, claimed_until) VALUES ('B', 2, 1, now() + interval '400 milliseconds')`);
      await other.drain();
      expect(pushed).toEqual(['slow A']);
      await new Promise((resolve) => setTimeout(resolve, 500));
      await other.drain();
      expect(pushed).toEqual(['slow A', 'other B']);
    } finally {
      release();
      await slow.stop();
      await other.stop();
    }
  });
});
