import { GATEWAY_SECRET_HEADER } from '../../kit/subgraph-server.ts';
import { SpanKind, traceHeaders, withSpan } from '../../kit/telemetry.ts';

/** How a Ponte service proves itself to another (the inventory, the orders subgraph), over HTTP and on a feed's WebSocket upgrade. */
export function serviceHeaders(options: { secret?: string | undefined; serviceKey?: string | undefined }): Record<string, string> {
  return {
    ...(options.secret ? { [GATEWAY_SECRET_HEADER]: options.secret } : {}),
    ...(options.serviceKey ? { authorization: `Bearer ${options.serviceKey}` } : {}),
  };
}

export interface ServiceClientOptions {
  /** The other service's GraphQL URL. */
  url: string;
  /** The gateway secret, sent too while a service without a key store is still running. */
  secret?: string | undefined;
  /**
   * This service's own API key (`PONTE_SERVICE_KEY`), sent as `Authorization: Bearer`: the other
   * service records its principal (e.g. `service:shopify`) as the actor and holds it to its scopes
   * and channels.
   */
  serviceKey?: string | undefined;
  /** @default 5000 */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export interface ServiceError {
  message: string;
  path?: ReadonlyArray<string | number>;
  extensions?: Record<string, unknown>;
}

/** How a client tells the domain's refusals (not worth retrying as they are) from failures to try again. */
export interface ServiceFailures {
  /** Error codes the other service answers for a request it refuses on its merits. */
  expected: ReadonlySet<string>;
  rejection: (code: string, message: string, details: Record<string, unknown>) => Error;
  unavailable: (message: string, cause?: unknown) => Error;
}

const DEFAULT_TIMEOUT_MS = 5000;

/**
 * For a reader that retries whatever goes wrong (a feed followed from a watermark): no refusal is
 * final, every failure is a plain Error with the other service's message.
 */
export const RETRY_EVERY_FAILURE: ServiceFailures = {
  expected: new Set(),
  rejection: (_code, message) => new Error(message),
  unavailable: (message, cause) => new Error(message, cause === undefined ? undefined : { cause }),
};

/**
 * A GraphQL client from one Ponte service to another, as a service (its own key), each call in a
 * client span the other service continues. Domain errors become the client's rejection; anything
 * else (unreachable, HTTP errors, unexpected errors) its "unavailable", to retry later.
 */
export class ServiceClient {
  readonly #service: string;
  readonly #options: ServiceClientOptions;
  readonly #failures: ServiceFailures;

  constructor(service: string, options: ServiceClientOptions, failures: ServiceFailures) {
    this.#service = service;
    this.#options = options;
    this.#failures = failures;
  }

  /** Any operation on the service; domain errors become the client's rejection. */
  async request<Data>(query: string, variables: Record<string, unknown>): Promise<Data> {
    const body = await this.#send<Data>(query, variables);
    const error = body.errors?.[0];
    if (error) throw this.#toFailure(error);
    return body.data as Data;
  }

  /**
   * A read whose answer may be partial: a list element the service could not answer is null,
   * with its error beside it. Resolves to both; throws only when there is no data at all.
   */
  async requestPartial<Data>(query: string, variables: Record<string, unknown>): Promise<{ data: Data; errors: ServiceError[] }> {
    const body = await this.#send<Data>(query, variables);
    if (body.data == null) throw this.#toFailure(body.errors?.[0] ?? { message: `${this.#service} answered no data` });
    return { data: body.data, errors: body.errors ?? [] };
  }

  #send<Data>(query: string, variables: Record<string, unknown>): Promise<{ data?: Data | null; errors?: ServiceError[] }> {
    const operationName = /^\s*(?:query|mutation|subscription)\s+(\w+)/.exec(query)?.[1] ?? 'anonymous';
    return withSpan(
      `${this.#service} ${operationName}`,
      { kind: SpanKind.CLIENT, attributes: { 'graphql.operation.name': operationName, 'server.address': new URL(this.#options.url).host } },
      () => this.#post<Data>(query, variables),
    );
  }

  async #post<Data>(query: string, variables: Record<string, unknown>): Promise<{ data?: Data | null; errors?: ServiceError[] }> {
    let response: Response;
    try {
      response = await (this.#options.fetch ?? fetch)(this.#options.url, {
        method: 'POST',
        headers: traceHeaders({ 'content-type': 'application/json', ...serviceHeaders(this.#options) }),
        body: JSON.stringify({ query, variables }),
        signal: AbortSignal.timeout(this.#options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
      });
    } catch (error) {
      throw this.#failures.unavailable(`${this.#service} unreachable: ${(error as Error).message}`, error);
    }
    if (!response.ok) throw this.#failures.unavailable(`${this.#service} answered HTTP ${response.status}`);
    return (await response.json()) as { data?: Data | null; errors?: ServiceError[] };
  }

  #toFailure(error: ServiceError): Error {
    const code = String(error.extensions?.['code'] ?? 'INTERNAL_SERVER_ERROR');
    if (this.#failures.expected.has(code)) return this.#failures.rejection(code, error.message, error.extensions ?? {});
    return this.#failures.unavailable(`${this.#service} failed: ${error.message}`);
  }
}
