import type { Database } from '../../kit/database.ts';
import type { Logger } from '../../kit/logger.ts';
import type { ListingPushQueue } from './stock-sync.ts';

/** `PONTE_QUEUE=pg-boss` (with `DATABASE_URL`) puts the listing pushes on pg-boss; else undefined: StockSync's own loop. */
export function listingQueueFromEnv(options: { db: Database; channel: string; log: Logger }, env: NodeJS.ProcessEnv = process.env): ListingPushQueue | undefined {
  const choice = env['PONTE_QUEUE']?.trim() || 'hand-written';
  if (choice === 'hand-written') return undefined;
  if (choice !== 'pg-boss') throw new Error(`PONTE_QUEUE=${choice} must be hand-written or pg-boss`);
  const url = env['DATABASE_URL'];
  if (!url || options.db.driver !== 'postgres') throw new Error('PONTE_QUEUE=pg-boss needs a PostgreSQL server (DATABASE_URL)');
  return pgBossListingQueue({ connectionString: url, schema: `${options.db.schema}_pgboss`, channel: options.channel, log: options.log });
}

/**
 * The listing pushes on pg-boss (https://pgboss.io), for the storm bench's comparison with
 * StockSync's own claim loop (README, "Queues: hand-written or pg-boss"). One job per SKU: the
 * `stately` policy with the SKU as `singletonKey` keeps at most one job queued and one running per
 * SKU, so a burst of changes to a listing waits as one job (docs/api/queues.md: "Only allows 1 job
 * per state, queued and/or active. Can be extended with singletonKey"); the job carries only the
 * SKU, and the push reads the latest wanted quantity from `listing_sync`.
 *
 * Retries stay StockSync's: the push schedules the next attempt itself (`startAfter`), since a
 * platform's Retry-After is per answer and pg-boss's backoff per queue, and a stately queue does not
 * retry a second failed job of a key while one waits in `retry` (same page: "consider a custom retry
 * implementation").
 *
 * Needs a PostgreSQL server (its own pool on `connectionString`): under `npm start` the services'
 * threads share one PGlite through `kit/shared-database.ts`, not a PGlite instance pg-boss's
 * `fromPglite` could wrap.
 */
export function pgBossListingQueue(options: { connectionString: string; schema: string; channel: string; log: Logger }): ListingPushQueue {
  const log = options.log.child({ component: 'listing-queue', queue: 'pg-boss' });
  const name = `listing-push-${options.channel}`.replace(/[^\w.-]/g, '-');
  let boss: import('pg-boss').PgBoss;
  let started: Promise<void> | undefined;

  return {
    async start(push, batchSize) {
      started = (async () => {
        // Loaded only when chosen: the default path does not pay for pg-boss's modules.
        const { PgBoss } = await import('pg-boss');
        boss = new PgBoss({ connectionString: options.connectionString, schema: options.schema, max: 4 });
        boss.on('error', (error) => log.warn({ err: error }, 'pg-boss error'));
        await boss.start();
        if (!(await boss.getQueue(name))) {
          // A crashed worker's job runs again after the claim window StockSync uses (30 s).
          await boss.createQueue(name, { policy: 'stately', retryLimit: 3, retryDelay: 1, retryBackoff: true, retryDelayMax: 60, expireInSeconds: 30, deleteAfterSeconds: 3600 });
        }
      })();
      await started;
      // As many SKUs a fetch as StockSync's own claim takes (four platform batches), and the next
      // fetch at once while fetches come back full: by default a worker waits its polling interval
      // after every fetch, which at Amazon's batch of one SKU was one push a second.
      await boss.work<{ sku: string }>(name, { batchSize: Math.max(4, batchSize * 4), burstWhenBatchFull: true, pollingIntervalSeconds: 1 }, async (jobs) => push(jobs.map((job) => job.data.sku)));
    },
    async schedule(skus, at) {
      await started;
      // A SKU whose job is already waiting is skipped by the stately unique index (ON CONFLICT DO NOTHING).
      await boss.insert(name, skus.map((sku) => ({ data: { sku }, singletonKey: sku, ...(at ? { startAfter: at } : {}) })));
    },
    async stop() {
      await started?.catch(() => {});
      await boss?.stop({ graceful: true, timeout: 5000 });
    },
  };
}
