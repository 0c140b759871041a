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
      } catch (error) {
        failure = error;
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
 * A token bucket: `burst` requests at once, refilled at `ratePerSecond`. Amazon publishes one per
 * operation; Mercado Livre one per application.
 */
export class TokenBucket {
  readonly #ratePerSecond: number;
  readonly #burst: number;
  #tokens: number;
  #updatedAt: number;
  readonly #now: () => number;

  constructor(ratePerSecond: number, burst: number, now: () => number = () => performance.now()) {
    this.#ratePerSecond = ratePerSecond;
    this.#burst = burst;
    this.#tokens = burst;
    this.#now = now;
    this.#updatedAt = now();
  }

  /** Milliseconds to wait before a token is free (0: take it now). Takes the token when 0. */
  take(): number {
    const now = this.#now();
    this.#tokens = Math.min(this.#burst, this.#tokens + ((now - this.#updatedAt) / 1000) * this.#ratePerSecond);
    this.#updatedAt = now;
    if (this.#tokens >= 1) {
      this.#tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - this.#tokens) / this.#ratePerSecond) * 1000);
  }

  async acquire(): Promise<void> {
    for (let wait = this.take(); wait > 0; wait = this.take()) await new Promise((resolve) => setTimeout(resolve, wait));
  }
}
