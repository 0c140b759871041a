import type { Database, SqlClient } from '../../../kit/database.ts';
import { Follower } from '../../../kit/follower.ts';
import type { Logger } from '../../../kit/logger.ts';
import type { OrderStatus } from '../models.ts';
import type { CustomerChange, CustomerDirectory } from '../customer-directory.ts';
import { appendOrderEvent } from '../repositories/order-repository.ts';

export interface CustomerLinksOptions {
  /** @default 5000 */
  pollIntervalMs?: number;
  /** @default 100 */
  batchSize?: number;
}

/**
 * Keeps the orders' customer links in step with the customers subgraph, by polling its
 * `customerChanges` feed from the last change applied (a watermark in this database, so a restart
 * or a second replica neither skips nor repeats one):
 * - CUSTOMER_ERASED: the orders lose the link (they keep their lines and totals; `customer` is null);
 * - CUSTOMERS_MERGED: the absorbed profile's orders move to the survivor, remembering where they were;
 * - CUSTOMERS_UNMERGED: exactly the orders that merge moved go back to the profile split off again.
 *   Orders recorded on the survivor while the merge stood stay there: which person placed them is
 *   the customers subgraph's to say (it keeps the contacts), and it answers again on their next update.
 * The feed is polled rather than LISTENed to: the customers subgraph may run on another database.
 */
export class CustomerLinks {
  readonly #db: Database;
  readonly #directory: CustomerDirectory;
  readonly #log: Logger;
  readonly #batchSize: number;
  readonly #follower: Follower;

  constructor(db: Database, directory: CustomerDirectory, log: Logger, options: CustomerLinksOptions = {}) {
    this.#db = db;
    this.#directory = directory;
    this.#log = log.child({ component: 'customer-links' });
    this.#batchSize = options.batchSize ?? 100;
    this.#follower = new Follower({
      feed: 'the customers\' changes',
      log: this.#log,
      pollIntervalMs: options.pollIntervalMs ?? 5000,
      catchUp: (stopped) => this.#applyNew(stopped),
    });
  }

  start(): void {
    if (this.#directory.changes) void this.#follower.start();
  }

  stop(): Promise<void> {
    return this.#follower.stop();
  }

  /** Applies every change published so far; resolves to how many were applied. */
  catchUp(): Promise<number> {
    return this.#directory.changes ? this.#follower.catchUp() : Promise.resolve(0);
  }

  async #applyNew(stopped: () => boolean): Promise<number> {
    let applied = 0;
    for (;;) {
      const changes = await this.#directory.changes!(await this.#watermark(), this.#batchSize);
      for (const change of changes) if (await this.#apply(change)) applied += 1;
      if (changes.length < this.#batchSize || stopped()) return applied;
    }
  }

  async #watermark(): Promise<string | null> {
    const [row] = await this.#db.query<{ last: string }>('SELECT last_change_id::text AS last FROM customer_changes_applied');
    return row?.last ?? null;
  }

  async #apply(change: CustomerChange): Promise<boolean> {
    return this.#db.transaction(async (tx) => {
      await tx.query('INSERT INTO customer_changes_applied (last_change_id) VALUES (0) ON CONFLICT (singleton) DO NOTHING');
      const [{ last } = { last: '0' }] = await tx.query<{ last: string }>('SELECT last_change_id::text AS last FROM customer_changes_applied FOR UPDATE');
      if (BigInt(change.id) <= BigInt(last)) return false;
      const touched = await relink(tx, change);
      for (const order of touched) await appendOrderEvent(tx, this.#db.schema, { orderId: order.id, channelId: order.channelId, kind: 'UPDATED', status: order.status });
      await tx.query('UPDATE customer_changes_applied SET last_change_id = $1', [change.id]);
      this.#log.info({ changeId: change.id, kind: change.kind, customerId: change.customerId, otherCustomerId: change.otherCustomerId, orders: touched.length }, 'customer change applied to orders');
      return true;
    });
  }
}

type Touched = Array<{ id: string; channelId: string; status: OrderStatus }>;
const RETURNING = 'RETURNING id::text AS id, channel_id AS "channelId", status';

async function relink(tx: SqlClient, change: CustomerChange): Promise<Touched> {
  switch (change.kind) {
    case 'CUSTOMER_ERASED': {
      // Also forgets the erased profile as a merge's origin: an unmerge never links an order back to it.
      const unlinked = await tx.query<Touched[number]>(`UPDATE orders SET customer_id = NULL, customer_before_merge = NULL, changed_at = now() WHERE customer_id = $1 ${RETURNING}`, [change.customerId]);
      await tx.query('UPDATE orders SET customer_before_merge = NULL WHERE customer_before_merge = $1', [change.customerId]);
      return unlinked;
    }
    case 'CUSTOMERS_MERGED':
      if (!change.otherCustomerId) return [];
      return tx.query<Touched[number]>(
        `UPDATE orders SET customer_id = $1, customer_before_merge = coalesce(customer_before_merge, $2), changed_at = now() WHERE customer_id = $2 ${RETURNING}`,
        [change.customerId, change.otherCustomerId],
      );
    case 'CUSTOMERS_UNMERGED':
      if (!change.otherCustomerId) return [];
      return tx.query<Touched[number]>(
        `UPDATE orders SET customer_id = $2, customer_before_merge = NULL, changed_at = now() WHERE customer_id = $1 AND customer_before_merge = $2 ${RETURNING}`,
        [change.customerId, change.otherCustomerId],
      );
    default:
      return [];
  }
}
