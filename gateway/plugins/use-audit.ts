import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { getOperationAST, Kind, OperationTypeNode, parse, type DocumentNode, type ExecutionResult, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import { AUDIT_PATH } from '../../kit/api-key-resolver.ts';
import type { Logger } from '../../kit/logger.ts';
import type { Principal } from '../../kit/principal.ts';
import { redact } from '../../kit/redact.ts';
import { GATEWAY_SECRET_HEADER } from '../../kit/subgraph-server.ts';

export interface AuditOptions {
  /** The access subgraph's URL (its /graphql URL or base URL: only the origin is used). */
  accessUrl: string;
  /** The gateway secret, which the access subgraph's audit route requires. */
  secret: string | undefined;
  log: Logger;
  /** @default 200 */
  flushIntervalMs?: number;
  /** Entries per POST; a full batch is sent at once. @default 100 */
  maxBatch?: number;
  /** Attempts per batch before it is dropped (and the drop logged). @default 5 */
  maxAttempts?: number;
  /** Entries held while the access subgraph is unreachable; beyond it the oldest are dropped. @default 10_000 */
  maxQueued?: number;
  /** Error codes that make a request "refused", audited whatever its operation. @default ['UNAUTHENTICATED', 'FORBIDDEN'] */
  refusalCodes?: readonly string[];
  /**
   * Take the client's address from `x-forwarded-for` (first hop) rather than the socket: only
   * behind a proxy that sets it, or clients could write whatever address they like.
   * @default false
   */
  trustProxy?: boolean;
}

export interface AuditEntry {
  occurredAt: string;
  principalId: string | null;
  principalRole: string | null;
  operationType: 'query' | 'mutation' | 'subscription';
  operationName: string | null;
  rootFields: string[];
  variables: unknown;
  outcome: string;
  durationMs: number;
  clientIp: string | null;
  userAgent: string | null;
}

export interface Audit {
  /** Add to the gateway first, so it sees requests other plugins refuse. */
  plugin: GatewayPlugin;
  /** Sends whatever is queued; resolves when the queue is empty (or its batches were dropped). */
  flush(): Promise<void>;
  /** Stops the timer and sends what is left. */
  dispose(): Promise<void>;
}

const DEFAULT_FLUSH_INTERVAL_MS = 200;
const DEFAULT_MAX_BATCH = 100;
const DEFAULT_MAX_ATTEMPTS = 5;
const DEFAULT_MAX_QUEUED = 10_000;
const DEFAULT_REFUSAL_CODES = ['UNAUTHENTICATED', 'FORBIDDEN'];
const SEND_TIMEOUT_MS = 2000;
const MAX_ROOT_FIELDS = 50;
/**
 * Variables larger than this (as JSON, after redaction) are recorded as a marker, so that a full
 * batch stays under the subgraph's 1 MB body limit (100 × 8 KB) and the log is not a data store.
 */
export const MAX_AUDITED_VARIABLES_BYTES = 8 * 1024;
/** A refused request's query is parsed to name its fields; beyond this many tokens it is not. */
const MAX_REFUSED_QUERY_TOKENS = 2000;

interface RequestContext {
  principal?: Principal | undefined;
  request?: Request;
  req?: { socket?: { remoteAddress?: string } };
}

/**
 * The audit trail at the gateway: every mutation, every subscription start, and every request
 * refused with UNAUTHENTICATED or FORBIDDEN (whatever its operation), with the principal the
 * identity plugin put on the context (`context.principal`; none means anonymous). Queries that
 * succeed are not recorded: storefront reads are most of the traffic and change nothing.
 *
 * Entries are queued and sent to the access subgraph in batches (every `flushIntervalMs` or
 * `maxBatch` entries), retried with backoff, and flushed on close; recording never delays or
 * fails the request it describes. Variables are redacted here (kit/redact.ts) and again there.
 * Hooks: envelop's onExecute/onSubscribe (https://the-guild.dev/graphql/envelop/docs/plugins/lifecycle)
 * and Yoga's onResultProcess, which sees errors raised before execution (parse, validation, auth).
 */
export function useAudit(options: AuditOptions): Audit {
  if (!options.accessUrl) throw new Error('useAudit needs the access subgraph url');
  const log = options.log.child({ component: 'audit' });
  const endpoint = new URL(AUDIT_PATH, options.accessUrl).toString();
  const flushIntervalMs = options.flushIntervalMs ?? DEFAULT_FLUSH_INTERVAL_MS;
  const maxBatch = options.maxBatch ?? DEFAULT_MAX_BATCH;
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const maxQueued = options.maxQueued ?? DEFAULT_MAX_QUEUED;
  const refusalCodes = new Set(options.refusalCodes ?? DEFAULT_REFUSAL_CODES);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (options.secret) headers[GATEWAY_SECRET_HEADER] = options.secret;

  const queue: AuditEntry[] = [];
  let timer: NodeJS.Timeout | undefined;
  let sending: Promise<void> = Promise.resolve();
  let disposed = false;
  /** Requests already recorded by an execution hook, so the result hook does not record them twice. */
  const recorded = new WeakSet<Request>();
  const contexts = new WeakMap<Request, RequestContext>();
  const startedAt = new WeakMap<Request, number>();
  /** The request's parameters, for naming a request refused before it was parsed into an operation. */
  const requestParams = new WeakMap<Request, { query?: string | undefined; operationName?: string | undefined; variables?: Record<string, unknown> | undefined }>();

  async function send(batch: AuditEntry[]): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        const response = await fetch(endpoint, { method: 'POST', headers, body: JSON.stringify({ entries: batch }), signal: AbortSignal.timeout(SEND_TIMEOUT_MS) });
        if (response.ok) {
          await response.body?.cancel();
          return;
        }
        const answer = await response.text();
        // A batch the access subgraph refuses as malformed will be refused again: drop it now.
        if (response.status >= 400 && response.status < 500) {
          log.error({ status: response.status, answer: answer.slice(0, 500), entries: batch.length }, 'audit batch refused; entries dropped');
          return;
        }
        throw new Error(`access subgraph answered ${response.status}`);
      } catch (error) {
        if (attempt >= maxAttempts) {
          log.error({ err: error, entries: batch.length }, 'audit batch not delivered; entries dropped');
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, Math.min(2000, 100 * 2 ** (attempt - 1))));
      }
    }
  }

  function flush(): Promise<void> {
    clearTimeout(timer);
    timer = undefined;
    sending = sending.then(async () => {
      while (queue.length > 0) await send(queue.splice(0, maxBatch));
    });
    return sending;
  }

  function enqueue(entry: AuditEntry): void {
    queue.push(entry);
    if (queue.length > maxQueued) {
      queue.splice(0, queue.length - maxQueued);
      log.warn({ maxQueued }, 'audit queue full: oldest entries dropped');
    }
    if (queue.length >= maxBatch) void flush();
    else if (!timer && !disposed) timer = setTimeout(() => void flush(), flushIntervalMs).unref();
  }

  function client(request: Request | undefined, context: RequestContext | undefined): { clientIp: string | null; userAgent: string | null } {
    const forwarded = options.trustProxy ? request?.headers.get('x-forwarded-for')?.split(',')[0]?.trim() : undefined;
    return {
      clientIp: forwarded || context?.req?.socket?.remoteAddress || null,
      userAgent: request?.headers.get('user-agent')?.slice(0, 500) ?? null,
    };
  }

  type Operation = Pick<AuditEntry, 'operationType' | 'operationName' | 'rootFields'>;

  /** One entry; the monotonic start gives the duration, and occurredAt is now minus it. */
  function entryFor(operation: Operation, variables: unknown, outcome: string, context: RequestContext | undefined, request: Request | undefined, startedMonotonic: number): AuditEntry {
    const durationMs = Math.max(0, performance.now() - startedMonotonic);
    return {
      occurredAt: new Date(Date.now() - durationMs).toISOString(),
      principalId: context?.principal?.id ?? null,
      principalRole: context?.principal?.role ?? null,
      ...operation,
      variables: variables ? boundedVariables(redact(variables)) : null,
      outcome,
      durationMs: Math.round(durationMs),
      ...client(request, context),
    };
  }

  function outcomeOf(result: ExecutionResult | undefined): { outcome: string; refused: boolean } {
    const codes = new Set<string>();
    for (const error of result?.errors ?? []) codes.add(String(error.extensions?.['code'] ?? 'INTERNAL_SERVER_ERROR'));
    if (codes.size === 0) return { outcome: 'ok', refused: false };
    return { outcome: [...codes].sort().join(','), refused: [...codes].some((code) => refusalCodes.has(code)) };
  }

  function describe(document: DocumentNode, operationName: string | null | undefined) {
    const operation = getOperationAST(document, operationName);
    return {
      operationType: (operation?.operation ?? 'query') as AuditEntry['operationType'],
      operationName: operation?.name?.value ?? operationName ?? null,
      rootFields: operation ? rootFieldsOf(operation, document) : [],
    };
  }

  const plugin: GatewayPlugin = {
    onRequest({ request }) {
      startedAt.set(request, performance.now());
    },
    onContextBuilding() {
      return ({ context }) => {
        const request = (context as RequestContext).request;
        if (request) contexts.set(request, context as RequestContext);
      };
    },
    onExecute({ args }) {
      const context = args.contextValue as RequestContext;
      const started = performance.now();
      const operation = describe(args.document, args.operationName);
      return {
        onExecuteDone({ result }) {
          if (isAsyncIterable(result)) return;
          const { outcome, refused } = outcomeOf(result);
          if (operation.operationType !== OperationTypeNode.MUTATION && !refused) return;
          if (context.request) recorded.add(context.request);
          enqueue(entryFor(operation, args.variableValues, outcome, context, context.request, started));
        },
      };
    },
    onSubscribe({ args }) {
      const context = args.contextValue as RequestContext;
      const started = performance.now();
      const operation = describe(args.document, args.operationName);
      const done = (outcome: string) => {
        if (context.request) recorded.add(context.request);
        enqueue(entryFor(operation, args.variableValues, outcome, context, context.request, started));
      };
      return {
        onSubscribeResult({ result }) {
          done(isAsyncIterable(result) ? 'ok' : outcomeOf(result).outcome);
        },
        onSubscribeError({ error }) {
          done(String((error as { extensions?: Record<string, unknown> }).extensions?.['code'] ?? 'INTERNAL_SERVER_ERROR'));
        },
      };
    },
    // Requests refused before execution (a bad credential, a failed check in validation) never
    // reach onExecute; their error result passes here. Batched requests are recorded above only.
    onResultProcess({ request, result, serverContext }) {
      if (Array.isArray(result) || isAsyncIterable(result) || recorded.has(request)) return;
      const { outcome, refused } = outcomeOf(result as ExecutionResult);
      if (!refused) return;
      const context = contexts.get(request) ?? (serverContext as RequestContext);
      const params = requestParams.get(request);
      const operation: Operation = params?.query ? describeText(params.query, params.operationName) : { operationType: 'query', operationName: params?.operationName ?? null, rootFields: [] };
      enqueue(entryFor(operation, params?.variables, outcome, context, request, startedAt.get(request) ?? performance.now()));
    },
    onParams({ request, params }) {
      requestParams.set(request, params);
    },
    async onDispose() {
      await dispose();
    },
  };

  function describeText(query: string, operationName: string | undefined) {
    try {
      return describe(parse(query, { noLocation: true, maxTokens: MAX_REFUSED_QUERY_TOKENS }), operationName);
    } catch {
      return { operationType: (/^\s*(mutation|subscription)\b/.exec(query)?.[1] ?? 'query') as AuditEntry['operationType'], operationName: operationName ?? null, rootFields: [] };
    }
  }

  async function dispose(): Promise<void> {
    if (disposed) return sending;
    disposed = true;
    await flush();
  }

  return { plugin, flush, dispose };
}

function boundedVariables(variables: unknown): unknown {
  return JSON.stringify(variables).length > MAX_AUDITED_VARIABLES_BYTES ? { '[truncated]': true } : variables;
}

/** The root fields an operation selects (field names, not aliases), fragments followed. */
function rootFieldsOf(operation: OperationDefinitionNode, document: DocumentNode): string[] {
  const fields = new Set<string>();
  const fragments = new Map(document.definitions.filter((definition) => definition.kind === Kind.FRAGMENT_DEFINITION).map((fragment) => [fragment.name.value, fragment]));
  const visited = new Set<string>();
  const walk = (selectionSet: SelectionSetNode) => {
    for (const selection of selectionSet.selections) {
      if (fields.size >= MAX_ROOT_FIELDS) return;
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value !== '__typename') fields.add(selection.name.value);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) walk(selection.selectionSet);
      else if (!visited.has(selection.name.value)) {
        visited.add(selection.name.value);
        const fragment = fragments.get(selection.name.value);
        if (fragment) walk(fragment.selectionSet);
      }
    }
  };
  walk(operation.selectionSet);
  return [...fields];
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}
