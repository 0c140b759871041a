import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { createInMemoryCache, useResponseCache, type Cache } from '@graphql-yoga/plugin-response-cache';
import { createHash, randomUUID } from 'node:crypto';
import stableJson from 'fast-json-stable-stringify';
import { LRUCache } from 'lru-cache';
import { getOperationAST, Kind, OperationTypeNode, parse, type DocumentNode, type GraphQLField, type GraphQLNamedType, type GraphQLObjectType, type GraphQLSchema, type GraphQLType, type GraphQLUnionType } from 'graphql';
import type { Client } from 'graphql-ws';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { Logger } from '../../kit/logger.ts';
import { createServiceFeed } from '../../kit/service-feed.ts';
import { createEntityCache, type EntityCache } from './use-entity-cache.ts';
import { createInvalidationLog, type CacheEntity } from './invalidation-log.ts';
import { isRefused } from './refusal.ts';

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
   * A result with more objects than this is answered but not cached: it would take memory
   * from many small storefront pages, and one that size is rarely asked twice.
   * @default DEFAULT_MAX_RESULT_OBJECTS (5_000)
   */
  maxResultObjects?: number;
  /**
   * Which callers may share an entry. The cache answers before validation (in `onParams`), so
   * authorization never sees a hit: entries must be keyed by everything authorization depends
   * on — the caller's scopes. Rejecting (a bad credential) refuses the request.
   * @default every caller shares every entry (no authorization)
   */
  session?: (request: Request, context: Record<string, unknown>) => Promise<string | null> | string | null;
  /** Where hits, misses and invalidations are counted (`ponte_gateway_response_cache_*`). @default not counted */
  metrics?: Registry;
  /**
   * The cache of subgraph answers below this one (`use-entity-cache.ts`), kept fresh by the same
   * invalidations; `sessionOf` gives everything a subgraph's answer depends on besides the request.
   * `false` turns it off.
   * @default on, every caller sharing every entry (no authorization)
   */
  entityCache?: false | { sessionOf?: (context: Record<string, unknown> | undefined) => string | null; maxEntries?: number };
  /**
   * Whether whole responses are cached; `false` keeps only the entity cache (every request is
   * executed, its subgraph fetches answered from cache where they can be).
   * @default true
   */
  responses?: boolean;
  log: Logger;
}

/**
 * Stock is dropped by the feed, so the lifetime bounds only what no event covers: the catalog's
 * title and price. 30 s evicted most of a 5,000-SKU catalogue's long tail before its next visit
 * (55–60 % hits in the storefront mix, against 70 % at 5 minutes: README "Performance").
 */
const DEFAULT_TTL_MS = 300_000;
const DEFAULT_MAX_ENTRIES = 10_000;
const DEFAULT_FEED_WARMUP_MS = 300;
const MAX_IN_FLIGHT_KEYS = 50_000;
/** The storefront page (20 products with stock levels and channels) is ~300 objects. */
export const DEFAULT_MAX_RESULT_OBJECTS = 5_000;

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

/**
 * What @envelop/response-cache's `defaultBuildResponseCacheKey` hashes (document, operation name,
 * variables with sorted keys, session), hashed in this thread: the default goes through WebCrypto's
 * `subtle.digest`, a promise and a thread-pool job per request — 3 % of the gateway's CPU in the
 * storefront mix, for a hash of a few hundred bytes.
 */
function responseCacheKey(params: { documentString: string; operationName?: string | null | undefined; variableValues?: Record<string, unknown> | null | undefined; sessionId?: string | null | undefined }): string {
  return createHash('sha256')
    .update([params.documentString, params.operationName ?? '', stableJson(params.variableValues ?? {}), params.sessionId ?? ''].join('|'))
    .digest('hex');
}

