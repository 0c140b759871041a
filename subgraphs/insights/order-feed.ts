import type { Database } from '../../kit/database.ts';
import { Follower } from '../../kit/follower.ts';
import type { Logger } from '../../kit/logger.ts';
import { ServiceClient, type ServiceClientOptions } from '../platform-common/service-client.ts';
import { recordOrderFacts, type OrderFact } from './ingest.ts';

/** The watermark's name in `feed_watermarks`. */
const FEED = 'orders';
/** Orders per page (the orders subgraph's maximum) and per ingest transaction. */
const PAGE_SIZE = 500;
/** @default how often the orders' outbox is asked for what changed since the watermark */
export const DEFAULT_ORDER_FEED_POLL_MS = 1000;

const CHANGES_QUERY = `query InsightsOrderChanges($after: String, $first: Int) {
  orderChangesSince(after: $after, first: $first) {
    nodes { id channel { id } placedAt changedAt status currency customer { id }
      lines { sku quantity unitPrice { amountInCents } discount { amountInCents } }
      totals { subtotal { amountInCents } discounts { amountInCents } shipping { amountInCents } tax { amountInCents } total { amountInCents } } }
    pageInfo { endCursor hasNextPage }
  }
}`;

interface Cents { amountInCents: number }
interface OrderNode {
  id: string;
  channel: { id: string };
  placedAt: string;
  changedAt: string;
  status: 'OPEN' | 'PARTIALLY_FULFILLED' | 'FULFILLED' | 'CANCELLED';
  currency: string;
  customer: { id: string } | null;
  lines: Array<{ sku: string | null; quantity: number; unitPrice: Cents; discount: Cents }>;
  totals: { subtotal: Cents; discounts: Cents; shipping: Cents; tax: Cents; total: Cents };
}

/**
 * A canonical order as the figures need it. Its version is when Ponte's copy last changed, not the
 * platform's `updatedAt`: a platform may stamp a cancellation with the same second as the order, and
 * the ingest ignores a version it has already seen. A partly shipped order is sold all the same: it
 * counts as open.
 */
export function orderFactOf(order: OrderNode): OrderFact {
  return {
    id: order.id,
    channel: order.channel.id,
    placedAt: order.placedAt,
    updatedAt: order.changedAt,
    status: order.status === 'PARTIALLY_FULFILLED' ? 'OPEN' : order.status,
    currency: order.currency,
    customerId: order.customer?.id ?? null,
    lines: order.lines.map((line) => ({ sku: line.sku, quantity: line.quantity, unitPriceCents: line.unitPrice.amountInCents, discountCents: line.discount.amountInCents })),
    totals: {
      subtotalCents: order.totals.subtotal.amountInCents,
      discountCents: order.totals.discounts.amountInCents,
      shippingCents: order.totals.shipping.amountInCents,
      taxCents: order.totals.tax.amountInCents,
      totalCents: order.totals.total.amountInCents,
    },
  };
}

export interface OrderFeedOptions {
  db: Database;
  log: Logger;
  /** The orders subgraph, read with this service's key (orders:read). */
  orders: ServiceClientOptions;
  timeZone: string;
  /** @default DEFAULT_ORDER_FEED_POLL_MS */
  pollIntervalMs?: number;
}

/**
 * The insights store's durable consumer of the orders subgraph: from the cursor saved in
 * `feed_watermarks` it reads every order changed since (`orderChangesSince`, keyed by the orders'
 * transactional outbox), records each page with `recordOrderFacts` and then saves the page's
 * cursor. On first start that is the whole order history (the demo's included), in pages of 500;
 * afterwards it follows the outbox by id, a page every `pollIntervalMs` that holds only what
 * changed. Whatever stops it (a restart of either side, the orders subgraph unreachable) it resumes
 * from the watermark: a page recorded but not yet acknowledged is read again, and the ingest,
 * idempotent by order id and version, counts it once.
 */
export class OrderFeed {
  readonly #options: OrderFeedOptions;
  readonly #orders: ServiceClient;
  readonly #log: Logger;
  readonly #follower: Follower;

  constructor(options: OrderFeedOptions) {
    this.#options = options;
    // A refusal (a key without orders:read) is as much a reason to try later as an outage: the
    // watermark stays where it is either way.
    this.#orders = new ServiceClient('orders', { timeoutMs: 30_000, ...options.orders }, {
      expected: new Set(),
      rejection: (code, message) => new Error(`orders refused orderChangesSince (${code}): ${message}`),
      unavailable: (message, cause) => new Error(message, { cause }),
    });
    this.#log = options.log.child({ component: 'order-feed' });
    this.#follower = new Follower({
      feed: 'the orders\' changes',
      log: this.#log,
      pollIntervalMs: options.pollIntervalMs ?? DEFAULT_ORDER_FEED_POLL_MS,
      catchUp: (stopped) => this.#readNew(stopped),
    });
  }

  /** Starts following; resolves after the first catch-up was tried (its failure is retried, not thrown). */
  start(): Promise<void> {
    return this.#follower.start();
  }

  stop(): Promise<void> {
    return this.#follower.stop();
  }

  /** The saved cursor (null before the first page). */
  async watermark(): Promise<string | null> {
    const [row] = await this.#options.db.query<{ cursor: string }>('SELECT cursor FROM feed_watermarks WHERE feed = $1', [FEED]);
    return row?.cursor ?? null;
  }

  /** Records every order changed since the watermark; concurrent calls share one run. Resolves to the orders read. */
  catchUp(): Promise<number> {
    return this.#follower.catchUp();
  }

  async #readNew(stopped: () => boolean): Promise<number> {
    const { db, timeZone } = this.#options;
    let after = await this.watermark();
    let read = 0;
    for (;;) {
      if (stopped()) return read;
      const data = await this.#orders.request<{ orderChangesSince: { nodes: OrderNode[]; pageInfo: { endCursor: string | null; hasNextPage: boolean } } }>(
        CHANGES_QUERY, { after, first: PAGE_SIZE },
      );
      const page = data.orderChangesSince;
      if (page.nodes.length > 0) {
        await recordOrderFacts(db, page.nodes.map(orderFactOf), { timeZone });
        read += page.nodes.length;
      }
      if (page.pageInfo.endCursor && page.pageInfo.endCursor !== after) {
        after = page.pageInfo.endCursor;
        await db.query(
          `INSERT INTO feed_watermarks (feed, cursor) VALUES ($1, $2) ON CONFLICT (feed) DO UPDATE SET cursor = EXCLUDED.cursor, updated_at = now()`,
          [FEED, after],
        );
      }
      if (!page.pageInfo.hasNextPage) return read;
    }
  }
}
