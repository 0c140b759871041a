import { GATEWAY_SECRET_HEADER } from '../../kit/subgraph-server.ts';
import { SpanKind, traceHeaders, withSpan } from '../../kit/telemetry.ts';

/** How a Ponte service proves itself to the inventory, over HTTP and on the feed's WebSocket upgrade. */
export function serviceHeaders(options: { secret?: string | undefined; serviceKey?: string | undefined }): Record<string, string> {
  return {
    ...(options.secret ? { [GATEWAY_SECRET_HEADER]: options.secret } : {}),
    ...(options.serviceKey ? { authorization: `Bearer ${options.serviceKey}` } : {}),
  };
}

/** The canonical inventory refused the operation (a domain error with its code). */
export class InventoryRejection extends Error {
  readonly code: string;
  readonly details: Record<string, unknown>;

  constructor(code: string, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'InventoryRejection';
    this.code = code;
    this.details = details;
  }
}

/** The inventory could not be reached or failed unexpectedly: try again later. */
export class InventoryUnavailable extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InventoryUnavailable';
  }
}

export interface InventoryClientOptions {
  /** The inventory subgraph's GraphQL URL. */
  url: string;
  /** The gateway secret, sent too while an inventory without a key store is still running. */
  secret?: string | undefined;
  /**
   * This service's own API key (`PONTE_SERVICE_KEY`), sent as `Authorization: Bearer`: the
   * inventory records its principal (e.g. `service:shopify`) as the actor on every ledger row and
   * keeps its idempotency keys in that principal's namespace, where no one else can claim them.
   */
  serviceKey?: string | undefined;
  /** @default 5000 */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export interface ReservationLine {
  sku: string;
  quantity: number;
  lineReference?: string;
}

const DEFAULT_TIMEOUT_MS = 5000;
const EXPECTED_FAILURES = new Set([
  'UNKNOWN_SKU', 'UNKNOWN_LOCATION', 'UNKNOWN_CHANNEL', 'UNKNOWN_RESERVATION', 'INVALID_QUANTITY', 'INSUFFICIENT_STOCK',
  'RESERVATION_NOT_OPEN', 'IDEMPOTENCY_KEY_REUSED', 'BAD_USER_INPUT', 'QUANTITY_LIMIT_EXCEEDED', 'FORBIDDEN',
]);

export interface InventoryError {
  message: string;
  path?: ReadonlyArray<string | number>;
  extensions?: Record<string, unknown>;
}

/**
 * How a platform subgraph turns channel orders into canonical stock operations: the inventory
 * subgraph's own mutations, called directly (service to service), each with an idempotency key
 * derived from the platform's ids so a retry or a duplicate webhook applies once.
 */
export class InventoryClient {
  readonly #options: InventoryClientOptions;

  constructor(options: InventoryClientOptions) {
    if (!options.url) throw new Error('InventoryClient needs the inventory URL');
    this.#options = options;
  }

  /** `deliverTo`: the order's ship-to CEP, so the inventory ships each line from the nearest location with stock. */
  async reserve(input: { idempotencyKey: string; channel: string; orderReference: string; lines: ReservationLine[]; reason?: string; deliverTo?: { postalCode: string } }): Promise<{ reservationId: string }> {
    const data = await this.request<{ reserveStock: { reservation: { id: string } } }>(
      'mutation Reserve($input: ReserveStockInput!) { reserveStock(input: $input) { reservation { id } } }',
      { input },
    );
    return { reservationId: data.reserveStock.reservation.id };
  }

  async release(input: { idempotencyKey: string; reservationId: string; reason?: string }): Promise<void> {
    await this.request('mutation Release($input: ReservationActionInput!) { releaseReservation(input: $input) { replayed } }', { input });
  }

  async fulfil(input: { idempotencyKey: string; reservationId: string; reason?: string }): Promise<void> {
    await this.request('mutation Fulfil($input: ReservationActionInput!) { fulfilReservation(input: $input) { replayed } }', { input });
  }

  /** Any operation on the inventory, as this service; domain errors become InventoryRejection. */
  async request<Data>(query: string, variables: Record<string, unknown>): Promise<Data> {
    const body = await this.#send<Data>(query, variables);
    const error = body.errors?.[0];
    if (error) throw toFailure(error);
    return body.data as Data;
  }

  /**
   * A read whose answer may be partial: a list element the inventory could not answer is null,
   * with its error beside it. Resolves to both; throws only when there is no data at all.
   */
  async requestPartial<Data>(query: string, variables: Record<string, unknown>): Promise<{ data: Data; errors: InventoryError[] }> {
    const body = await this.#send<Data>(query, variables);
    if (body.data == null) throw toFailure(body.errors?.[0] ?? { message: 'inventory answered no data' });
    return { data: body.data, errors: body.errors ?? [] };
  }

  /** One call to the inventory, in a client span whose traceparent the inventory continues. */
  #send<Data>(query: string, variables: Record<string, unknown>): Promise<{ data?: Data | null; errors?: InventoryError[] }> {
    const operationName = /^\s*(?:query|mutation|subscription)\s+(\w+)/.exec(query)?.[1] ?? 'anonymous';
    return withSpan(
      `inventory ${operationName}`,
      { kind: SpanKind.CLIENT, attributes: { 'graphql.operation.name': operationName, 'server.address': new URL(this.#options.url).host } },
      () => this.#post<Data>(query, variables),
    );
  }

  async #post<Data>(query: string, variables: Record<string, unknown>): Promise<{ data?: Data | null; errors?: InventoryError[] }> {
    let response: Response;
    try {
      response = await (this.#options.fetch ?? fetch)(this.#options.url, {
        method: 'POST',
        headers: traceHeaders({
          'content-type': 'application/json',
          ...serviceHeaders(this.#options),
        }),
        body: JSON.stringify({ query, variables }),
        signal: AbortSignal.timeout(this.#options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
      });
    } catch (error) {
      throw new InventoryUnavailable(`inventory unreachable: ${(error as Error).message}`, { cause: error });
    }
    if (!response.ok) throw new InventoryUnavailable(`inventory answered HTTP ${response.status}`);
    return (await response.json()) as { data?: Data | null; errors?: InventoryError[] };
  }
}

function toFailure(error: InventoryError): InventoryRejection | InventoryUnavailable {
  const code = String(error.extensions?.['code'] ?? 'INTERNAL_SERVER_ERROR');
  if (EXPECTED_FAILURES.has(code)) return new InventoryRejection(code, error.message, error.extensions ?? {});
  return new InventoryUnavailable(`inventory failed: ${error.message}`);
}
