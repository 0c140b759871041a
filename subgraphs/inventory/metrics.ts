import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { Database } from '../../kit/database.ts';
import { ErrorCode, isPonteError } from '../../kit/errors.ts';
import type { StockEvent } from './models.ts';

/** From a few milliseconds (NOTIFY) to the relay's one-second safety poll and beyond (a stalled relay). */
const OUTBOX_LAG_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60];

/**
 * The inventory's series: reservations accepted and refused (by error code), stock events the
 * outbox relay published and how late, and the outbox rows this replica has not published yet
 * (read at scrape time from the database, not counted by hand).
 */
export class InventoryMetrics {
  readonly #accepted: Counter<'operation'>;
  readonly #refused: Counter<'operation' | 'reason'>;
  readonly #published: Counter<'kind'>;
  readonly #lag: Histogram;

  constructor(registry: Registry, outbox: { db: Database; lastPublishedId: () => number }) {
    this.#accepted = new Counter({
      name: 'ponte_inventory_reservations_accepted_total',
      help: 'Reservations (reserveStock) and point-of-sale sales (recordSale) committed; replays of an idempotency key are not counted again.',
      labelNames: ['operation'],
      registers: [registry],
    });
    this.#refused = new Counter({
      name: 'ponte_inventory_reservations_refused_total',
      help: 'Reservations and sales refused, by the error code the caller got (INSUFFICIENT_STOCK, UNKNOWN_SKU, FORBIDDEN, ...).',
      labelNames: ['operation', 'reason'],
      registers: [registry],
    });
    this.#published = new Counter({
      name: 'ponte_inventory_stock_events_published_total',
      help: 'Stock events the outbox relay read after commit and handed to stockChanged subscribers, by movement kind.',
      labelNames: ['kind'],
      registers: [registry],
    });
    this.#lag = new Histogram({
      name: 'ponte_inventory_outbox_lag_seconds',
      help: "Seconds from a stock event's transaction (its occurredAt) to this replica's relay publishing it.",
      buckets: OUTBOX_LAG_BUCKETS,
      registers: [registry],
    });
    new Gauge({
      name: 'ponte_inventory_outbox_waiting',
      help: 'Outbox rows committed but not yet published by this replica (read from the database at scrape time).',
      registers: [registry],
      async collect() {
        // A range on the primary key: cheap however long the outbox grows.
        const [row] = await outbox.db.query<{ waiting: number }>('SELECT count(*)::int AS waiting FROM stock_events WHERE id > $1', [outbox.lastPublishedId()]);
        this.set(row?.waiting ?? 0);
      },
    });
    for (const operation of ['reserveStock', 'recordSale']) this.#accepted.labels(operation).inc(0);
  }

  /** Counts the outcome of a reservation or a sale. */
  async reservation<Result extends { replayed: boolean }>(operation: 'reserveStock' | 'recordSale', run: () => Promise<Result>): Promise<Result> {
    let result: Result;
    try {
      result = await run();
    } catch (error) {
      this.#refused.labels(operation, isPonteError(error) ? error.code : ErrorCode.INTERNAL_SERVER_ERROR).inc();
      throw error;
    }
    if (!result.replayed) this.#accepted.labels(operation).inc();
    return result;
  }

  published(event: StockEvent): void {
    this.#published.labels(event.kind).inc();
    const occurredAt = Date.parse(event.occurredAt);
    if (Number.isFinite(occurredAt)) this.#lag.observe(Math.max(0, (Date.now() - occurredAt) / 1000));
  }
}