/** Types whose values move with a SKU's stock; their response-cache id is the SKU. */
const STOCK_TYPES_BY_SKU = ['Product', 'StockLevel', 'ChannelAvailability'] as const;
/** Types that change with stock but whose id is not the SKU: any change drops them all. */
const STOCK_TYPES_WITHOUT_SKU = ['StockMovement', 'Reservation', 'ReservationLine', 'StockChangePayload', 'ReservationPayload'] as const;
/**
 * A channel's policy (its routing preference) changes only by a mutation whose payload names the
 * channel (`setChannelRoutingPreference`), never with stock: such a mutation drops every cached
 * channel, as few and as rarely changed as they are. No stock event would, and the TTL is 30 s.
 */
const CHANNEL_POLICY_TYPES = ['Channel', 'ChannelAllocationPolicy'] as const;

/** Whether a root mutation field's payload has a field that returns a Channel. */
function changesChannelPolicy(document: DocumentNode, operationName: string | null | undefined, schema: SchemaInfo): boolean {
  const operation = getOperationAST(document, operationName);
  return (operation?.selectionSet.selections ?? []).some((selection) => {
    if (selection.kind !== Kind.FIELD) return false;
    const payloads = schema.returnTypes.get(`Mutation.${selection.name.value}`) ?? [];
    return payloads.some((payload) => [...schema.returnTypes].some(([coordinate, types]) => coordinate.startsWith(`${payload}.`) && types.includes('Channel')));
  });
}

export interface StockAwareResponseCache {
  /** Add all of them to the gateway, in this order. */
  plugins: GatewayPlugin[];
  /** Resolves once the stock feed is connected and caching is on. */
  ready: Promise<void>;
  /** Drops every cached response that shows `sku`'s stock. */
  invalidateSku(sku: string): void;
  stats(): { hits: number; misses: number; enabled: boolean; entities?: { hits: number; misses: number; stored: number } };
  dispose(): Promise<void>;
}

/**
 * Response caching for storefront reads that never serves a quantity older than the last
 * published stock change:
 * - the gateway follows the inventory's `stockChanged` feed and drops, per SKU, every cached
 *   response that shows that SKU's stock, before any client of this gateway sees the event
 *   (events passing through to subscribers invalidate too, on their way out);
 * - a mutation through this gateway drops what its result shows before its response is sent,
 *   so the writer's next read never sees the old quantity;
 * - a response that shows an entity invalidated while it was executing is not stored, so a read
 *   that raced a change cannot put the old value back (per entity: a write to one SKU does not
 *   keep every other page in flight from being stored);
 * - while the feed is down nothing is cached and nothing is served from cache;
 * - below the responses, an entity cache (use-entity-cache.ts) keeps subgraph answers under the
 *   same invalidations, so pages that share products share their fetches.
 * Identical queries with identical variables share an entry (no per-user data is cached here:
 * storefront reads are public).
 */
