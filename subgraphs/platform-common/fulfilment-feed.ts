import type { Database } from '../../kit/database.ts';
import type { Logger } from '../../kit/logger.ts';
import { retryDelayMs } from './backoff.ts';
import { ServiceClient, type ServiceClientOptions } from './service-client.ts';
import type { ShipmentConfirmations } from './shipment-confirmations.ts';

const FEED = `query PonteChannelFulfilments($channel: ID!, $after: ID, $first: Int) {
  channelFulfilments(channel: $channel, after: $after, first: $first) {
    cursor fulfilmentId platformOrderId carrier trackingCode trackingUrl shippedAt lines { lineId sku quantity }
  }
}`;

interface ChannelFulfilment {
  cursor: string;
  fulfilmentId: string;
  platformOrderId: string;
  carrier: string;
  trackingCode: string;
  trackingUrl: string | null;
  shippedAt: string;
  lines: Array<{ lineId: string; sku: string | null; quantity: number }>;
}

export interface FulfilmentFeedOptions {
  db: Database;
  log: Logger;
  channel: string;
  /** The orders subgraph, called with this subgraph's own key (orders:read, held to its channel). */
  orders: ServiceClientOptions;
  shipments: ShipmentConfirmations;
  /** How often the feed is read when it had nothing new. @default 2000 */
  pollIntervalMs?: number;
  /** @default 100 */
  pageSize?: number;
}

/**
 * Follows the orders subgraph's fulfilments of this subgraph's channel (parcels recorded by
 * fulfilOrder) and hands each to the shipment confirmations, which tell the platform durably and
 * with retries. The position is a watermark in this subgraph's database, written after the
 * parcels are queued: a restart reads on from it, and one queued twice is confirmed once. While
 * the orders subgraph is down, reading backs off and resumes where it stopped.
 */
export class FulfilmentFeed {
  readonly #options: FulfilmentFeedOptions;
  readonly #log: Logger;
  readonly #client: ServiceClient;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #stopped = false;
  #failures = 0;

  constructor(options: FulfilmentFeedOptions) {
    this.#options = options;
    this.#log = options.log.child({ component: 'fulfilment-feed', channel: options.channel });
    this.#client = new ServiceClient('orders', options.orders, {
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
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#running = this.#tick();
    }, delayMs);
    this.#timer.unref();
  }

  async #tick(): Promise<void> {
    let delay = this.#options.pollIntervalMs ?? 2000;
    try {
      const read = await this.readOnce();
      this.#failures = 0;
      // A full page: more may be waiting.
      if (read >= (this.#options.pageSize ?? 100)) delay = 0;
    } catch (error) {
      this.#failures += 1;
      delay = Math.max(delay, retryDelayMs(this.#failures, { baseMs: 1000, maxMs: 30_000 }));
      this.#log.warn({ err: error, retryInMs: delay }, 'could not read the orders subgraph\'s fulfilments; reading on later from the same place');
    }
    this.#schedule(delay);
  }

  /** Reads one page after the watermark, queues each parcel, then moves the watermark. Returns how many it read. */
  async readOnce(): Promise<number> {
    const { db, channel, shipments } = this.#options;
    const [mark] = await db.query<{ last: string }>('SELECT last_event_id::text AS last FROM fulfilment_feed_watermarks WHERE channel_id = $1', [channel]);
    const data = await this.#client.request<{ channelFulfilments: ChannelFulfilment[] }>(FEED, { channel, after: mark?.last ?? null, first: this.#options.pageSize ?? 100 });
    const parcels = data.channelFulfilments;
    for (const parcel of parcels) {
      const { queued } = await shipments.enqueue({
        orderId: parcel.platformOrderId,
        fulfilmentId: parcel.fulfilmentId,
        carrier: parcel.carrier,
        trackingCode: parcel.trackingCode,
        trackingUrl: parcel.trackingUrl,
        shippedAt: parcel.shippedAt,
        lines: parcel.lines.map((line) => ({ lineId: line.lineId, sku: line.sku, quantity: line.quantity })),
      });
      if (queued) this.#log.info({ orderId: parcel.platformOrderId, fulfilmentId: parcel.fulfilmentId }, 'parcel queued to tell the platform');
    }
    const last = parcels.at(-1);
    if (last) {
      await db.query(
        `INSERT INTO fulfilment_feed_watermarks (channel_id, last_event_id) VALUES ($1, $2::bigint)
         ON CONFLICT (channel_id) DO UPDATE SET last_event_id = GREATEST(fulfilment_feed_watermarks.last_event_id, excluded.last_event_id), updated_at = now()`,
        [channel, last.cursor],
      );
    }
    return parcels.length;
  }
}
