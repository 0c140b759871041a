import type { Database } from '../../kit/database.ts';
import type { Logger } from '../../kit/logger.ts';

export interface RetentionPolicy {
  /**
   * How long outbox events are kept after they were written: long enough for any consumer that
   * was down to catch up, short enough that the table stays small.
   * @default 7 days
   */
  stockEventsDays?: number;
  /**
   * How long an idempotency key answers a replay. Webhook redeliveries and client retries happen
   * within hours; a month leaves a wide margin.
   * @default 30 days
   */
  idempotencyKeysDays?: number;
  /** @default 1 hour */
  intervalMs?: number;
}

/** Deletes what the retention policy no longer needs, periodically; the ledger itself is kept forever. */
export function startHousekeeping(db: Database, log: Logger, policy: RetentionPolicy = {}): () => void {
  const prune = async () => {
    try {
      const events = await db.query(`DELETE FROM stock_events WHERE occurred_at < now() - make_interval(days => $1) RETURNING id`, [policy.stockEventsDays ?? 7]);
      const keys = await db.query(`DELETE FROM idempotency_keys WHERE created_at < now() - make_interval(days => $1) RETURNING key`, [policy.idempotencyKeysDays ?? 30]);
      if (events.length || keys.length) log.info({ component: 'housekeeping', stockEvents: events.length, idempotencyKeys: keys.length }, 'pruned');
    } catch (error) {
      log.error({ component: 'housekeeping', err: error }, 'pruning failed');
    }
  };
  const timer = setInterval(() => void prune(), policy.intervalMs ?? 3_600_000);
  timer.unref();
  return () => clearInterval(timer);
}
