import type { Database } from '../../kit/database.ts';
import type { Logger } from '../../kit/logger.ts';
import { retryDelayMs } from '../platform-common/backoff.ts';
import { ServiceClient, type ServiceClientOptions } from '../platform-common/service-client.ts';
import type { OrderBook } from './services/order-book.ts';

const STORE_SALES = `query PonteStoreSales($after: ID, $first: Int) {
  storeSales(after: $after, first: $first) { cursor reservationId channelId orderReference soldAt lines { sku quantity lineReference unitPriceCents } }
}`;

interface StoreSale {
  cursor: string;
  reservationId: string;
  channelId: string;
  orderReference: string;
  soldAt: string;
  lines: Array<{ sku: string; quantity: number; lineReference: string | null; unitPriceCents: number | null }>;
}

export interface StoreSaleFeedOptions {
  db: Database;
  log: Logger;
  orders: OrderBook;
  /** The inventory, called with the orders service's own key. */
  inventory: ServiceClientOptions;
  /** @default 2000 */
  pollIntervalMs?: number;
  /** @default 100 */
  pageSize?: number;
}

const FEED = 'inventory-store-sales';

/**
 * Makes each sale a store's till records in the inventory (recordSale on a POINT_OF_SALE channel)
 * a canonical Order (platform `pos`, FULFILLED, keyed by channel + the till's order reference),
 * reading the inventory's store sales on from a watermark kept here: a restart misses none, and one
 * read twice is recorded once (recordChannelOrder's key).
 */
export class StoreSaleFeed {
  readonly #options: StoreSaleFeedOptions;
  readonly #log: Logger;
  readonly #client: ServiceClient;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #stopped = false;
  #failures = 0;

  constructor(options: StoreSaleFeedOptions) {
    this.#options = options;
    this.#log = options.log.child({ component: 'store-sale-feed' });
    this.#client = new ServiceClient('inventory', options.inventory, {
      expected: new Set(),
      rejection: (_code, message) => new Error(message),
      unavailable: (message, cause) => new Error(message, cause === undefined ? undefined : { cause }),
    });
  }

  start(): void {
    this.#schedule(0);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#running;
  }

  #schedule(delayMs: number): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.#running = this.#tick();
    }, delayMs);
    this.#timer.unref();
  }

  async #tick(): Promise<void> {
    let delay = this.#options.pollIntervalMs ?? 2000;
    try {
      if ((await this.readOnce()) >= (this.#options.pageSize ?? 100)) delay = 0;
      this.#failures = 0;
    } catch (error) {
      this.#failures += 1;
      delay = Math.max(delay, retryDelayMs(this.#failures, { baseMs: 1000, maxMs: 30_000 }));
      this.#log.warn({ err: error, retryInMs: delay }, 'could not read the store sales; reading on later from the same place');
    }
    this.#schedule(delay);
  }

  /** Records one page of sales after the watermark, then moves it. Returns how many it read. */
  async readOnce(): Promise<number> {
    const { db, orders } = this.#options;
    const [mark] = await db.query<{ last: string }>('SELECT last_id::text AS last FROM feed_watermarks WHERE feed = $1', [FEED]);
    const data = await this.#client.request<{ storeSales: StoreSale[] }>(STORE_SALES, { after: mark?.last ?? null, first: this.#options.pageSize ?? 100 });
    for (const sale of data.storeSales) {
      await orders.record({
        channel: sale.channelId,
        platform: 'pos',
        platformOrderId: sale.orderReference,
        status: 'FULFILLED',
        placedAt: sale.soldAt,
        updatedAt: sale.soldAt,
        lines: sale.lines.map((line, index) => ({
          lineId: line.lineReference ?? String(index + 1),
          sku: line.sku,
          quantity: line.quantity,
          unitPriceCents: line.unitPriceCents,
          reservationId: sale.reservationId,
        })),
      }, undefined);
    }
    const last = data.storeSales.at(-1);
    if (last) {
      await db.query(
        `INSERT INTO feed_watermarks (feed, last_id) VALUES ($1, $2::bigint)
         ON CONFLICT (feed) DO UPDATE SET last_id = GREATEST(feed_watermarks.last_id, excluded.last_id), updated_at = now()`,
        [FEED, last.cursor],
      );
    }
    return data.storeSales.length;
  }
}
