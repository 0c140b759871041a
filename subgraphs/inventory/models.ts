/**
 * The shapes resolvers pass around, as read from the database. GraphQL types map onto these
 * through codegen's mappers, so each field resolver starts from a known row.
 */

/**
 * The most units of one SKU the inventory holds, summed over its locations, for each of on-hand,
 * committed, incoming and safety stock (so also the most at any one location). A write that would
 * pass it fails with QUANTITY_LIMIT_EXCEEDED and changes nothing.
 *
 * Why a ceiling rather than 64-bit columns: every quantity the schema exposes (a level, a SKU's
 * `totalAvailable`, a channel's `available` over several locations, a movement's delta) is a
 * GraphQL `Int`, which is 32-bit (https://spec.graphql.org/October2021/#sec-Int). Bigint columns
 * would only move the overflow from the database to the answer, or force every client onto a
 * new scalar. A ceiling far above any real merchant (a billion units of one SKU) and below
 * 2^31 - 1 keeps every sum of levels exact in an `Int`, with integer columns unchanged.
 */
export const STOCK_CEILING = 1_000_000_000;

export type LocationKind = 'WAREHOUSE' | 'STORE' | 'THIRD_PARTY_LOGISTICS';
export type ChannelKind = 'SHOPIFY' | 'WOOCOMMERCE' | 'MERCADO_LIVRE' | 'AMAZON' | 'POINT_OF_SALE' | 'OTHER';
export type StockMovementKind =
  | 'RECEIPT'
  | 'ADJUSTMENT'
  | 'COUNT'
  | 'TRANSFER_OUT'
  | 'TRANSFER_IN'
  | 'RESERVATION'
  | 'FULFILMENT'
  | 'RELEASE'
  | 'RETURN'
  | 'INCOMING'
  | 'SAFETY_STOCK';
export type ReservationStatus = 'OPEN' | 'FULFILLED' | 'RELEASED';

/** An entity reference: all the gateway sends, and all a Product resolver needs to start. */
export interface ProductRef {
  sku: string;
}

export interface LocationRow {
  id: string;
  name: string;
  kind: LocationKind;
  priority: number;
  postalCode: string | null;
}

export interface StockLevelRow {
  sku: string;
  locationId: string;
  onHand: number;
  committed: number;
  safetyStock: number;
  incoming: number;
  version: number;
  /** ISO 8601. */
  updatedAt: string;
}

export interface ChannelRow {
  id: string;
  name: string;
  kind: ChannelKind;
  bufferUnits: number;
  percentageOfAvailable: number;
  maxListedQuantity: number | null;
  minListedQuantity: number;
  backordersAllowed: boolean;
  /** Feeding locations in routing order (by location priority). */
  locationIds: string[];
  /** How reservations pick among those locations when a delivery CEP is known (routing/plan.ts). */
  routingPreference: RoutingPreference;
}

export type RoutingPreference = 'NEAREST' | 'FEWEST_PARCELS';

export interface ChannelAvailabilityValue {
  sku: string;
  channelId: string;
  available: number;
  quantity: number;
  backordersAllowed: boolean;
  /** Sum of the SKU's level versions: each change bumps one level's version, so this only grows. */
  stockVersion: number;
}

export interface StockMovementRow {
  id: string;
  kind: StockMovementKind;
  sku: string;
  locationId: string;
  onHandDelta: number;
  committedDelta: number;
  incomingDelta: number;
  safetyStockDelta: number;
  actor: string;
  /** The principal's id; null on rows written before principals, or by in-process callers. */
  actorId: string | null;
  reason: string | null;
  reference: string | null;
  idempotencyKey: string;
  reservationId: string | null;
  /** ISO 8601. */
  occurredAt: string;
}

/** One part of an order line at one location: a line split across locations has several. */
export interface ReservationLineRow {
  sku: string;
  locationId: string;
  quantity: number;
  lineReference: string | null;
  /**
   * 1-based position of the order line in the request; absent in answers stored (for
   * idempotent replay) before routing existed.
   */
  orderLine?: number | null;
  /** Why this location: see routing/plan.ts. */
  routingReason?: string | null;
  /** Estimated distance to the delivery CEP (routing/cep.ts); null when either CEP is unknown. */
  distanceKm?: number | null;
}

export interface ReservationRow {
  id: string;
  channelId: string;
  orderReference: string;
  status: ReservationStatus;
  /** The principal that created it; null before principals, or for in-process callers. */
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
  lines: ReservationLineRow[];
  /** The delivery CEP it was routed to (8 digits), if the caller gave one. */
  deliverToPostalCode?: string | null;
  /** The channel's preference when it was routed; null before routing existed. */
  routingPreference?: RoutingPreference | null;
}

/** A channel's changed allocation policy. */
export interface ChannelPolicyResult {
  channel: ChannelRow;
  replayed: boolean;
}

export interface StockChangeResult {
  movements: StockMovementRow[];
  levels: StockLevelRow[];
  replayed: boolean;
}

export interface ReservationResult extends StockChangeResult {
  reservation: ReservationRow;
}

/** One outbox row, as delivered to subscribers. */
export interface StockEvent {
  id: string;
  sku: string;
  locationId: string;
  kind: StockMovementKind;
  /** The changed level, as committed. */
  level: StockLevelRow;
  /** Every level of the SKU as committed, so channel availability needs no further read. */
  levels: StockLevelRow[];
  occurredAt: string;
  /** The W3C traceparent of the operation that committed it (null when tracing was off). */
  traceparent: string | null;
  /** Set on delivery when the subscriber asked for one channel's availability only. */
  channelFilter?: string | null;
}

export interface ProductPage {
  nodes: ProductRef[];
  pageInfo: { endCursor: string | null; hasNextPage: boolean };
}

/** The largest value a GraphQL Int carries (https://spec.graphql.org/October2021/#sec-Int). */
export const GRAPHQL_MAX_INT = 2_147_483_647;

export function availableAt(level: Pick<StockLevelRow, 'onHand' | 'committed' | 'safetyStock'>): number {
  return Math.max(0, level.onHand - level.committed - level.safetyStock);
}
