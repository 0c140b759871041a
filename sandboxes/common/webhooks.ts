/**
 * Outbound webhook / notification delivery, at least once: each event is POSTed to its
 * target and retried with exponential backoff on a non-success status, a network error or a
 * timeout. Tests can ask for the two things real platforms do that break naive receivers:
 * duplicate deliveries (same event id twice) and out-of-order deliveries (hold, then release
 * in reverse).
 *
 * The platform decides what goes on the wire (`render`), so signatures and per-attempt fields
 * (Mercado Livre's `attempts`, WooCommerce's delivery id) stay in the platform's folder.
 */

export interface WebhookRetryPolicy {
  /** Attempts in total, the first one included. */
  maxAttempts: number;
  /** Wait before the second attempt; each later wait is multiplied by `multiplier`. */
  initialDelayMs: number;
  multiplier: number;
  maxDelayMs: number;
  /** An attempt not answered within this time counts as failed. */
  timeoutMs: number;
}

export interface RenderedWebhook {
  body: string;
  headers: Record<string, string>;
}

export interface OutgoingWebhook {
  /** Identifies the event: identical on every attempt and on a duplicate. */
  eventId: string;
  topic: string;
  url: string;
  /** Builds the request for one attempt (1-based). */
  render(attempt: number, sentAt: Date): RenderedWebhook;
  /** Told of each attempt's outcome (WooCommerce counts consecutive failures). */
  onAttempt?(attempt: DeliveryAttempt): void;
  /** Checked before each attempt: a disabled WooCommerce webhook stops delivering. */
  isActive?(): boolean;
}

export interface DeliveryAttempt {
  eventId: string;
  topic: string;
  url: string;
  attempt: number;
  /** True for the extra copy sent when duplicate delivery is switched on. */
  duplicate: boolean;
  status: number | null;
  error: string | null;
  ok: boolean;
  sentAt: string;
  body: string;
  headers: Record<string, string>;
}

export interface DeliveryMode {
  /** Send every successfully delivered event a second time, as a lost acknowledgement would. */
  duplicate: boolean;
  /** Queue events instead of sending them, until `release()`. */
  hold: boolean;
}

export interface WebhookDispatcherOptions {
  retry: WebhookRetryPolicy;
  /** Which HTTP statuses count as delivered. @default 2xx */
  isSuccess?: (status: number) => boolean;
  now?: () => number;
}

const MAX_RECORDED_ATTEMPTS = 5_000;

export class WebhookDispatcher {
  readonly mode: DeliveryMode = { duplicate: false, hold: false };
  readonly #attempts: DeliveryAttempt[] = [];
  readonly #held: OutgoingWebhook[] = [];
  readonly #timers = new Set<ReturnType<typeof setTimeout>>();
  readonly #closing = new AbortController();
  readonly #isSuccess: (status: number) => boolean;
  readonly #now: () => number;
  #retry: WebhookRetryPolicy;
  #pending = 0;
  #settledWaiters: Array<() => void> = [];

  constructor(options: WebhookDispatcherOptions) {
    this.#retry = options.retry;
    this.#isSuccess = options.isSuccess ?? ((status) => status >= 200 && status < 300);
    this.#now = options.now ?? Date.now;
  }

  get retryPolicy(): WebhookRetryPolicy {
    return { ...this.#retry };
  }

  set retryPolicy(policy: WebhookRetryPolicy) {
    this.#retry = { ...policy };
  }

  get attempts(): readonly DeliveryAttempt[] {
    return this.#attempts;
  }

  get heldCount(): number {
    return this.#held.length;
  }

  dispatch(webhook: OutgoingWebhook): void {
    if (this.#closing.signal.aborted) return;
    if (this.mode.hold) {
      this.#held.push(webhook);
      return;
    }
    this.#track(this.#deliver(webhook));
  }

  /** Sends the held events, oldest first or newest first. Returns how many were released. */
  release(order: 'fifo' | 'reverse' = 'fifo'): number {
    const batch = this.#held.splice(0, this.#held.length);
    if (order === 'reverse') batch.reverse();
    // Sequential, so the receiver really sees them in the chosen order.
    this.#track(
      (async () => {
        for (const webhook of batch) await this.#deliver(webhook);
      })(),
    );
    return batch.length;
  }

  /** Resolves once nothing is in flight or waiting for a retry (held events do not count). */
  settled(): Promise<void> {
    if (this.#pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.#settledWaiters.push(resolve));
  }

  clearLog(): void {
    this.#attempts.length = 0;
  }

  close(): void {
    this.#closing.abort();
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    this.#held.length = 0;
  }

  #track(work: Promise<void>): void {
    this.#pending++;
    void work.finally(() => {
      this.#pending--;
      if (this.#pending === 0) {
        const waiters = this.#settledWaiters;
        this.#settledWaiters = [];
        for (const resolve of waiters) resolve();
      }
    });
  }

  async #deliver(webhook: OutgoingWebhook): Promise<void> {
    const policy = this.#retry;
    let delay = policy.initialDelayMs;
    for (let attempt = 1; attempt <= policy.maxAttempts; attempt++) {
      if (this.#closing.signal.aborted) return;
      if (webhook.isActive && !webhook.isActive()) return;
      const outcome = await this.#send(webhook, attempt, false);
      if (outcome.ok) {
        if (this.mode.duplicate) await this.#send(webhook, attempt, true);
        return;
      }
      if (attempt < policy.maxAttempts) {
        await this.#sleep(delay);
        delay = Math.min(delay * policy.multiplier, policy.maxDelayMs);
      }
    }
  }

  async #send(webhook: OutgoingWebhook, attempt: number, duplicate: boolean): Promise<DeliveryAttempt> {
    const sentAt = new Date(this.#now());
    const rendered = webhook.render(attempt, sentAt);
    const record: DeliveryAttempt = {
      eventId: webhook.eventId,
      topic: webhook.topic,
      url: webhook.url,
      attempt,
      duplicate,
      status: null,
      error: null,
      ok: false,
      sentAt: sentAt.toISOString(),
      body: rendered.body,
      headers: rendered.headers,
    };
    try {
      const response = await fetch(webhook.url, {
        method: 'POST',
        headers: rendered.headers,
        body: rendered.body,
        redirect: 'manual',
        signal: AbortSignal.any([AbortSignal.timeout(this.#retry.timeoutMs), this.#closing.signal]),
      });
      // Drain the body so the connection is released.
      await response.arrayBuffer().catch(() => undefined);
      record.status = response.status;
      record.ok = this.#isSuccess(response.status);
      if (!record.ok) record.error = `receiver answered HTTP ${response.status}`;
    } catch (error) {
      record.error = error instanceof Error && error.name === 'TimeoutError' ? `no answer within ${this.#retry.timeoutMs} ms` : describeError(error);
    }
    this.#attempts.push(record);
    if (this.#attempts.length > MAX_RECORDED_ATTEMPTS) this.#attempts.shift();
    webhook.onAttempt?.(record);
    return record;
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const onClose = () => resolve();
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        this.#closing.signal.removeEventListener('abort', onClose);
        resolve();
      }, ms);
      this.#timers.add(timer);
      this.#closing.signal.addEventListener('abort', onClose, { once: true });
    });
  }
}

function describeError(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return `${error.message}${cause}`;
  }
  return String(error);
}
