import { callService, ServiceUnreachable, type ServiceCallOptions, type ServiceGraphqlError } from './service-graphql.ts';

export { serviceHeaders } from './service-graphql.ts';

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

/**
 * The inventory's URL and this service's credentials. With `serviceKey` the inventory records
 * this service's principal (e.g. `service:shopify`) as the actor on every ledger row and keeps its
 * idempotency keys in that principal's namespace, where no one else can claim them.
 */
export type InventoryClientOptions = ServiceCallOptions;

export interface ReservationLine {
  sku: string;
  quantity: number;
  lineReference?: string;
}

const EXPECTED_FAILURES = new Set([
  'UNKNOWN_SKU', 'UNKNOWN_LOCATION', 'UNKNOWN_CHANNEL', 'UNKNOWN_RESERVATION', 'INVALID_QUANTITY', 'INSUFFICIENT_STOCK',
  'RESERVATION_NOT_OPEN', 'IDEMPOTENCY_KEY_REUSED', 'BAD_USER_INPUT', 'QUANTITY_LIMIT_EXCEEDED', 'FORBIDDEN',
]);

export type InventoryError = ServiceGraphqlError;

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

  async reserve(input: { idempotencyKey: string; channel: string; orderReference: string; lines: ReservationLine[]; reason?: string }): Promise<{ reservationId: string }> {
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
  async #send<Data>(query: string, variables: Record<string, unknown>): Promise<{ data?: Data | null; errors?: InventoryError[] }> {
    try {
      return await callService<Data>('inventory', this.#options, query, variables);
    } catch (error) {
      if (error instanceof ServiceUnreachable) throw new InventoryUnavailable(error.message, { cause: error.cause });
      throw error;
    }
  }
}

function toFailure(error: InventoryError): InventoryRejection | InventoryUnavailable {
  const code = String(error.extensions?.['code'] ?? 'INTERNAL_SERVER_ERROR');
  if (EXPECTED_FAILURES.has(code)) return new InventoryRejection(code, error.message, error.extensions ?? {});
  return new InventoryUnavailable(`inventory failed: ${error.message}`);
}
