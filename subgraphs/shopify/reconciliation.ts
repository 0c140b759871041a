/**
 * Shopify does not guarantee webhook delivery (and drops a subscription whose endpoint keeps
 * failing), and asks apps to reconcile: this job reads orders updated since a persisted
 * watermark and applies them through the same idempotent OrderSync as the webhooks. While
 * Shopify is down it backs off and tries again; once Shopify answers, Ponte converges.
 */
import type { OrderSync } from '../platform-common/order-sync.ts';
import type { Database } from '../../kit/database.ts';
import type { Logger } from '../../kit/logger.ts';
import type { ShopifyClient } from './client.ts';
import { channelOrdersFromAdminOrder, type AdminOrder } from './dictionary.ts';

const WATERMARK = 'shopify:orders-updated-at';
/** Orders per page and lines per order, sized so a page costs under Shopify's 1000-point ceiling. */
/** Five orders of up to 30 lines with their amounts cost about what 15 orders of lines alone did (see ORDERS_QUERY_COST). */
const PAGE_SIZE = 5;
const LINES_PER_ORDER = 30;
/** @default 60_000 */
export const DEFAULT_RECONCILE_INTERVAL_MS = 60_000;
/** How far back the very first run looks. @default 24 h */
export const DEFAULT_INITIAL_LOOKBACK_MS = 24 * 3600_000;
const MAX_BACKOFF_MS = 300_000;

const ORDERS_QUERY = `query OrdersUpdatedSince($query: String!, $after: String) {
  orders(first: ${PAGE_SIZE}, after: $after, sortKey: UPDATED_AT, query: $query) {
    nodes { id cancelledAt createdAt updatedAt currencyCode totalDiscountsSet { shopMoney { amount currencyCode } } totalShippingPriceSet { shopMoney { amount currencyCode } } totalTaxSet { shopMoney { amount currencyCode } } totalPriceSet { shopMoney { amount currencyCode } } shippingAddress { zip } email phone customer { id email phone firstName lastName } lineItems(first: ${LINES_PER_ORDER}) { nodes { id sku quantity unfulfilledQuantity originalUnitPriceSet { shopMoney { amount currencyCode } } totalDiscountSet { shopMoney { amount currencyCode } } } } }
    pageInfo { hasNextPage endCursor }
  }
}`;
/**
 * What Shopify charges up front for one page (https://shopify.dev/docs/api/usage/limits#cost-calculation:
 * an object costs 1, a connection 2 plus its `first` children): per order 1 + 10 (four MoneyBags
 * with their MoneyV2, the address, the customer) + 2 + 30 lines × 5 (the line and two MoneyBags
 * with their MoneyV2) = 163; 2 + 5 × 163 = 817, so a process that takes the bucket as empty waits
 * about as long for its first page as before the amounts were read.
 */
const ORDERS_QUERY_COST = 2 + PAGE_SIZE * (1 + 10 + 2 + LINES_PER_ORDER * 5);

export interface OrderReconcilerOptions {
  client: ShopifyClient;
  orderSync: OrderSync;
  db: Database;
  log: Logger;
  /** @default DEFAULT_RECONCILE_INTERVAL_MS */
  intervalMs?: number;
  /** @default DEFAULT_INITIAL_LOOKBACK_MS */
  initialLookbackMs?: number;
  /**
   * Points each page leaves in the cost bucket for the listing sync (what one of its pushes asks).
   * The sweep is a safety net for missed webhooks: after a storm of orders it pages through all of
   * them at 817 points a page, and taking the bucket whenever it held that much kept a push, which
   * needs more, waiting until the sweep was done (40 s in an order storm). @default 0
   */
  leaveForListingSync?: () => number;
}

export class OrderReconciler {
  readonly #options: OrderReconcilerOptions;
  readonly #log: Logger;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<number> | undefined;
  #failures = 0;
  #stopped = true;

  constructor(options: OrderReconcilerOptions) {
    this.#options = options;
    this.#log = options.log.child({ component: 'reconciliation' });
  }

  /** Runs now, then every interval; after a failure, sooner, with backoff and jitter. */
  start(intervalMs = this.#options.intervalMs ?? DEFAULT_RECONCILE_INTERVAL_MS): void {
    this.#stopped = false;
    const tick = async () => {
      try {
        await this.runOnce();
        this.#failures = 0;
      } catch (error) {
        this.#failures++;
        this.#log.warn({ err: error, failures: this.#failures }, 'order reconciliation failed; will retry');
      }
      if (this.#stopped) return;
      const delay = this.#failures === 0 ? intervalMs : Math.random() * Math.min(MAX_BACKOFF_MS, intervalMs, 500 * 2 ** this.#failures);
      this.#timer = setTimeout(() => void tick(), delay);
      this.#timer.unref();
    };
    void tick();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#running?.catch(() => {});
  }

  /** One pass; resolves to the number of orders applied. Concurrent callers share the pass. */
  runOnce(): Promise<number> {
    this.#running ??= this.#pass().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  async #pass(): Promise<number> {
    const since = (await this.#watermark()) ?? new Date(Date.now() - (this.#options.initialLookbackMs ?? DEFAULT_INITIAL_LOOKBACK_MS)).toISOString();
    let after: string | null = null;
    let applied = 0;
    do {
      const leave = this.#options.leaveForListingSync?.() ?? 0;
      if (leave > 0) await this.#options.client.limiter.holding(ORDERS_QUERY_COST + leave);
      const page: { orders: { nodes: AdminOrder[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } } = await this.#options.client.request(ORDERS_QUERY, {
        // >= and not >: Shopify's timestamps have second precision, and re-applying is harmless.
        variables: { query: `updated_at:>='${since}'`, after },
        expectedCost: ORDERS_QUERY_COST,
      });
      for (const order of page.orders.nodes) {
        for (const channelOrder of channelOrdersFromAdminOrder(order)) await this.#options.orderSync.apply(channelOrder);
        applied++;
      }
      // Shopify's clock, not ours: the watermark only moves to times Shopify reported.
      const last = page.orders.nodes.at(-1);
      if (last) await this.#saveWatermark(last.updatedAt);
      after = page.orders.pageInfo.hasNextPage ? page.orders.pageInfo.endCursor : null;
    } while (after);
    if (applied > 0) this.#log.info({ applied, since }, 'orders reconciled');
    return applied;
  }

  async #watermark(): Promise<string | undefined> {
    const [row] = await this.#options.db.query<{ value: string }>('SELECT value #>> \'{}\' AS value FROM platform_state WHERE name = $1', [WATERMARK]);
    return row?.value;
  }

  async #saveWatermark(updatedAt: string): Promise<void> {
    await this.#options.db.query(
      `INSERT INTO platform_state (name, value) VALUES ($1, to_jsonb($2::text))
       ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = now()
       WHERE platform_state.value #>> '{}' < excluded.value #>> '{}'`,
      [WATERMARK, updatedAt],
    );
  }
}
