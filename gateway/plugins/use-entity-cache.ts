import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { createInMemoryCache, type Cache } from '@graphql-yoga/plugin-response-cache';
import { relocatedError, type ExecutionRequest, type Executor } from '@graphql-tools/utils';
import {
  getNamedType,
  getOperationAST,
  isCompositeType,
  Kind,
  OperationTypeNode,
  print,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLError,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import type { CacheEntity, InvalidationLog } from './invalidation-log.ts';

export interface EntityCacheOptions {
  /** Whether caching is allowed right now (the stock feed is live). */
  isLive: () => boolean;
  /** Shared with the response cache: what changed when. */
  invalidations: InvalidationLog;
  /**
   * Everything the subgraphs' answer depends on besides the request itself: the caller's scopes
   * and the channels and locations it is held to. `null` means never cache this request.
   */
  sessionOf: (context: Record<string, unknown> | undefined) => string | null;
  /** Upper bound on an entry's life, for data no stock event covers. @default 30_000 */
  ttlMs?: number;
  /** Lifetimes by schema coordinate, in ms, from the SDL's `@cacheControl`; 0 never caches. */
  ttlPerSchemaCoordinate?: Record<string, number>;
  /** Types no entry may show: their changes are not tied to one SKU, or they depend on who asks. */
  uncachedTypes?: readonly string[];
  /** @default 50_000 */
  maxEntries?: number;
  /** An entity or fetch with more objects than this is not kept. @default 5_000 */
  maxResultObjects?: number;
}

export interface EntityCache {
  plugin: GatewayPlugin;
  /** Drops every entry that shows one of these entities (a bare typename: any of that type). */
  invalidate(entities: Iterable<CacheEntity>): void;
  clear(): void;
  stats(): { hits: number; misses: number; stored: number };
}

const DEFAULT_TTL_MS = 30_000;
const DEFAULT_MAX_ENTRIES = 50_000;
const DEFAULT_MAX_RESULT_OBJECTS = 5_000;
/** The fields the cache reads an object's id from, in order of preference (as the response cache). */
const ID_FIELDS = ['sku', 'id'] as const;
/** Added to every selection of a subgraph fetch, stripped from its answer before the planner sees it. */
const TYPE_ALIAS = '__ponteEntityType';
const ID_ALIAS = '__ponteEntityId';
/** Keeps fetches begun on either side of an invalidation from sharing one upstream request. */
export const SINCE_HEADER = 'x-ponte-cache-since';

interface FetchPlan {
  /** The fetch's document with our aliases added. */
  document: DocumentNode;
  printed: string;
  ttl: number;
  /** `_entities(representations: $<this>)`, when that is the fetch's only root field. */
  representationsVariable: string | null;
  /** `Type.field` → the object types it can return: what a null or empty answer stands for. */
  returnTypes: Map<string, string[]>;
}

/**
 * A cache of subgraph answers below the response cache, so that a product page and a listing
 * page share what they have in common, and a write to one SKU costs the next page only that
 * SKU's fetches:
 * - `_entities` fetches are cached per representation (one product's title and price from the
 *   catalog, one product's stock from the inventory), keyed by (subgraph, selection, the
 *   representation — typename and key —, the session);
 * - other query fetches (a page of products, one product by SKU) are cached whole, keyed by
 *   (subgraph, document, variables, session).
 * Every entry is tagged with the entities its answer shows (`Product:<sku>`, `StockLevel:<sku>`,
 * … read from an alias added to each selection) and dropped by the same invalidations as the
 * response cache: the stock feed, and a mutation's own result before its response is sent. An
 * answer whose entities changed while it was being fetched is not stored. Lifetimes come from the
 * SDL's `@cacheControl` (a field with maxAge 0 is never cached) under a default bound.
 */
export function createEntityCache(options: EntityCacheOptions): EntityCache {
  const maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
  const defaultTtl = options.ttlMs ?? DEFAULT_TTL_MS;
  const ttls = options.ttlPerSchemaCoordinate ?? {};
  const uncached = new Set(options.uncachedTypes ?? []);
  const maxObjects = options.maxResultObjects ?? DEFAULT_MAX_RESULT_OBJECTS;
  let entries: Cache = createInMemoryCache({ max: maxEntries });
  let stored = 0;
  let hits = 0;
  let misses = 0;
  const plans = new WeakMap<GraphQLSchema, WeakMap<DocumentNode, FetchPlan | null>>();

  const planFor = (schema: GraphQLSchema, document: DocumentNode): FetchPlan | null => {
    let bySchema = plans.get(schema);
    if (!bySchema) plans.set(schema, (bySchema = new WeakMap()));
    let plan = bySchema.get(document);
    if (plan === undefined) {
      plan = makePlan(schema, document, { defaultTtl, ttls, uncached });
      bySchema.set(document, plan);
    }
    return plan;
  };

  const store = (key: string, value: unknown, entities: CacheEntity[], ttl: number, since: number) => {
    if (!options.isLive() || options.invalidations.changedSince(since, entities)) return;
    void entries.set(key, { json: JSON.stringify(value) } as unknown as ExecutionResult, entities, ttl);
    stored++;
  };
  const lookup = async (key: string): Promise<unknown> => {
    const found = (await entries.get(key)) as unknown as { json: string } | null | undefined;
    // A copy on every hit: the planner merges other subgraphs' fields into what it is given.
    return found ? JSON.parse(found.json) : undefined;
  };

  const plugin: GatewayPlugin = {
    onSubgraphExecute({ subgraph, subgraphName, executionRequest, executor, setExecutor }) {
      if (!options.isLive()) return;
      const operation = executionRequest.operationType ?? getOperationAST(executionRequest.document, executionRequest.operationName)?.operation;
      if (operation !== OperationTypeNode.QUERY) return;
      const session = options.sessionOf(executionRequest.context as Record<string, unknown> | undefined);
      if (session === null) return;
      const plan = planFor(subgraph, executionRequest.document);
      const upstream = executor as Executor;
      if (!plan) {
        setExecutor(((request: ExecutionRequest) => upstream(sinceNow(request, options.invalidations.now()))) as Executor);
        return;
      }
      const prefix = `${subgraphName}\u0000${session}\u0000${plan.printed}\u0000`;
      const cachedExecutor = async (request: ExecutionRequest): Promise<ExecutionResult> => {
        const since = options.invalidations.now();
        const next = (sent: ExecutionRequest) => upstream(sinceNow(sent, since));
        const variables = (request.variables ?? {}) as Record<string, unknown>;
        const representations = plan.representationsVariable ? variables[plan.representationsVariable] : undefined;
        if (Array.isArray(representations)) {
          const { [plan.representationsVariable!]: _, ...others } = variables;
          const keyOf = (representation: unknown) => `${prefix}${JSON.stringify(others)}\u0000${JSON.stringify(representation)}`;
          const answers: unknown[] = await Promise.all(representations.map((representation) => lookup(keyOf(representation))));
          const missing: number[] = [];
          answers.forEach((answer, index) => (answer === undefined ? missing.push(index) : hits++));
          if (missing.length === 0) return { data: { _entities: answers } };
          misses += missing.length;
          const result = (await next({ ...request, document: plan.document, variables: { ...variables, [plan.representationsVariable!]: missing.map((index) => representations[index]) } })) as ExecutionResult;
          const fetched = (result.data as { _entities?: unknown[] } | null | undefined)?._entities;
          const errors = result.errors?.map((error) => relocate(error, missing));
          if (!Array.isArray(fetched)) return { ...result, ...(errors ? { errors } : {}) };
          // An entity with an error (or none) is answered, never kept.
          const failed = new Set((result.errors ?? []).map((error) => (error.path?.[0] === '_entities' ? error.path[1] : undefined)));
          const unattributed = (result.errors ?? []).some((error) => error.path?.[0] !== '_entities' || typeof error.path[1] !== 'number');
          fetched.forEach((entity, position) => {
            const walked = walkAnswer(entity, plan.returnTypes);
            answers[missing[position]!] = walked.data;
            if (entity != null && !unattributed && !failed.has(position) && walked.objects <= maxObjects) store(keyOf(representations[missing[position]!]), walked.data, walked.entities, plan.ttl, since);
          });
          return { ...result, data: { ...result.data, _entities: answers }, ...(errors ? { errors } : {}) };
        }
        const key = `${prefix}${JSON.stringify(variables)}`;
        const cached = await lookup(key);
        if (cached !== undefined) {
          hits++;
          return { data: cached } as ExecutionResult;
        }
        misses++;
        const result = (await next({ ...request, document: plan.document })) as ExecutionResult;
        if (!result.data) return result;
        const walked = walkAnswer(result.data, plan.returnTypes);
        // `product(sku: "X")` answered null shows no Product:X, yet registering X changes it.
        const entities = [...walked.entities, ...productsNamedIn(variables)];
        if (!result.errors?.length && walked.objects <= maxObjects) store(key, walked.data, entities, plan.ttl, since);
        return { ...result, data: walked.data as Record<string, unknown> };
      };
      setExecutor(cachedExecutor as Executor);
    },
  };

  return {
    plugin,
    invalidate(entities) {
      void entries.invalidate(entities);
    },
    clear() {
      entries = createInMemoryCache({ max: maxEntries });
    },
    stats: () => ({ hits, misses, stored }),
  };
}

/**
 * The HTTP executor shares one upstream fetch among identical requests in flight. A fetch that
 * began before a write's invalidation may still be running after it, holding the old quantity:
 * a request that begins after the invalidation must not join it (and then store or serve what it
 * read). Sending the invalidation log's position as a header makes fetches begun on either side
 * of an invalidation different requests, while those begun between the same two still share.
 */
function sinceNow(request: ExecutionRequest, since: number): ExecutionRequest {
  const extensions = (request.extensions ?? {}) as Record<string, unknown> & { headers?: Record<string, string> };
  return { ...request, extensions: { ...extensions, headers: { ...extensions.headers, [SINCE_HEADER]: String(since) } } };
}

/** `Product:<sku>` for every SKU a fetch's variables name (`sku`, `skus`). */
function productsNamedIn(variables: Record<string, unknown>): CacheEntity[] {
  const found: CacheEntity[] = [];
  for (const [name, value] of Object.entries(variables)) {
    if (!/^skus?$/i.test(name)) continue;
    for (const sku of Array.isArray(value) ? value : [value]) if (typeof sku === 'string') found.push({ typename: 'Product', id: sku });
  }
  return found;
}

/** An error about the n-th of the representations sent, moved to the position the planner asked for. */
function relocate(error: GraphQLError, sent: number[]): GraphQLError {
  const path = error.path;
  if (path?.[0] !== '_entities' || typeof path[1] !== 'number' || sent[path[1]] === undefined) return error;
  return relocatedError(error, ['_entities', sent[path[1]]!, ...path.slice(2)]);
}

/**
 * Adds `__ponteEntityType: __typename` and `__ponteEntityId: sku` (or `id`) to every selection
 * of the fetch, and decides whether it may be cached at all: not when it selects a field or type
 * whose lifetime is 0, or a type listed as uncached, or already uses our aliases.
 */
function makePlan(schema: GraphQLSchema, document: DocumentNode, policy: { defaultTtl: number; ttls: Record<string, number>; uncached: Set<string> }): FetchPlan | null {
  const operation = getOperationAST(document);
  if (!operation || operation.operation !== OperationTypeNode.QUERY) return null;
  let ttl = policy.defaultTtl;
  let cacheable = true;
  const returnTypes = new Map<string, string[]>();
  const typeInfo = new TypeInfo(schema);
  // A document that already uses our aliases could not be told apart from what we add.
  if (print(document).includes(TYPE_ALIAS) || print(document).includes(ID_ALIAS)) return null;
  const rewritten = visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const parent = typeInfo.getParentType();
        const type = typeInfo.getType();
        if (!parent || !type) return;
        const named = getNamedType(type);
        const coordinateTtl = policy.ttls[`${parent.name}.${node.name.value}`];
        const typeTtl = policy.ttls[named.name];
        for (const candidate of [coordinateTtl, typeTtl]) if (candidate !== undefined) ttl = Math.min(ttl, candidate);
        if (policy.uncached.has(named.name) || policy.uncached.has(parent.name)) cacheable = false;
        const possible = isCompositeType(named) ? ('getTypes' in named ? named.getTypes().map((member) => member.name) : [named.name]) : [];
        if (possible.length) returnTypes.set(`${parent.name}.${node.name.value}`, possible);
      },
      SelectionSet(node): SelectionSetNode | undefined {
        const parent = typeInfo.getParentType();
        if (!parent) return undefined;
        const selections = [...node.selections, { kind: Kind.FIELD, alias: { kind: Kind.NAME, value: TYPE_ALIAS }, name: { kind: Kind.NAME, value: '__typename' } } as const];
        const fields = 'getFields' in parent ? parent.getFields() : {};
        const idField = ID_FIELDS.find((name) => name in fields);
        if (idField) selections.push({ kind: Kind.FIELD, alias: { kind: Kind.NAME, value: ID_ALIAS }, name: { kind: Kind.NAME, value: idField } } as never);
        return { ...node, selections };
      },
    }),
  );
  if (!cacheable || ttl <= 0) return null;
  const root = getOperationAST(rewritten)!;
  const rootFields = root.selectionSet.selections.filter((selection) => selection.kind === Kind.FIELD && selection.name.value !== '__typename');
  let representationsVariable: string | null = null;
  const only = rootFields.length === 1 && rootFields[0]!.kind === Kind.FIELD ? rootFields[0] : undefined;
  if (only && only.name.value === '_entities' && !only.alias) {
    const argument = only.arguments?.find((candidate) => candidate.name.value === 'representations');
    if (argument?.value.kind === Kind.VARIABLE) representationsVariable = argument.value.name.value;
  }
  return { document: rewritten, printed: print(rewritten), ttl, representationsVariable, returnTypes };
}

