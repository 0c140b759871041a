import { defaultBuildResponseCacheKey } from '@envelop/response-cache';
import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { createInMemoryCache, useResponseCache, type Cache } from '@graphql-yoga/plugin-response-cache';
import { randomUUID } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { getOperationAST, OperationTypeNode, parse } from 'graphql';
import type { Client } from 'graphql-ws';
import type { Logger } from '../../kit/logger.ts';
import { createServiceFeed } from '../../kit/service-feed.ts';

export interface StockAwareResponseCacheOptions {
  /** graphql-ws URL of the subgraph that publishes `stockChanged` (the inventory). */
  stockEventsUrl: string;
  /** Headers for that connection (the gateway secret). */
  headers?: Record<string, string>;
  /**
   * Upper bound on an entry's life, for data no stock event covers (catalog titles, prices).
   * @default 30_000
   */
  ttlMs?: number;
  /** @default 10_000 */
  maxEntries?: number;
  /**
   * Shorter lives for fields no stock event covers, by schema coordinate (`Type.field`), in ms;
   * 0 means never cache a response that contains the field.
   */
  ttlPerSchemaCoordinate?: Record<string, number>;
  /**
   * After (re)connecting to the stock feed, how long to wait before caching again, so the
   * feed's subscription is active upstream before anything new is cached.
   * @default 300
   */
  feedWarmupMs?: number;
  /**
   * Which callers may share an entry. The cache answers before validation (in `onParams`), so
   * authorization never sees a hit: entries must be keyed by everything authorization depends
   * on — the caller's scopes. Rejecting (a bad credential) refuses the request.
   * @default every caller shares every entry (no authorization)
   */
  session?: (request: Request, context: Record<string, unknown>) => Promise<string | null> | string | null;
  log: Logger;
}

const DEFAULT_TTL_MS = 30_000;
const DEFAULT_MAX_ENTRIES = 10_000;
const DEFAULT_FEED_WARMUP_MS = 300;
const MAX_IN_FLIGHT_KEYS = 50_000;
const UNCACHED_KEY_PREFIX = 'uncached:';
const operationKinds = new LRUCache<string, boolean>({ max: 1000 });

function isMutation(documentString: string, operationName: string | null | undefined): boolean {
  const memo = `${operationName ?? ''}\u0000${documentString}`;
  let mutation = operationKinds.get(memo);
  if (mutation === undefined) {
    try {
      mutation = getOperationAST(parse(documentString), operationName)?.operation === OperationTypeNode.MUTATION;
    } catch {
      mutation = false; // not a document: validation answers it, nothing is cached
    }
    operationKinds.set(memo, mutation);
  }
  return mutation;
}

/** Types whose values move with a SKU's stock; their response-cache id is the SKU. */
const STOCK_TYPES_BY_SKU = ['Product', 'StockLevel', 'ChannelAvailability'] as const;
/** Types that change with stock but whose id is not the SKU: any change drops them all. */
const STOCK_TYPES_WITHOUT_SKU = ['StockMovement', 'Reservation', 'ReservationLine', 'StockChangePayload', 'ReservationPayload'] as const;

export interface StockAwareResponseCache {
  /** Add all of them to the gateway, in this order. */
  plugins: GatewayPlugin[];
  /** Resolves once the stock feed is connected and caching is on. */
  ready: Promise<void>;
  /** Drops every cached response that shows `sku`'s stock. */
  invalidateSku(sku: string): void;
  stats(): { hits: number; misses: number; enabled: boolean };
  dispose(): Promise<void>;
}

/**
 * Response caching for storefront reads that never serves a quantity older than the last
 * published stock change:
 * - the gateway follows the inventory's `stockChanged` feed and drops, per SKU, every cached
 *   response that shows that SKU's stock, before any client of this gateway sees the event
 *   (events passing through to subscribers invalidate too, on their way out);
 * - a response whose execution overlapped any invalidation is not stored, so a read that raced
 *   a change cannot put the old value back;
 * - while the feed is down nothing is cached and nothing is served from cache.
 * Identical queries with identical variables share an entry (no per-user data is cached here:
 * storefront reads are public).
 */
