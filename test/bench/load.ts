import autocannon from 'autocannon';
import type { Target } from './targets.ts';

export interface LoadOptions {
  durationS: number;
  connections: number;
}

export interface Measurement {
  /** Responses received within the run. */
  requests: number;
  /** Requests sent, including those still in flight when the run stopped. */
  sent: number;
  durationS: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Connection errors and timeouts. */
  errors: number;
  timeouts: number;
  non2xx: number;
  /** 2xx responses whose body carried GraphQL `errors`. */
  graphqlErrors: number;
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/**
 * Closed-loop load: `connections` keep-alive connections, each sending the target's request
 * as soon as the previous answer arrives, for `durationS`.
 * Latencies are recorded here from autocannon's per-response times (sub-millisecond): its own
 * histogram keeps whole milliseconds, too coarse for cache hits that take one or two.
 */
export async function runLoad(target: Pick<Target, 'url' | 'headers' | 'body' | 'perConnectionHeader'>, options: LoadOptions): Promise<Measurement> {
  const latencies: number[] = [];
  let connection = 0;
  const instance = autocannon({
    url: target.url,
    method: 'POST',
    headers: target.headers,
    body: target.body,
    connections: options.connections,
    duration: options.durationS,
    timeout: 10,
    // A GraphQL error comes back as 200; a substring test keeps the check cheap for the load generator.
    verifyBody: (body) => !body.includes('"errors"'),
    ...(target.perConnectionHeader
      ? {
          setupClient: (client) => {
            const headers = { ...target.headers, [target.perConnectionHeader!]: `bench-connection-${++connection}` };
            client.setRequests([{ method: 'POST', headers, body: target.body }]);
          },
        }
      : {}),
  });
  instance.on('response', (_client, _status, _bytes, responseTimeMs) => {
    latencies.push(responseTimeMs);
  });
  const result = await instance;
  const sorted = Float64Array.from(latencies).sort();
  return {
    requests: sorted.length,
    sent: result.requests.sent,
    durationS: result.duration,
    rps: sorted.length / result.duration,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    maxMs: sorted.at(-1) ?? Number.NaN,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    graphqlErrors: result.mismatches,
  };
}
