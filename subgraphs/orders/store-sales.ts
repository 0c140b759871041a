import type { Database } from '../../kit/database.ts';
import type { Logger } from '../../kit/logger.ts';
import { Follower, readPages } from '../../kit/follower.ts';
import { RETRY_EVERY_FAILURE, ServiceClient, type ServiceClientOptions } from '../platform-common/service-client.ts';
import type { OrderBook } from './services/order-book.ts';

const STORE_SALES = `query PonteStoreSales($after: ID, $first: Int) {
  storeSales(after: $after, first: $first) { cursor reservationId channelId orderReference soldAt lines { sku quantity lineReference unitPriceCents } }
}`;

/** Federation's own entity lookup on the catalog, so it needs no query of its own (as insights reads cost prices). */
const LIST_PRICES = `query PonteStoreSalePrices($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on Product { sku price { amountInCents currency } } }
}`;

/**
 * The currency of a store's till: Ponte's stores are in Brazil and their tills send cents without a
 * currency, which the order book records as reais (its default). A catalog price in another currency
 * is not converted: such a line stays unpriced, with a warning.
 */
const STORE_CURRENCY = 'BRL';

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
  /**
   * The catalog, called with the orders service's own key, for the list price of a line the till
   * sent without one. Absent: such a line is recorded at 0, as no price is known.
   */
  catalog?: ServiceClientOptions | undefined;
  /** @default 2000 */
  pollIntervalMs?: number;
  /** @default 100 */
  pageSize?: number;
}

const FEED = 'inventory-store-sales';

/**
 * Makes each sale a store's till records in the inventory (recordSale on a POINT_OF_SALE channel)
 * a canonical Order (platform `pos`, FULFILLED, keyed by channel + the till's order reference,
 * each line at the till's unit price, else the catalog's list price),
 * reading the inventory's store sales on from a watermark kept here: a restart misses none, and one
 * read twice is recorded once (recordChannelOrder's key).
 */
export class StoreSaleFeed {
  readonly #options: StoreSaleFeedOptions;
  readonly #log: Logger;
  readonly #client: ServiceClient;
  readonly #catalog: ServiceClient | undefined;
  readonly #follower: Follower;

  constructor(options: StoreSaleFeedOptions) {
    this.#options = options;
    this.#log = options.log.child({ component: 'store-sale-feed' });
    this.#client = new ServiceClient('inventory', options.inventory, RETRY_EVERY_FAILURE);
    this.#catalog = options.catalog
      ? new ServiceClient('catalog', options.catalog, RETRY_EVERY_FAILURE)
      : undefined;
    const pageSize = options.pageSize ?? 100;
    this.#follower = new Follower({
      feed: 'the store sales',
      log: this.#log,
      pollIntervalMs: options.pollIntervalMs ?? 2000,
      catchUp: (stopped) => readPages(() => this.readOnce(), pageSize, stopped),
    });
  }

  start(): void {
    void this.#follower.start();
  }

  stop(): Promise<void> {
    return this.#follower.stop();
  }

  /** Records every sale after the watermark, a page at a time; resolves to how many it read. */
  catchUp(): Promise<number> {
    return this.#follower.catchUp();
  }

  /** Records one page of sales after the watermark, then moves it. Returns how many it read. */
  async readOnce(): Promise<number> {
    const { db, orders } = this.#options;
    const [mark] = await db.query<{ last: string }>('SELECT last_id::text AS last FROM feed_watermarks WHERE feed = $1', [FEED]);
    const data = await this.#client.request<{ storeSales: StoreSale[] }>(STORE_SALES, { after: mark?.last ?? null, first: this.#options.pageSize ?? 100 });
    // Read before any sale of the page is recorded: the catalog down fails the page, which is read
    // again from the same watermark, rather than recording its sales at 0.
    const listPrices = await this.#listPrices(data.storeSales.flatMap((sale) => sale.lines.filter((line) => line.unitPriceCents === null).map((line) => line.sku)));
    for (const sale of data.storeSales) {
      await orders.record({
        channel: sale.channelId,
        platform: 'pos',
        platformOrderId: sale.orderReference,
        status: 'FULFILLED',
        currency: STORE_CURRENCY,
        placedAt: sale.soldAt,
        updatedAt: sale.soldAt,
        lines: sale.lines.map((line, index) => ({
          lineId: line.lineReference ?? String(index + 1),
          sku: line.sku,
          quantity: line.quantity,
          // The till's price is what the shopper paid (a discount at the till, a price changed
          // since): it wins. Without one, the catalog's list price, read seconds after the sale, is
          // the price the shelf showed; an order at 0 would under-count the store's revenue.
          unitPriceCents: line.unitPriceCents ?? listPrices.get(line.sku) ?? null,
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

  /** The catalog's list price (cents, in the store's currency) of each SKU that has one. */
  async #listPrices(skus: readonly string[]): Promise<Map<string, number>> {
    const prices = new Map<string, number>();
    const unique = [...new Set(skus)];
    if (unique.length === 0) return prices;
    if (!this.#catalog) {
      this.#log.warn({ skus: unique }, 'store sale lines without a till price, and no catalog to price them: recorded at 0');
      return prices;
    }
    const data = await this.#catalog.request<{ _entities: Array<{ sku: string; price: { amountInCents: number; currency: string } | null } | null> }>(
      LIST_PRICES,
      { representations: unique.map((sku) => ({ __typename: 'Product', sku })) },
    );
    for (const product of data._entities) {
      if (product?.price?.currency === STORE_CURRENCY) prices.set(product.sku, product.price.amountInCents);
    }
    const unpriced = unique.filter((sku) => !prices.has(sku));
    if (unpriced.length > 0) this.#log.warn({ skus: unpriced }, `store sale lines without a till price and no catalog price in ${STORE_CURRENCY}: recorded at 0`);
    return prices;
  }
}
