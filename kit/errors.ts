import { GraphQLError } from 'graphql';

/**
 * Expected errors: each has a machine-readable code that clients branch on, and names the
 * ids involved. Anything else that escapes a resolver is masked as INTERNAL_SERVER_ERROR.
 */
export const ErrorCode = {
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  UNKNOWN_SKU: 'UNKNOWN_SKU',
  UNKNOWN_LOCATION: 'UNKNOWN_LOCATION',
  UNKNOWN_CHANNEL: 'UNKNOWN_CHANNEL',
  UNKNOWN_RESERVATION: 'UNKNOWN_RESERVATION',
  UNKNOWN_PRIVACY_REQUEST: 'UNKNOWN_PRIVACY_REQUEST',
  UNKNOWN_ORDER_EXCEPTION: 'UNKNOWN_ORDER_EXCEPTION',
  /** The order exception was already resolved or dismissed (by someone else, or by an earlier request with another key). */
  ORDER_EXCEPTION_CLOSED: 'ORDER_EXCEPTION_CLOSED',
  INVALID_QUANTITY: 'INVALID_QUANTITY',
  INSUFFICIENT_STOCK: 'INSUFFICIENT_STOCK',
  /** A stock level or a SKU's total would pass the inventory's ceiling (see STOCK_CEILING). */
  QUANTITY_LIMIT_EXCEEDED: 'QUANTITY_LIMIT_EXCEEDED',
  CHANGE_FROM_QUANTITY_STALE: 'CHANGE_FROM_QUANTITY_STALE',
  RESERVATION_NOT_OPEN: 'RESERVATION_NOT_OPEN',
  IDEMPOTENCY_KEY_REUSED: 'IDEMPOTENCY_KEY_REUSED',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  /** Authenticated, but the principal may not do this (a scope it lacks, a channel, location or reservation not its own). */
  FORBIDDEN: 'FORBIDDEN',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
  /** A feed's resume point (`after`) is older than the events it keeps: read the current state again, then subscribe without it. */
  RESUME_POINT_EXPIRED: 'RESUME_POINT_EXPIRED',
  // Customers.
  UNKNOWN_CUSTOMER: 'UNKNOWN_CUSTOMER',
  /** The profile was merged into another or erased: act on the active one (named in the details). */
  CUSTOMER_NOT_ACTIVE: 'CUSTOMER_NOT_ACTIVE',
  UNKNOWN_MERGE: 'UNKNOWN_MERGE',
  /** The merge was undone already, or one of its profiles was erased or merged again since. */
  MERGE_NOT_UNDOABLE: 'MERGE_NOT_UNDOABLE',
  // Orders.
  UNKNOWN_ORDER: 'UNKNOWN_ORDER',
  UNKNOWN_ORDER_LINE: 'UNKNOWN_ORDER_LINE',
  /** A cancelled order ships nothing. */
  ORDER_CANCELLED: 'ORDER_CANCELLED',
  /** More units than remain to ship on a line (details: lineId, remaining). */
  FULFILMENT_EXCEEDS_ORDER: 'FULFILMENT_EXCEEDS_ORDER',
  // Access (API keys).
  UNKNOWN_API_KEY: 'UNKNOWN_API_KEY',
  API_KEY_NOT_ACTIVE: 'API_KEY_NOT_ACTIVE',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/**
 * The HTTP status a request refused as a whole answers with. Errors raised by one field inside
 * an operation keep HTTP 200 (the rest of the answer still arrives); these apply when the
 * gateway or a subgraph refuses the request before executing anything.
 */
export const ERROR_HTTP_STATUS: Partial<Record<ErrorCode, number>> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
};

export class PonteError extends GraphQLError {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(message, { extensions: { code, ...details } });
    this.name = 'PonteError';
    this.code = code;
  }
}

export function isPonteError(error: unknown): error is PonteError {
  return error instanceof PonteError;
}
