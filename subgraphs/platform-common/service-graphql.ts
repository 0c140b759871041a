import { GATEWAY_SECRET_HEADER } from '../../kit/subgraph-server.ts';
import { SpanKind, traceHeaders, withSpan } from '../../kit/telemetry.ts';

/**
 * The HTTP plumbing every service-to-service GraphQL call shares (the platform subgraphs calling
 * the inventory, the orders subgraph calling the customers subgraph): this service's credentials,
 * a timeout, and a client span whose traceparent the callee continues.
 */
export interface ServiceCallOptions {
  /** The callee's GraphQL URL. */
  url: string;
  /** The gateway secret, sent too while a callee without a key store is still running. */
  secret?: string | undefined;
  /** This service's own API key (`PONTE_SERVICE_KEY`), sent as `Authorization: Bearer`. */
  serviceKey?: string | undefined;
  /** @default 5000 */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export interface ServiceGraphqlError {
  message: string;
  path?: ReadonlyArray<string | number>;
  extensions?: Record<string, unknown>;
}

/** The callee could not be reached, or answered an HTTP error: try again later. */
export class ServiceUnreachable extends Error {
  readonly status: number | undefined;
  constructor(message: string, options: { cause?: unknown; status?: number } = {}) {
    super(message, { cause: options.cause });
    this.name = 'ServiceUnreachable';
    this.status = options.status;
  }
}

const DEFAULT_TIMEOUT_MS = 5000;

/** How a Ponte service proves itself to another, over HTTP and on a WebSocket upgrade. */
export function serviceHeaders(options: { secret?: string | undefined; serviceKey?: string | undefined }): Record<string, string> {
  return {
    ...(options.secret ? { [GATEWAY_SECRET_HEADER]: options.secret } : {}),
    ...(options.serviceKey ? { authorization: `Bearer ${options.serviceKey}` } : {}),
  };
}

/** One GraphQL request to `callee` (named in the span and in errors); its body as answered. */
export function callService<Data>(callee: string, options: ServiceCallOptions, query: string, variables: Record<string, unknown>): Promise<{ data?: Data | null; errors?: ServiceGraphqlError[] }> {
  const operationName = /^\s*(?:query|mutation|subscription)\s+(\w+)/.exec(query)?.[1] ?? 'anonymous';
  return withSpan(
    `${callee} ${operationName}`,
    { kind: SpanKind.CLIENT, attributes: { 'graphql.operation.name': operationName, 'server.address': new URL(options.url).host } },
    async () => {
      let response: Response;
      try {
        response = await (options.fetch ?? fetch)(options.url, {
          method: 'POST',
          headers: traceHeaders({ 'content-type': 'application/json', ...serviceHeaders(options) }),
          body: JSON.stringify({ query, variables }),
          signal: AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
        });
      } catch (error) {
        throw new ServiceUnreachable(`${callee} unreachable: ${(error as Error).message}`, { cause: error });
      }
      if (!response.ok) throw new ServiceUnreachable(`${callee} answered HTTP ${response.status}`, { status: response.status });
      return (await response.json()) as { data?: Data | null; errors?: ServiceGraphqlError[] };
    },
  );
}
