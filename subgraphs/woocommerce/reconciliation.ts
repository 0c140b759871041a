/**
 * The safety net under WooCommerce's webhooks. WooCommerce core sends each webhook once and
 * never retries it (a failure only counts toward disabling the webhook), so an order whose
 * webhook hit a restart or a network blip would otherwise never reach the canonical inventory.
 * This sweep reads the orders changed since a persisted watermark (`GET /orders?modified_after=`)
 * and puts each into the same inbox the webhooks use; the inbox key makes an order already
 * received a no-op. When the store is down the sweep fails, is logged, and the next one
 * starts from the same watermark: nothing is skipped, and the work converges once it is back.
 */
import type { Inbox } from '../platform-common/inbox.ts';
import type { Database } from '../../kit/database.ts';
import type { Logger } from '../../kit/logger.ts';
import type { WooCommerceClient } from './client.ts';
import { receiveOrder } from './webhooks.ts';

const WATERMARK = 'woocommerce.orders.modified_after';

export interface OrderReconcilerOptions {
  client: WooCommerceClient;
  inbox: Inbox;
  db: Database;
  log: Logger;
  /** Pause between sweeps; 0 runs none unless `start` is given one. @default 60000 */
  intervalMs?: number;
  /**
   * How far before the watermark each sweep reads again: WooCommerce's dates have whole
   * seconds, `modified_after` is strict, and the store's clock is not ours. @default 300000
   */
  overlapMs?: number;
  now?: () => number;
}

export interface SweepResult {
  ordersSeen: number;
  ordersStored: number;
  watermark: string;
}

/** WooCommerce's GMT date format, `YYYY-MM-DDTHH:MM:SS`. */
function wooDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19);
}

function parseWooDate(value: string): number {
  return Date.parse(`${value.slice(0, 19)}Z`);
}

export class OrderReconciler {
  readonly #options: OrderReconcilerOptions;
  readonly #log: Logger;
  readonly #now: () => number;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<unknown> | undefined;
  #stopped = true;

  constructor(options: OrderReconcilerOptions) {
    this.#options = options;
    this.#log = options.log.child({ component: 'order-reconciler' });
    this.#now = options.now ?? Date.now;
  }

  /**
   * Sets the watermark to now on the first start. Orders from before Ponte was connected are
   * not imported: their stock already left the count the canonical inventory started from.
   */
  async initialise(): Promise<void> {
    await this.#options.db.query(`INSERT INTO platform_state (name, value) VALUES ($1, $2::jsonb) ON CONFLICT (name) DO NOTHING`, [WATERMARK, JSON.stringify(wooDate(this.#now()))]);
  }

  async watermark(): Promise<string> {
    await this.initialise();
    const [row] = await this.#options.db.query<{ value: string }>('SELECT value FROM platform_state WHERE name = $1', [WATERMARK]);
    return row!.value;
  }

  /** One sweep; rejects when the store cannot be read (the watermark then stays where it was). */
  async sweep(): Promise<SweepResult> {
    const watermark = await this.watermark();
    const since = wooDate(parseWooDate(watermark) - (this.#options.overlapMs ?? 300_000));
    const orders = await this.#options.client.ordersModifiedAfter(since);
    let stored = 0;
    let newest = watermark;
    for (const order of orders) {
      if (await receiveOrder(this.#options.inbox, order)) stored++;
      const modified = order.date_modified_gmt?.slice(0, 19);
      if (modified && modified > newest) newest = modified;
    }
    if (newest !== watermark) {
      // Only forward: two sweeps racing (two replicas) cannot move it back.
      await this.#options.db.query(
        `UPDATE platform_state SET value = $2::jsonb, updated_at = now() WHERE name = $1 AND value #>> '{}' < $3`,
        [WATERMARK, JSON.stringify(newest), newest],
      );
    }
    if (stored > 0) this.#log.info({ since, ordersSeen: orders.length, ordersStored: stored }, 'orders missed by webhooks recovered');
    return { ordersSeen: orders.length, ordersStored: stored, watermark: newest };
  }

  /** Sweeps now and then every `intervalMs`, until `stop`. */
  start(intervalMs = this.#options.intervalMs ?? 60_000): void {
    if (!this.#stopped || intervalMs <= 0) return;
    this.#stopped = false;
    const tick = async () => {
      try {
        await this.sweep();
      } catch (error) {
        this.#log.warn({ err: error }, 'order sweep failed; the next one starts from the same watermark');
      }
      if (!this.#stopped) this.#timer = setTimeout(() => void (this.#running = tick()), intervalMs).unref();
    };
    this.#running = tick();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#running;
  }
}
