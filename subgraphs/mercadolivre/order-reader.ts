import DataLoader from 'dataloader';
import type { Logger } from '../../kit/logger.ts';
import type { MlOrder } from './api-types.ts';
import { MercadoLivreApiError, ORDER_SEARCH_PAGE_LIMIT, type MercadoLivreClient } from './client.ts';

/** How the order intake reads a notified order. */
export interface OrderReader {
  /**
   * The order as Mercado Livre shows it now, or null when it does not know it (yet). `notifiedAt`
   * is when Mercado Livre received the change the notification announces (its `received`, epoch
   * ms; NaN when unknown): what is read must be at least that change.
   */
  order(orderId: string, notifiedAt: number): Promise<MlOrder | null>;
}

/**
 * Orders asked for within this long of the first are read together. The messages the inbox claims
 * at once reach the reader over a few milliseconds on PGlite but up to some tens on PostgreSQL
 * (each first asks the database whether a later notification supersedes it): six claimed together
 * asked over 10–12 ms with the pool's connections open, over 100 ms while it opened them. A read
 * that waits this much longer is nothing beside the second each notification already waits.
 */
export const ORDER_GATHER_WINDOW_MS = 50;
/**
 * The window while the application's call budget is low (`MercadoLivreClient.budgetLow`): each
 * call then waits on the refill (5 a second), and a storm's orders arrive faster than that, so
 * orders read one by one took the whole refill and left the listing writes none. Gathered for a
 * second, a storm's five or so are one search.
 */
export const LOW_BUDGET_GATHER_WINDOW_MS = 1000;
/** A search reads this many pages at most before the orders it has not found are read one by one. */
export const MAX_ORDER_SEARCH_PAGES = 4;
/** The search starts this long before the earliest notification: Mercado Livre's clocks and ours. */
export const ORDER_SEARCH_MARGIN_MS = 5 * 60_000;
/**
 * A search result last updated more than this before its notification was received is not taken
 * for the change the notification announces (the search may show an order a change behind): that
 * order is read with its own GET.
 */
export const SEARCH_COPY_TOLERANCE_MS = 2000;

interface Ask {
  orderId: string;
  notifiedAt: number;
}

export interface BatchedOrderReaderOptions {
  client: MercadoLivreClient;
  log: Logger;
  /** @default ORDER_GATHER_WINDOW_MS */
  windowMs?: number;
  /** @default LOW_BUDGET_GATHER_WINDOW_MS, while `client.budgetLow()` */
  lowBudgetWindowMs?: number;
}

/**
 * Reads notified orders, consolidating the calls as Mercado Livre asks integrators to
 * (https://developers.mercadolivre.com.br/en_us/rate-limit-429-error). Orders asked for at about
 * the same time (the inbox applies up to 16 messages at once) are read together: one alone with
 * its own `GET /orders/{id}`, as before; two or more with `GET /orders/search`, 50 a page, and any
 * the search does not show, or shows older than its notification, with its own GET. Nothing is
 * kept between reads: each notification reads the order's current state.
 *
 * One read runs at a time, and orders asked for meanwhile wait to go in the next: under Mercado
 * Livre's rate limit a read waits for its turn, and while it does, the messages that come due
 * join the next read instead of each making a call of its own.
 */
export class BatchedOrderReader implements OrderReader {
  readonly #client: MercadoLivreClient;
  readonly #log: Logger;
  readonly #loader: DataLoader<Ask, MlOrder | null>;
  /** The read under way, settled (never rejected) when it is done. */
  #reading: Promise<void> | undefined;