export function useStockAwareResponseCache(options: StockAwareResponseCacheOptions): StockAwareResponseCache {
  if (!options.stockEventsUrl) throw new Error('useStockAwareResponseCache needs stockEventsUrl');
  const log = options.log.child({ component: 'response-cache' });
  const maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
  let entries: Cache = createInMemoryCache({ max: maxEntries });
  let epoch = 0;
  let feedLive = false;
  let hits = 0;
  let misses = 0;
  const startedAtEpoch = new Map<string, number>();

  const flush = () => {
    epoch++;
    entries = createInMemoryCache({ max: maxEntries });
  };

  const expand = (records: Iterable<{ typename: string; id?: string | number }>) => {
    const expanded: Array<{ typename: string; id?: string | number }> = [];
    for (const record of records) {
      expanded.push(record);
      if (record.id != null && (STOCK_TYPES_BY_SKU as readonly string[]).includes(record.typename)) {
        for (const typename of STOCK_TYPES_BY_SKU) expanded.push({ typename, id: record.id });
        for (const typename of STOCK_TYPES_WITHOUT_SKU) expanded.push({ typename });
      }
    }
    return expanded;
  };

  const cache: Cache = {
    get: (key) => entries.get(key),
    set(key, result, collected, ttl) {
      const started = startedAtEpoch.get(key);
      startedAtEpoch.delete(key);
      if (!feedLive || started !== epoch) return;
      return entries.set(key, result, collected, ttl);
    },
    invalidate(records) {
      epoch++;
      return entries.invalidate(expand(records));
    },
  };

  const flushStock = () => {
    void cache.invalidate([...STOCK_TYPES_BY_SKU, ...STOCK_TYPES_WITHOUT_SKU].map((typename) => ({ typename })));
  };

  const invalidateSku = (sku: string) => {
    void cache.invalidate(STOCK_TYPES_BY_SKU.map((typename) => ({ typename, id: sku })));
  };

  const responseCache = useResponseCache({
    cache,
    session: (request, context) => options.session?.(request, context as unknown as Record<string, unknown>) ?? null,
    ttl: options.ttlMs ?? DEFAULT_TTL_MS,
    ttlPerSchemaCoordinate: options.ttlPerSchemaCoordinate ?? {},
    idFields: ['sku', 'id'],
    // Off: the plugin would add `__typename` to the mutation's root selection, which Hive Router's
    // planner sends to a subgraph that owns Mutation fields, failing the answer when that subgraph
    // is down. Mutations through this gateway invalidate below instead, from their result.
    invalidateViaMutation: false,
    enabled: () => feedLive,
    async buildResponseCacheKey(params) {
      // With `invalidateViaMutation` off the plugin treats a mutation like a query: it would store
      // its answer and serve it to the next identical request — someone else's result, and a write
      // that never reaches the inventory. A mutation gets a key of its own that nothing shares.
      if (isMutation(params.documentString, params.operationName)) return `${UNCACHED_KEY_PREFIX}${randomUUID()}`;
      const key = await defaultBuildResponseCacheKey(params);
      if (startedAtEpoch.size > MAX_IN_FLIGHT_KEYS) startedAtEpoch.clear();
      if (!startedAtEpoch.has(key)) startedAtEpoch.set(key, epoch);
      return key;
    },
  });

  const bookkeeping: GatewayPlugin = {
    onExecute({ args }) {
      if (getOperationAST(args.document, args.operationName)?.operation !== OperationTypeNode.MUTATION) return;
      return {
        onExecuteDone({ result }) {
          if (isAsyncIterable(result)) return flushStock();
          const skus = new Set<string>();
          collectSkus(result.data, skus);
          // A stock change the caller did not ask to see the SKU of: drop everything stock-bearing.
          if (skus.size === 0) return flushStock();
          for (const sku of skus) invalidateSku(sku);
        },
      };
    },
    onResultProcess({ result }) {
      if (!feedLive || Array.isArray(result)) return;
      if ((result as Record<symbol, unknown>)[Symbol.for('servedFromResponseCache')]) hits++;
      else misses++;
    },
    onSubscribe() {
      return {
        onSubscribeResult() {
          return {
            onNext({ result }) {
              const event = (result as { data?: { stockChanged?: { sku?: unknown } } }).data?.stockChanged;
              if (!event) return;
              if (typeof event.sku === 'string') invalidateSku(event.sku);
              // The subscriber did not select the SKU, so we cannot tell which entries it touches.
              else flush();
            },
          };
        },
      };
    },
  };

  let warmup: NodeJS.Timeout | undefined;
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });
  const feed: Client = createServiceFeed({
    url: options.stockEventsUrl,
    headers: options.headers ?? {},
    on: {
      connected: () => {
        flush();
        clearTimeout(warmup);
        warmup = setTimeout(() => {
          feedLive = true;
          log.debug('stock feed live: caching on');
          markReady();
        }, options.feedWarmupMs ?? DEFAULT_FEED_WARMUP_MS);
      },
      closed: () => {
        clearTimeout(warmup);
        if (feedLive) log.warn('stock feed lost: caching off until it reconnects');
        feedLive = false;
        flush();
      },
    },
  });
  const unsubscribe = feed.subscribe<{ stockChanged: { sku: string } }>(
    { query: 'subscription PonteResponseCacheInvalidation { stockChanged { sku } }' },
    {
      next: ({ data }) => {
        if (data?.stockChanged) invalidateSku(data.stockChanged.sku);
      },
      error: (error) => log.error({ err: error }, 'stock feed error'),
      complete: () => {},
    },
  );

  return {
    // Yoga's plugin type and the gateway's differ only in the context they declare.
    plugins: [responseCache as unknown as GatewayPlugin, bookkeeping],
    ready,
    invalidateSku,
    stats: () => ({ hits, misses, enabled: feedLive }),
    async dispose() {
      clearTimeout(warmup);
      feedLive = false;
      unsubscribe();
      await feed.dispose();
    },
  };
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}

/** Every string under a `sku` key in a result, at any depth. */
function collectSkus(value: unknown, into: Set<string>): void {
  if (Array.isArray(value)) {
    for (const item of value) collectSkus(item, into);
  } else if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      if (key === 'sku' && typeof child === 'string') into.add(child);
      else collectSkus(child, into);
    }
  }
}