/**
 * One pass over a subgraph's answer: a copy without our aliases, the entities it shows (`Type:id`,
 * and the bare type of each null or empty field, as the response cache records them) and how
 * many objects it holds.
 */
export function walkAnswer(value: unknown, returnTypes: Map<string, string[]>): { data: unknown; entities: CacheEntity[]; objects: number } {
  const entities = new Map<string, CacheEntity>();
  let objects = 0;
  const copy = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(copy);
    if (node === null || typeof node !== 'object') return node;
    objects++;
    const source = node as Record<string, unknown>;
    const target: Record<string, unknown> = {};
    for (const key in source) if (key !== TYPE_ALIAS && key !== ID_ALIAS) target[key] = copy(source[key]);
    const typename = source[TYPE_ALIAS];
    if (typeof typename === 'string') {
      const id = source[ID_ALIAS];
      if (typeof id === 'string' || typeof id === 'number') entities.set(`${typename}:${id}`, { typename, id });
      else entities.set(typename, { typename });
      for (const key in target) {
        const child = target[key];
        if (child == null || (Array.isArray(child) && child.length === 0)) {
          for (const returned of returnTypes.get(`${typename}.${key}`) ?? []) entities.set(returned, { typename: returned });
        }
      }
    }
    return target;
  };
  return { data: copy(value), entities: [...entities.values()], objects };
}
