/**
 * HTTP to a platform API with the habits every platform asks for: a timeout per attempt,
 * retries on 429 and 5xx with exponential backoff and full jitter, honouring `Retry-After`,
 * and an optional limiter consulted before every attempt (token bucket, cost budget).
 */
import { recordFailure, SpanKind, traceHeaders, withSpan } from '../../kit/telemetry.ts';

export interface RequestLimiter {
  /** Waits until a request for `operation` may be sent. */
  acquire(operation: string): Promise<void>;
  /** Tells the limiter what the platform said about its budget (headers, GraphQL cost). */
  observe?(operation: string, response: Response): void;
  /**
   * The request `acquire` let through has been answered (`answered`: the platform has counted it)
   * or given up on unanswered (`abandoned`: a timeout or a broken connection; it may still reach the
   * platform). Called once per acquire.
   */
  release?(operation: string, outcome: 'answered' | 'abandoned'): void;
}

export interface PlatformFetchOptions {
  /** @default 10_000 */
  timeoutMs?: number;
  /** Attempts in all, first included. @default 4 */
  maxAttempts?: number;
  /** @default 250 */
  baseDelayMs?: number;
  /** @default 10_000 */
  maxDelayMs?: number;
  limiter?: RequestLimiter;
  fetch?: typeof fetch;
  /** Tests pass a fake clock. */
  sleep?: (ms: number) => Promise<void>;
}

export class PlatformRequestError extends Error {
  readonly status: number | undefined;

  constructor(message: string, status?: number, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PlatformRequestError';
    this.status = status;
  }
}

const RETRYABLE_STATUS = new Set([408, 425, 429, 500, 502, 503, 504]);

export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'unknown';
  }
}

/** The caller's headers plus the active trace's, in the shape they were given (clients sign them). */
function withTraceHeaders(headers: HeadersInit | undefined): HeadersInit | undefined {
  const trace = traceHeaders();
  if (Object.keys(trace).length === 0) return headers;
  if (headers instanceof Headers) {
    const copy = new Headers(headers);
    for (const [name, value] of Object.entries(trace)) copy.set(name, value);
    return copy;
  }
  return Array.isArray(headers) ? [...headers, ...Object.entries(trace)] : { ...headers, ...trace };
}

export type PlatformFetch = (url: string, init: RequestInit & { operation?: string }) => Promise<Response>;

export function createPlatformFetch(options: PlatformFetchOptions = {}): PlatformFetch {
  const maxAttempts = options.maxAttempts ?? 4;
  const baseDelayMs = options.baseDelayMs ?? 250;
  const maxDelayMs = options.maxDelayMs ?? 10_000;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const doFetch = options.fetch ?? fetch;

  // One client span per call, retries included: the host and operation only, never the path's
  // query string (WooCommerce may carry its key there) nor a body.
  return (url, init) => {
    const operation = init.operation ?? 'default';
    return withSpan(
      `${init.method ?? 'GET'} ${operation}`,
      { kind: SpanKind.CLIENT, attributes: { 'http.request.method': init.method ?? 'GET', 'server.address': hostOf(url), 'ponte.platform.operation': operation } },
      async (span) => {
        const response = await attempts(url, init, operation, (attempt) => span.setAttribute('ponte.attempts', attempt));
        span.setAttribute('http.response.status_code', response.status);
        if (response.status >= 400) recordFailure(span, new Error(`HTTP ${response.status}`));
        return response;
      },
    );
  };

  async function attempts(url: string, init: RequestInit & { operation?: string }, operation: string, onAttempt: (attempt: number) => void): Promise<Response> {
    for (let attempt = 1; ; attempt++) {
      onAttempt(attempt);
      await options.limiter?.acquire(operation);
      let response: Response | undefined;
      let failure: unknown;
      try {
        response = await doFetch(url, { ...init, headers: withTraceHeaders(init.headers), signal: AbortSignal.timeout(options.timeoutMs ?? 10_000) });
        options.limiter?.observe?.(operation, response);
        options.limiter?.release?.(operation, 'answered');
      } catch (error) {
        failure = error;
        options.limiter?.release?.(operation, 'abandoned');
      }
      const retryable = response ? RETRYABLE_STATUS.has(response.status) : true;
      if (response && !retryable) return response;
      if (attempt >= maxAttempts) {
        if (response) return response;
        throw new PlatformRequestError(`${init.method ?? 'GET'} ${url} failed after ${attempt} attempts: ${(failure as Error)?.message}`, undefined, { cause: failure });
      }
      const backoff = Math.random() * Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
      const told = retryAfterMs(response?.headers.get('retry-after') ?? null);
      await response?.body?.cancel().catch(() => {});
      await sleep(told !== undefined ? Math.min(Math.max(told, backoff), 60_000) : backoff);
    }
  }
}

