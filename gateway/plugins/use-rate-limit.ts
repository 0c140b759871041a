import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Logger } from '../../kit/logger.ts';
import { createGraphQLError } from '@graphql-tools/utils';
import { callerKey } from './caller.ts';
import { refuseRequest } from './refusal.ts';

export const RATE_LIMITED = 'RATE_LIMITED';
/** Requests per window per caller: a storefront server renders pages far below 100/s per key. */
export const DEFAULT_RATE_LIMIT_POINTS = 1_000;
export const DEFAULT_RATE_LIMIT_WINDOW_S = 10;
const REDIS_READY_WAIT_MS = 2_000;

export interface RateLimitOptions {
  /** @default DEFAULT_RATE_LIMIT_POINTS (1,000 requests) */
  points?: number;
  /** @default DEFAULT_RATE_LIMIT_WINDOW_S (10 s) */
  windowSeconds?: number;
  /**
   * Shared counters for several gateway replicas. Without it each replica counts on its own (in
   * memory). With it, a Redis that stops answering falls back to the in-memory count, so an
   * outage of Redis never turns into an outage of the gateway.
   */
  redisUrl?: string | undefined;
  /** Prefix of the counters' keys (in Redis, shared by every replica that uses it). @default 'ponte-rate' */
  keyPrefix?: string;
  log: Logger;
}

/** The plugin, and the count itself for requests that are not GraphQL (the CSV exports). */
export interface RateLimit extends GatewayPlugin {
  ready: Promise<void>;
  /**
   * Counts one request of the caller `context` names (`context.principal`, else `context.req`'s
   * address, as `callerKey` reads them): undefined when it may go ahead, else the seconds to wait.
   */
  consume(context: object): Promise<number | undefined>;
}

/**
 * Per-caller rate limit with rate-limiter-flexible (https://github.com/animir/node-rate-limiter-flexible):
 * every HTTP request and every subscription started over WebSocket costs one point; past the
 * limit the answer is HTTP 429 with `Retry-After` (seconds) and `extensions.code: RATE_LIMITED`.
 * It runs at `onParams`, before the response cache answers, so cached answers count too; the
 * caller is `context.principal.id` (put there by the identity plugin, which must come first) or
 * the client's address.
 */
export function useRateLimit(options: RateLimitOptions): RateLimit {
  const points = options.points ?? DEFAULT_RATE_LIMIT_POINTS;
  const windowSeconds = options.windowSeconds ?? DEFAULT_RATE_LIMIT_WINDOW_S;
  if (!Number.isInteger(points) || points < 1) throw new Error(`useRateLimit: points must be a positive integer, got ${points}`);
  if (!Number.isInteger(windowSeconds) || windowSeconds < 1) throw new Error(`useRateLimit: windowSeconds must be a positive integer, got ${windowSeconds}`);
  const log = options.log.child({ component: 'rate-limit' });
  const keyPrefix = options.keyPrefix ?? 'ponte-rate';
  const memory = new RateLimiterMemory({ points, duration: windowSeconds, keyPrefix });
  let redis: Redis | undefined;
  let limiter: RateLimiterAbstract = memory;
  if (options.redisUrl) {
    // No offline queue: while Redis is unreachable a call fails at once and the insurance
    // (in-memory) limiter answers, instead of requests waiting on a queue.
    redis = new Redis(options.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: false });
    redis.on('error', (error: Error) => log.warn({ err: error.message }, 'redis unavailable: counting in memory'));
    limiter = new RateLimiterRedis({ storeClient: redis, points, duration: windowSeconds, keyPrefix, insuranceLimiter: memory });
  }
  const counted = new WeakSet<object>();
  // Until Redis answers, calls fail over to memory; the gateway waits for it briefly before listening.
  const redisReady = redis
    ? new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          log.warn({ waitedMs: REDIS_READY_WAIT_MS }, 'redis not ready: counting in memory until it is');
          resolve();
        }, REDIS_READY_WAIT_MS);
        redis!.once('ready', () => {
          clearTimeout(timer);
          resolve();
        });
      })
    : Promise.resolve();

  /** Undefined when the call may go ahead; else the seconds to wait. */
  const consume = async (context: object): Promise<number | undefined> => {
    const key = callerKey(context);
    try {
      await limiter.consume(key, 1);
      return undefined;
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) {
        log.debug({ key }, 'rate limited');
        return Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
      }
      // Neither store could count (should not happen with the in-memory insurance): let it through.
      log.error({ err: rejection }, 'rate limiter failed');
      return undefined;
    }
  };
  const limited = (retryAfterSeconds: number) => ({
    errors: [
      createGraphQLError(`Too many requests; retry after ${retryAfterSeconds} s.`, {
        extensions: { code: RATE_LIMITED, retryAfterSeconds, http: { status: 429, headers: { 'Retry-After': String(retryAfterSeconds) } } },
      }),
    ],
  });

  return {
    ready: redisReady,
    consume,
    async onParams({ context, setResult }) {
      counted.add(context);
      const retryAfter = await consume(context);
      if (retryAfter !== undefined) refuseRequest(context, setResult, limited(retryAfter));
    },
    // Over graphql-ws there is no onParams: each operation started on a socket counts here.
    async onSubscribe({ args, setResultAndStopExecution }) {
      const context = args.contextValue as object;
      if (counted.has(context)) return;
      const retryAfter = await consume(context);
      if (retryAfter !== undefined) setResultAndStopExecution(limited(retryAfter));
    },
    async onExecute({ args, setResultAndStopExecution }) {
      const context = args.contextValue as object;
      if (counted.has(context)) return;
      counted.add(context);
      const retryAfter = await consume(context);
      if (retryAfter !== undefined) setResultAndStopExecution(limited(retryAfter));
    },
    async onDispose() {
      await redis?.quit().catch(() => redis?.disconnect());
    },
  };
}