export function useStockAwareResponseCache(options: StockAwareResponseCacheOptions): StockAwareResponseCache {
  if (!options.stockEventsUrl) throw new Error('useStockAwareResponseCache needs stockEventsUrl');
  const log = options.log.child({ component: 'response-cache' });
  const maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
  const responsesOn = options.responses !== false;
  let entries: Cache = createInMemoryCache({ max: maxEntries });
  // When each entity last changed: a response (or subgraph answer) that showed one of them while
  // it changed is not stored.
  const invalidations = createInvalidationLog();
  let feedLive = false;
  let hits = 0;
  let misses = 0;
  const startedAt = new Map<string, number>();
  const counters = options.metrics ? cacheMetrics(options.metrics, () => feedLive) : undefined;
  let entityCache: EntityCache | undefined;

  const flush = () => {
    counters?.invalidations.labels('all').inc();
    invalidations.recordEverything();
    entries = createInMemoryCache({ max: maxEntries });
    entityCache?.clear();
  };

  const expand = (records: Iterable<CacheEntity>) => {
    const expanded: CacheEntity[] = [];
    for (const record of records) {
      expanded.push(record);
      if (record.id != null && (STOCK_TYPES_BY_SKU as readonly string[]).includes(record.typename)) {
        for (const typename of STOCK_TYPES_BY_SKU) expanded.push({ typename, id: record.id });
        for (const typename of STOCK_TYPES_WITHOUT_SKU) expanded.push({ typename });
      }
    }
    return expanded;
  };

  const maxResultObjects = options.maxResultObjects ?? DEFAULT_MAX_RESULT_OBJECTS;
  if (!Number.isInteger(maxResultObjects) || maxResultObjects < 1) throw new Error(`useStockAwareResponseCache: maxResultObjects must be a positive integer, got ${maxResultObjects}`);
  const ttlPerSchemaCoordinate = options.ttlPerSchemaCoordinate ?? {};
  /** What our own walk found in each result it prepared for caching; only these are ever stored. */
  const walked = new WeakMap<object, { entities: CacheEntity[]; ttl: number | undefined }>();

  if (options.entityCache !== false) {
    entityCache = createEntityCache({
      isLive: () => feedLive,
      invalidations,
      sessionOf: options.entityCache?.sessionOf ?? (() => 'shared'),
      ttlMs: options.ttlMs ?? DEFAULT_TTL_MS,
      ttlPerSchemaCoordinate,
      uncachedTypes: STOCK_TYPES_WITHOUT_SKU,
      ...(options.entityCache?.maxEntries ? { maxEntries: options.entityCache.maxEntries } : {}),
      maxResultObjects,
    });
  }

  const cache: Cache = {
    get: (key) => entries.get(key),
    set(key, result, _collected, ttl) {
      const started = startedAt.get(key);
      startedAt.delete(key);
      const found = walked.get(result);
      // Not walked by us: a mutation's result, or one too large to keep.
      if (!found || !feedLive || started === undefined || invalidations.changedSince(started, found.entities)) return;
      return entries.set(key, result, found.entities, found.ttl === undefined ? ttl : Math.min(ttl, found.ttl));
    },
    invalidate(records) {
      // A SKU's invalidation names its id; a flush of the stock types names none.
      counters?.invalidations.labels([...records].some((record) => record.id != null) ? 'sku' : 'all').inc();
      const expanded = expand(records);
      invalidations.record(expanded);
      entityCache?.invalidate(expanded);
      return entries.invalidate(expanded);
    },
  };

  const flushStock = () => {
    void cache.invalidate([...STOCK_TYPES_BY_SKU, ...STOCK_TYPES_WITHOUT_SKU].map((typename) => ({ typename })));
  };

  const invalidatedBy = new WeakSet<object>();
  const invalidateSku = (sku: string) => {
    void cache.invalidate(STOCK_TYPES_BY_SKU.map((typename) => ({ typename, id: sku })));
  };

  const responseCache = useResponseCache({
    cache,
    session: (request, context) => options.session?.(request, context as unknown as Record<string, unknown>) ?? null,
    ttl: options.ttlMs ?? DEFAULT_TTL_MS,
    ttlPerSchemaCoordinate,
    idFields: [...ID_FIELDS],
    // Off: the plugin would add `__typename` to the mutation's root selection, which Hive Router's
    // planner sends to a subgraph that owns Mutation fields, failing the answer when that subgraph
    // is down. Mutations through this gateway invalidate below instead, from their result.
    invalidateViaMutation: false,
    // A request refused at onParams (rate limit, allowlist, identity) is never answered from cache.
    enabled: (_request, context) => feedLive && responsesOn && !isRefused(context as object | undefined),
    buildResponseCacheKey(params) {
      // With `invalidateViaMutation` off the plugin treats a mutation like a query: it would store
      // its answer and serve it to the next identical request — someone else's result, and a write
      // that never reaches the inventory. A mutation gets a key of its own that nothing shares.
      if (isMutation(params.documentString, params.operationName)) return `${UNCACHED_KEY_PREFIX}${randomUUID()}`;
      const key = responseCacheKey(params);
      if (startedAt.size > MAX_IN_FLIGHT_KEYS) startedAt.clear();
      if (!startedAt.has(key)) startedAt.set(key, invalidations.now());
      return key;
    },
  });

  /**
   * @envelop/response-cache (9.3.1, esm/plugin.js `removeMetadataFieldsFromResult`) walks every
   * list in a result twice (once as an array, again as an object), so its cost doubles with each
   * level of nested lists: a 22-level `stockLevels { product { stockLevels … } } }` cost seconds
   * of CPU. This plugin, ordered before it, does that walk once, in linear time: it strips the
   * cache's metadata fields, collects the entities for invalidation and counts the objects; then
   * it hands the library a `data` whose prototype is not `Object.prototype`, which the library's
   * walk returns as it is (and JSON serialization ignores). Only results walked here are stored.
   */
  const linearResultWalk: GatewayPlugin = {
    onExecute({ args }) {
      if (!feedLive || !responsesOn) return;
      const operation = getOperationAST(args.document, args.operationName)?.operation;
      if (operation === OperationTypeNode.SUBSCRIPTION) return;
      const schemaInfo = schemaInfoFor(args.schema, ID_FIELDS);
      return {
        onExecuteDone({ result, setResult }) {
          if (isAsyncIterable(result) || !result.data) return;
          const walk = walkResult(result.data, schemaInfo, ttlPerSchemaCoordinate);
          const prepared = { ...result, data: Object.setPrototypeOf(walk.data, WALKED_DATA) as Record<string, unknown> };
          if (operation === OperationTypeNode.QUERY && walk.objects <= maxResultObjects) {
            walked.set(prepared, { entities: walk.entities, ttl: walk.ttl });
          } else if (walk.objects > maxResultObjects) {
            log.debug({ objects: walk.objects, maxResultObjects }, 'result too large to cache');
          }
          setResult(prepared);
        },
      };
    },
  };

  const bookkeeping: GatewayPlugin = {
    onExecute({ args }) {
      if (getOperationAST(args.document, args.operationName)?.operation !== OperationTypeNode.MUTATION) return;
      const policyChange = changesChannelPolicy(args.document, args.operationName, schemaInfoFor(args.schema, ID_FIELDS));
      return {
        onExecuteDone({ result }) {
          if (policyChange) void cache.invalidate(CHANNEL_POLICY_TYPES.map((typename) => ({ typename })));
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
      if ((result as Record<symbol, unknown>)[Symbol.for('servedFromResponseCache')]) {
        hits++;
        counters?.hits.inc();
      } else {
        misses++;
        counters?.misses.inc();
      }
    },
    onSubscribe() {
      return {
        onSubscribeResult() {
          return {
            onNext({ result }) {
              // With fan-out, thousands of subscribers are handed the same result: one invalidation does.
              if (invalidatedBy.has(result)) return;
              invalidatedBy.add(result);
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
    plugins: [linearResultWalk, responseCache as unknown as GatewayPlugin, bookkeeping, ...(entityCache ? [entityCache.plugin] : [])],
    ready,
    invalidateSku,
    stats: () => ({ hits, misses, enabled: feedLive, ...(entityCache ? { entities: entityCache.stats() } : {}) }),
    async dispose() {
      clearTimeout(warmup);
      feedLive = false;
      unsubscribe();
      await feed.dispose();
    },
  };
}

/** The cache's series, in the gateway's registry. */
function cacheMetrics(registry: Registry, enabled: () => boolean) {
  const hits = new Counter({ name: 'ponte_gateway_response_cache_hits_total', help: 'Requests answered from the response cache.', registers: [registry] });
  const misses = new Counter({ name: 'ponte_gateway_response_cache_misses_total', help: 'Requests executed while the cache was on (not found, not cacheable, or a mutation).', registers: [registry] });
  const invalidations = new Counter({
    name: 'ponte_gateway_response_cache_invalidations_total',
    help: "Invalidations: scope sku drops the responses showing one SKU's stock (a stock event, a mutation's result); all drops every stock response or the whole cache (the feed reconnected or was lost).",
    labelNames: ['scope'],
    registers: [registry],
  });
  for (const scope of ['sku', 'all']) invalidations.labels(scope).inc(0);
  new Gauge({
    name: 'ponte_gateway_response_cache_enabled',
    help: "1 while the stock feed is live and the cache serves; 0 while it is down (nothing is cached then).",
    registers: [registry],
    collect() {
      this.set(enabled() ? 1 : 0);
    },
  });
  return { hits, misses, invalidations };
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

/** The fields the response cache reads an entity's id from, in order of preference. */
const ID_FIELDS = ['sku', 'id'] as const;
const METADATA_TYPENAME = '__responseCacheTypeName';
const METADATA_ID = '__responseCacheId';
/** The prototype that tells @envelop/response-cache's own walk that this data is already clean. */
const WALKED_DATA: object = Object.freeze(Object.create(Object.prototype) as object);


export interface SchemaInfo {
  /** `Type.field` → the object types it can return (what a null or empty answer stands for). */
  returnTypes: Map<string, string[]>;
  idFieldByType: Map<string, string>;
}

const schemaInfos = new WeakMap<GraphQLSchema, SchemaInfo>();

/** The same facts @envelop/response-cache reads from the schema (its `onSchemaChange`), once per schema. */
function schemaInfoFor(schema: GraphQLSchema, idFields: readonly string[]): SchemaInfo {
  let info = schemaInfos.get(schema);
  if (info) return info;
  info = { returnTypes: new Map(), idFieldByType: new Map() };
  // Tags, not graphql-js's isObjectType(): the runtime's schema may come from graphql's other
  // module format (CommonJS beside ESM), whose classes fail an instanceof check from this one.
  const tag = (type: GraphQLType) => (type as { [Symbol.toStringTag]?: string })[Symbol.toStringTag];
  const named = (type: GraphQLType): GraphQLNamedType => ('ofType' in type ? named(type.ofType) : type);
  for (const type of Object.values(schema.getTypeMap())) {
    if (tag(type) !== 'GraphQLObjectType' || type.name.startsWith('__')) continue;
    for (const field of Object.values((type as GraphQLObjectType).getFields()) as Array<GraphQLField<unknown, unknown>>) {
      const returned = named(field.type);
      info.returnTypes.set(`${type.name}.${field.name}`, tag(returned) === 'GraphQLUnionType' ? (returned as GraphQLUnionType).getTypes().map((member) => member.name) : [returned.name]);
      if (idFields.includes(field.name) && !info.idFieldByType.has(type.name)) info.idFieldByType.set(type.name, field.name);
    }
  }
  schemaInfos.set(schema, info);
  return info;
}

/**
 * One pass over a result: a copy without the cache's metadata fields, the entities it shows
 * (`Type:id`, and the bare type for every null or empty field, as the library records them),
 * the shortest TTL any of its types asks for, and how many objects it holds.
 */
export function walkResult(data: Record<string, unknown>, schema: SchemaInfo, ttlPerSchemaCoordinate: Record<string, number>): { data: Record<string, unknown>; entities: CacheEntity[]; ttl: number | undefined; objects: number } {
  const entities = new Map<string, CacheEntity>();
  let ttl: number | undefined;
  let objects = 0;
  const copy = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(copy);
    if (value === null || typeof value !== 'object') return value;
    objects++;
    const source = value as Record<string, unknown>;
    const target: Record<string, unknown> = {};
    for (const key in source) {
      if (key !== METADATA_TYPENAME && key !== METADATA_ID) target[key] = copy(source[key]);
    }
    const typename = source[METADATA_TYPENAME] ?? source.__typename;
    if (typeof typename === 'string') {
      const metadataId = source[METADATA_ID];
      const idField = schema.idFieldByType.get(typename);
      const id = typeof metadataId === 'string' || typeof metadataId === 'number' ? metadataId : idField ? target[idField] : undefined;
      if (typeof id === 'string' || typeof id === 'number') entities.set(`${typename}:${id}`, { typename, id });
      else entities.set(typename, { typename });
      const typeTtl = ttlPerSchemaCoordinate[typename];
      if (typeTtl !== undefined) ttl = ttl === undefined ? typeTtl : Math.min(ttl, typeTtl);
      for (const key in target) {
        const child = target[key];
        if (child == null || (Array.isArray(child) && child.length === 0)) {
          for (const returned of schema.returnTypes.get(`${typename}.${key}`) ?? []) entities.set(returned, { typename: returned });
        }
      }
    }
    return target;
  };
  return { data: copy(data) as Record<string, unknown>, entities: [...entities.values()], ttl, objects };
}
