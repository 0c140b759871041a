import { ServiceClient, type ServiceClientOptions, type ServiceError } from './service-client.ts';

export { serviceHeaders } from './service-client.ts';

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

export type InventoryClientOptions = ServiceClientOptions;

export interface ReservationLine {
  sku: string;
  quantity: number;
  lineReference?: string;
}

const EXPECTED_FAILURES = new Set([
  'UNKNOWN_SKU', 'UNKNOWN_LOCATION', 'UNKNOWN_CHANNEL', 'UNKNOWN_RESERVATION', 'INVALID_QUANTITY', 'INSUFFICIENT_STOCK',
  'RESERVATION_NOT_OPEN', 'IDEMPOTENCY_KEY_REUSED', 'BAD_USER_INPUT', 'QUANTITY_LIMIT_EXCEEDED', 'FORBIDDEN',
]);

export type InventoryError = ServiceError;

/**
 * How a platform subgraph turns channel orders into canonical stock operations: the inventory
 * subgraph's own mutations, called directly (service to service), each with an idempotency key
 * derived from the platform's ids so a retry or a duplicate webhook applies once.
 */
export class InventoryClient extends ServiceClient {
  constructor(options: InventoryClientOptions) {
    if (!options.url) throw new Error('InventoryClient needs the inventory URL');
    super('inventory', options, {
      expected: EXPECTED_FAILURES,
      rejection: (code, message, details) => new InventoryRejection(code, message, details),
      unavailable: (message, cause) => new InventoryUnavailable(message, cause === undefined ? undefined : { cause }),
    });
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
}
