/**
 * The shapes the orders subgraph's resolvers pass around, as read from the database; codegen's
 * mappers point the GraphQL types at them.
 */
export type OrderStatus = 'OPEN' | 'PARTIALLY_FULFILLED' | 'FULFILLED' | 'CANCELLED';
export type OrderLineStatus = 'OPEN' | 'FULFILLED' | 'CANCELLED';
export type OrderChangeKind = 'PLACED' | 'STATUS_CHANGED' | 'UPDATED' | 'FULFILMENT_ADDED';
export type RecordOutcome = 'CREATED' | 'UPDATED' | 'UNCHANGED' | 'STALE';

export interface MoneyValue {
  amountInCents: number;
  currency: string;
}

export interface OrderRow {
  id: string;
  channelId: string;
  platform: string;
  platformOrderId: string;
  status: OrderStatus;
  placedAt: string;
  updatedAt: string;
  currency: string;
  subtotalCents: number;
  discountCents: number;
  shippingCents: number;
  taxCents: number;
  totalCents: number;
  shipToPostalCode: string | null;
  customerId: string | null;
  recordedAt: string;
  changedAt: string;
  /** placed_at to the microsecond, for keyset cursors. */
  placedAtKey: string;
}

export interface OrderLineRow {
  orderId: string;
  lineId: string;
  sku: string | null;
  quantity: number;
  status: OrderLineStatus;
  unitPriceCents: number;
  discountCents: number;
  reservationId: string | null;
  currency: string;
}

export interface OrderStatusChangeRow {
  orderId: string;
  status: OrderStatus;
  at: string;
  source: string;
}

export interface FulfilmentRow {
  id: string;
  orderId: string;
  carrier: string;
  trackingCode: string;
  trackingUrl: string | null;
  lines: Array<{ lineId: string; quantity: number }>;
  at: string;
  source: string;
}

export interface OrderEvent {
  id: string;
  orderId: string;
  channelId: string;
  kind: OrderChangeKind;
  status: OrderStatus;
  occurredAt: string;
  traceparent: string | null;
}

export interface OrderEdgeValue {
  cursor: string;
  node: OrderRow;
}

export interface OrderPage {
  edges: OrderEdgeValue[];
  hasNextPage: boolean;
}

export interface RecordResult {
  order: OrderRow;
  outcome: RecordOutcome;
}

/** A parcel on a channel's fulfilment feed (channelFulfilments). */
export interface ChannelFulfilmentRow {
  cursor: string;
  fulfilmentId: string;
  orderId: string;
  platformOrderId: string;
  carrier: string;
  trackingCode: string;
  trackingUrl: string | null;
  shippedAt: string;
  lines: Array<{ lineId: string; sku: string | null; quantity: number }>;
}

export interface FulfilResult {
  order: OrderRow;
  fulfilment: FulfilmentRow;
  replayed: boolean;
}

/** Entity references as the gateway sends them. */
export interface ProductRef {
  sku: string;
}
export interface CustomerRef {
  id: string;
}
export interface ReservationRef {
  id: string;
}
