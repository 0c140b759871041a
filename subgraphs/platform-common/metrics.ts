import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { Database } from '../../kit/database.ts';
import { boundedLabel } from '../../kit/metrics.ts';
import type { HttpRoute } from '../../kit/subgraph-server.ts';

/** What became of one SKU's push: the platform took it; it will be retried (the platform failed, or throttled us); it was given up as a dead letter. */
export type PushOutcome = 'sent' | 'spared' | 'failed' | 'throttled' | 'dead';

/** From the sub-second sync Ponte aims for to the quarter hour of retries before a dead letter. */
const PUSH_ACK_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300, 900];

/**
 * The series every platform subgraph shares, labelled `platform`: webhooks received and refused
 * (by the refusal's code), the inbox's depth and the age of its oldest unprocessed message (read
 * from the database at scrape time), order exceptions by code, listing pushes by outcome, the time
 * from a stock change's commit to the platform acknowledging the push, and drift found by the
 * listings' reconciliation.
 */
export class PlatformMetrics {
  readonly platform: string;
  readonly #webhooksReceived: Counter<'platform'>;
  readonly #webhooksRefused: Counter<'platform' | 'reason'>;
  readonly #exceptions: Counter<'platform' | 'code'>;
  readonly #pushes: Counter<'platform' | 'outcome'>;
  readonly #pushAck: Histogram<'platform'>;
  readonly #drift: Counter<'platform'>;
  /** Codes come from our own receivers, but a bound costs nothing and keeps it that way. */
  readonly #reason = boundedLabel({ max: 50, missing: 'UNKNOWN', overflow: 'OTHER', pattern: /^[A-Z][A-Z0-9_]{0,63}$/ });
  readonly #code = boundedLabel({ max: 50, missing: 'UNKNOWN', overflow: 'OTHER', pattern: /^[A-Z][A-Z0-9_]{0,63}$/ });

  constructor(registry: Registry, platform: string, db: Database) {
    this.platform = platform;
    const labels = { platform };
    this.#webhooksReceived = new Counter({ name: 'ponte_platform_webhooks_received_total', help: 'Webhooks and notifications accepted (answered 2xx): stored in the inbox, recognised as duplicates, or acknowledged and ignored.', labelNames: ['platform'], registers: [registry] });
    this.#webhooksRefused = new Counter({ name: 'ponte_platform_webhooks_refused_total', help: 'Webhooks and notifications refused, by the code of the refusal (INVALID_SIGNATURE, NOT_AN_ORDER, BAD_REQUEST, ...).', labelNames: ['platform', 'reason'], registers: [registry] });
    this.#exceptions = new Counter({ name: 'ponte_platform_order_exceptions_total', help: 'Order lines set aside for review, by code (INSUFFICIENT_STOCK, UNKNOWN_SKU, ORDER_LINE_CONFLICT, ...).', labelNames: ['platform', 'code'], registers: [registry] });
    this.#pushes = new Counter({ name: 'ponte_platform_listing_pushes_total', help: "Listing quantities pushed to the platform, per SKU, by outcome: sent (acknowledged), spared (the listing showed the quantity already: last written with no sale of the channel since, or the platform counted its own sale), failed (to retry), throttled (the platform or Ponte's write interval said later), dead (given up: a dead letter).", labelNames: ['platform', 'outcome'], registers: [registry] });
    this.#pushAck = new Histogram({ name: 'ponte_platform_listing_push_ack_seconds', help: "Seconds from a stock change's commit (the event's occurredAt) to the platform acknowledging the listing quantity that carries it.", labelNames: ['platform'], buckets: PUSH_ACK_BUCKETS, registers: [registry] });
    this.#drift = new Counter({ name: 'ponte_platform_listing_drift_total', help: 'Listings found showing another quantity than Ponte pushed, by reconciliation (each is pushed again).', labelNames: ['platform'], registers: [registry] });

    // Read at scrape time: the database is the truth, and replicas share one inbox.
    let inbox: Promise<{ depth: number; oldest: number }> | undefined;
    const readInbox = () => {
      // One query serves both gauges of a scrape.
      inbox ??= db
        .query<{ depth: number; oldest: number }>(
          `SELECT count(*)::int AS depth, coalesce(extract(epoch FROM now() - min(received_at)), 0)::float8 AS oldest
             FROM inbox_messages WHERE processed_at IS NULL`,
        )
        .then(([row]) => row ?? { depth: 0, oldest: 0 })
        .finally(() => setTimeout(() => (inbox = undefined), 0));
      return inbox;
    };
    new Gauge({
      name: 'ponte_platform_inbox_depth',
      help: 'Inbox messages received and not yet processed (read from the database at scrape time).',
      labelNames: ['platform'],
      registers: [registry],
      async collect() {
        this.set(labels, (await readInbox()).depth);
      },
    });
    new Gauge({
      name: 'ponte_platform_inbox_oldest_age_seconds',
      help: 'Age of the oldest unprocessed inbox message; 0 when none waits (read from the database at scrape time).',
      labelNames: ['platform'],
      registers: [registry],
      async collect() {
        this.set(labels, (await readInbox()).oldest);
      },
    });
    // Every series from the start, so a rate() sees its first increase.
    this.#webhooksReceived.labels(platform).inc(0);
    this.#drift.labels(platform).inc(0);
    for (const outcome of ['sent', 'spared', 'failed', 'throttled', 'dead'] satisfies PushOutcome[]) this.#pushes.labels(platform, outcome).inc(0);
  }

  /** The same receiver, its answers counted: 2xx received, anything else refused by its `error.code`. */
  webhooks(route: HttpRoute): HttpRoute {
    return {
      ...route,
      handle: async (request) => {
        let answer: Awaited<ReturnType<HttpRoute['handle']>>;
        try {
          answer = await route.handle(request);
        } catch (error) {
          this.#webhooksRefused.labels(this.platform, 'INTERNAL_SERVER_ERROR').inc();
          throw error;
        }
        if (answer.status >= 200 && answer.status < 300) this.#webhooksReceived.labels(this.platform).inc();
        else this.#webhooksRefused.labels(this.platform, this.#reason((answer.body as { error?: { code?: string } } | undefined)?.error?.code)).inc();
        return answer;
      },
    };
  }

  orderException(code: string): void {
    this.#exceptions.labels(this.platform, this.#code(code)).inc();
  }

  push(outcome: PushOutcome, acknowledgedChangeAt?: number | null): void {
    this.#pushes.labels(this.platform, outcome).inc();
    if ((outcome === 'sent' || outcome === 'spared') && typeof acknowledgedChangeAt === 'number' && Number.isFinite(acknowledgedChangeAt)) {
      this.#pushAck.labels(this.platform).observe(Math.max(0, (Date.now() - acknowledgedChangeAt) / 1000));
    }
  }

  drift(found: number): void {
    this.#drift.labels(this.platform).inc(found);
  }
}
