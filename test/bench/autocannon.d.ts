// autocannon ships no types and @types/autocannon is not installed: this declares only the
// part of its programmatic API the bench uses (autocannon 9).
declare module 'autocannon' {
  import type { EventEmitter } from 'node:events';

  interface Request {
    method?: 'GET' | 'POST';
    path?: string;
    headers?: Record<string, string>;
    body?: string;
    /** Called before each request is sent: returns the request to send (a new body each time). */
    setupRequest?: (request: Request, context: Record<string, unknown>) => Request;
  }

  /** One connection. */
  interface Client {
    /** Replaces this connection's request sequence (a fresh array: the default one is shared by all connections). */
    setRequests(requests: Request[]): void;
  }

  interface Options {
    url: string;
    method?: 'GET' | 'POST';
    headers?: Record<string, string>;
    body?: string;
    /** A sequence each connection sends in turn (instead of `method`, `headers`, `body`). */
    requests?: Request[];
    connections?: number;
    /** Seconds. */
    duration?: number;
    /** Seconds before a request counts as a timeout (and an error). */
    timeout?: number;
    /** A falsy return counts the response in `mismatches`. */
    verifyBody?: (body: string) => boolean;
    /** Called once per connection before its first request. */
    setupClient?: (client: Client) => void;
  }

  interface Histogram {
    average: number;
    p50: number;
    p99: number;
    max: number;
  }

  interface Result {
    /** Seconds, rounded to 10 ms. */
    duration: number;
    requests: Histogram & { total: number; sent: number };
    latency: Histogram;
    errors: number;
    timeouts: number;
    mismatches: number;
    non2xx: number;
    statusCodeStats: Record<string, { count: number }>;
  }

  interface Instance extends EventEmitter, PromiseLike<Result> {
    stop(): void;
    on(event: 'response', listener: (client: unknown, statusCode: number, resBytes: number, responseTimeMs: number) => void): this;
    on(event: string, listener: (...args: unknown[]) => void): this;
  }

  function autocannon(options: Options): Instance;
  export default autocannon;
}