/**
 * A token bucket kept inside the platform's own: `burst` requests at once, refilled at
 * `ratePerSecond`. Amazon publishes one per operation; Mercado Livre one per application.
 *
 * The platform counts a request when it arrives, not when this process sends it, and requests
 * take different times on their way (a busy event loop on either side, a slow network). A plain
 * bucket over send times lets through more than the platform's: requests sent while the
 * platform's bucket was full, but arriving late, find it full and waste its refill, while this
 * bucket had already counted that refill; a later request that travels faster is then refused.
 * That was Mercado Livre's one `429` per order storm on a quiet machine (50 on a loaded one).
 * So a request holds its token outside the bucket until it is answered, and the bucket's
 * capacity shrinks by the requests in flight: whatever the delays, the platform's bucket then
 * holds at least this one's tokens plus the requests not yet arrived, so every arrival finds a
 * token. An abandoned request (timeout) may still arrive, so it stays in flight for a while.
 *
 * The platform's clock is not this one: it may read whole milliseconds (`Date.now()`) where
 * this reads `performance.now()`, and the two may drift. A request therefore needs a token plus
 * `clockSlackMs` of refill, and the refill is taken 0.1 % slower than published (a clock slewed
 * by NTP runs at most 0.05 % off).
 */
export class TokenBucket {
  readonly #ratePerSecond: number;
  readonly #burst: number;
  readonly #slack: number;
  readonly #abandonedHoldMs: number;
  #tokens: number;
  #inFlight = 0;
  #updatedAt: number;
  readonly #now: () => number;

  constructor(
    ratePerSecond: number,
    burst: number,
    options: {
      now?: () => number;
      /** Tokens at start. @default burst; a process that cannot know what an earlier one spent passes 0 */
      initialTokens?: number;
      /** @default 5 */
      clockSlackMs?: number;
      /**
       * How long an abandoned request may still arrive. @default 60_000: in a storm on a loaded
       * machine, requests the client had given up on after 10 s reached the sandbox later still.
       */
      abandonedHoldMs?: number;
    } = {},
  ) {
    if (!(ratePerSecond > 0)) throw new RangeError(`A bucket needs a positive rate, got ${ratePerSecond}`);
    if (!(burst >= 1)) throw new RangeError(`A bucket needs a burst of at least 1, got ${burst}`);
    this.#ratePerSecond = ratePerSecond * 0.999;
    this.#burst = burst;
    this.#slack = (ratePerSecond * (options.clockSlackMs ?? 5)) / 1000;
    this.#abandonedHoldMs = options.abandonedHoldMs ?? 60_000;
    this.#now = options.now ?? (() => performance.now());
    this.#tokens = Math.min(burst, Math.max(0, options.initialTokens ?? burst));
    this.#updatedAt = this.#now();
  }

  /** Requests let through and not yet answered (or abandoned less than `abandonedHoldMs` ago). */
  get inFlight(): number {
    return this.#inFlight;
  }

  /**
   * Milliseconds to wait before a token is free (0: take it now). Takes the token when 0; the
   * caller then owes one `release` for it.
   */
  take(): number {
    this.#refill();
    const needed = Math.min(1 + this.#slack, this.#burst);
    if (this.#tokens >= needed) {
      this.#tokens -= 1;
      this.#inFlight += 1;
      return 0;
    }
    // With the capacity in flight the refill stops short: the wait is then a poll for an answer.
    return Math.max(1, Math.ceil(((needed - this.#tokens) / this.#ratePerSecond) * 1000));
  }

  async acquire(): Promise<void> {
    for (let wait = this.take(); wait > 0; wait = this.take()) await new Promise((resolve) => setTimeout(resolve, wait));
  }

  /** The request a `take` let through was answered, or abandoned (then it may still arrive). */
  release(outcome: 'answered' | 'abandoned' = 'answered'): void {
    if (outcome === 'abandoned' && this.#abandonedHoldMs > 0) {
      setTimeout(() => this.release('answered'), this.#abandonedHoldMs).unref?.();
      return;
    }
    this.#refill();
    this.#inFlight = Math.max(0, this.#inFlight - 1);
  }

  /**
   * The platform refused a request for its rate limit: its bucket was empty when that request
   * arrived, whatever this one believed (another process of the same application, a restart).
   */
  drain(): void {
    this.#refill();
    this.#tokens = 0;
  }

  #refill(): void {
    const now = this.#now();
    // A take moves a token and a unit of capacity out together, so the tokens never exceed it.
    const capacity = this.#burst - this.#inFlight;
    this.#tokens = Math.min(capacity, this.#tokens + (Math.max(0, now - this.#updatedAt) / 1000) * this.#ratePerSecond);
    this.#updatedAt = now;
  }
}

/** A token bucket as a limiter for createPlatformFetch: a `429` empties it. */
export function bucketLimiter(bucket: TokenBucket): RequestLimiter {
  return {
    acquire: () => bucket.acquire(),
    observe: (_operation, response) => {
      if (response.status === 429) bucket.drain();
    },
    release: (_operation, outcome) => bucket.release(outcome),
  };
}
