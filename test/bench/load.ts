import autocannon from 'autocannon';
import { READS_PER_WRITE, writeThenRead } from './storefront-mix.ts';
import { postGraphQL, type Target } from './targets.ts';

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
  /** The realistic mix's writes (not counted above) and what the read right after each showed. */
  writes?: { acknowledged: number; failed: number; stale: number; staleExamples: string[] };
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
export async function runLoad(target: Pick<Target, 'url' | 'headers' | 'body' | 'perConnectionHeader' | 'mix'>, options: LoadOptions): Promise<Measurement> {
  const latencies: number[] = [];
  let connection = 0;
  let next = 0;
  const mix = target.mix;
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
    ...(mix
      ? {
          requests: [
            {
              setupRequest: (request) => ({ ...request, body: mix.bodies[next++ % mix.bodies.length]! }),
            },
          ],
        }
      : {}),
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
  // The mix's writer: one write per READS_PER_WRITE responses, each acknowledged write followed at
  // once by a read of its SKU that must show the acknowledged quantity.
  const writes = { acknowledged: 0, failed: 0, stale: 0, staleExamples: [] as string[] };
  let loading = true;
  const writer = (async () => {
    if (!mix) return;
    const post = (body: string) => postGraphQL(target.url, target.headers, body);
    for (let sequence = 0; loading; ) {
      if (latencies.length < (writes.acknowledged + writes.failed + 1) * READS_PER_WRITE) {
        await new Promise((resolve) => setTimeout(resolve, 2));
        continue;
      }
      const outcome = await writeThenRead(post, mix.nextWriteSku(), mix.nextLocation(), mix.withCatalog, sequence++).catch((error: unknown) => ({ failed: true, stale: false, detail: String(error) }));
      if (outcome.failed) writes.failed++;
      else writes.acknowledged++;
      if (outcome.stale) {
        writes.stale++;
        if (writes.staleExamples.length < 5 && outcome.detail) writes.staleExamples.push(outcome.detail);
      }
    }
  })();
  const result = await instance;
  loading = false;
  await writer;
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
    ...(mix ? { writes } : {}),
  };
}