  constructor(options: BatchedOrderReaderOptions) {
    this.#client = options.client;
    this.#log = options.log.child({ component: 'order-reader' });
    const windowMs = options.windowMs ?? ORDER_GATHER_WINDOW_MS;
    const lowBudgetWindowMs = options.lowBudgetWindowMs ?? LOW_BUDGET_GATHER_WINDOW_MS;
    this.#loader = new DataLoader((asks) => this.#startRead(asks), {
      cache: false,
      batchScheduleFn: (dispatch) => void setTimeout(() => void this.#afterCurrentRead(dispatch), this.#client.budgetLow() ? lowBudgetWindowMs : windowMs),
    });
  }

  order(orderId: string, notifiedAt: number): Promise<MlOrder | null> {
    return this.#loader.load({ orderId, notifiedAt });
  }

  async #afterCurrentRead(dispatch: () => void): Promise<void> {
    while (this.#reading) await this.#reading;
    dispatch();
  }

  #startRead(asks: readonly Ask[]): Promise<Array<MlOrder | null | Error>> {
    const read = this.#read(asks);
    const done: Promise<void> = read.then(
      () => undefined,
      () => undefined,
    );
    this.#reading = done;
    void done.then(() => {
      if (this.#reading === done) this.#reading = undefined;
    });
    return read;
  }

  async #read(asks: readonly Ask[]): Promise<Array<MlOrder | null | Error>> {
    // The newest notification about each order is the change its read must show; one whose time is
    // unknown cannot be matched against a search result, so that order gets its own GET.
    const notified = new Map<string, number>();
    for (const ask of asks) notified.set(ask.orderId, Math.max(notified.get(ask.orderId) ?? Number.NEGATIVE_INFINITY, ask.notifiedAt));
    const searchable = [...notified].filter(([, at]) => Number.isFinite(at));
    const orders = searchable.length >= 2 ? await this.#search(new Map(searchable)) : new Map<string, MlOrder>();
    const rest = [...notified.keys()].filter((orderId) => !orders.has(orderId));
    const read = new Map<string, MlOrder | null | Error>(orders);
    await Promise.all(
      rest.map(async (orderId) => {
        // One order's failed GET is that message's alone: the others are applied.
        read.set(orderId, await this.#client.order(orderId).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error)))));
      }),
    );
    if (searchable.length >= 2) this.#log.debug({ orders: notified.size, fromSearch: orders.size, read: rest.length }, 'notified orders read together');
    return asks.map((ask) => read.get(ask.orderId)!);
  }

  /**
   * The asked-for orders a search shows at least as new as their notifications. Sorted by
   * `date_closed`, newest first (Mercado Livre's date filter counts from the start of the hour, so
   * with date_asc a busy hour's first pages would be orders closed before the ones notified).
   * Another page is read only while it can save calls: while two or more are still missing (with
   * one, its GET costs the same and is certain) and the page before ends with an order closed
   * after the earliest notification (a backlog of a storm puts the asked orders pages down; past
   * that point the missing ones were closed earlier and changed now, or are cancelled, which a
   * seller's search leaves out). A search Mercado Livre
   * refuses (4xx: the query, not an outage) leaves every order to its GET; an outage is thrown,
   * and each message is retried as a failed GET would be.
   */
  async #search(notified: Map<string, number>): Promise<Map<string, MlOrder>> {
    const earliestNotified = Math.min(...notified.values());
    const updatedFrom = earliestNotified - ORDER_SEARCH_MARGIN_MS;
    const found = new Map<string, MlOrder>();
    try {
      for (let page = 0; page < MAX_ORDER_SEARCH_PAGES && notified.size - found.size >= 2; page++) {
        const offset = page * ORDER_SEARCH_PAGE_LIMIT;
        const { results, paging } = await this.#client.searchOrders({ updatedFrom, sort: 'date_desc', offset, limit: ORDER_SEARCH_PAGE_LIMIT });
        for (const order of results) {
          const orderId = String(order.id);
          if (notified.has(orderId)) found.set(orderId, order);
        }
        if (results.length === 0 || offset + results.length >= paging.total) break;
        // Newest first: the next page holds orders closed before this page's last. Once that is
        // before the earliest notification, what is still missing was closed earlier (an older
        // order that changed now) or is left out (cancelled): its own GET reads it.
        const lastClosed = Date.parse(results.at(-1)!.date_closed ?? results.at(-1)!.date_created ?? '');
        if (!(lastClosed >= earliestNotified - SEARCH_COPY_TOLERANCE_MS)) break;
      }
    } catch (error) {
      if (!(error instanceof MercadoLivreApiError)) throw error;
      this.#log.error({ err: error }, 'Mercado Livre refused the order search; the notified orders are read one by one');
      return new Map();
    }
    const current = new Map<string, MlOrder>();
    for (const [orderId, order] of found) {
      const updatedAt = Date.parse(order.date_last_updated ?? order.last_updated ?? '');
      if (updatedAt >= notified.get(orderId)! - SEARCH_COPY_TOLERANCE_MS) current.set(orderId, order);
    }
    return current;
  }
}
