import type { Database } from '../../kit/database.ts';
import type { Logger } from '../../kit/logger.ts';
import { Follower, readPages } from '../../kit/follower.ts';
import { RETRY_EVERY_FAILURE, ServiceClient, type ServiceClientOptions } from './service-client.ts';
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
  readonly #follower: Follower;

  constructor(options: FulfilmentFeedOptions) {
    this.#options = options;
    this.#log = options.log.child({ component: 'fulfilment-feed', channel: options.channel });
    this.#client = new ServiceClient('orders', options.orders, RETRY_EVERY_FAILURE);
    const pageSize = options.pageSize ?? 100;
    this.#follower = new Follower({
      feed: 'the orders subgraph\'s fulfilments',
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
