import type { FulfilmentResolvers, OrderLineResolvers, OrderResolvers, OrderTotalsResolvers } from '../generated/resolvers-types.ts';
import type { OrderRow } from '../models.ts';

const money = (amountInCents: number, currency: string) => ({ amountInCents, currency });

export const Order: OrderResolvers = {
  __resolveReference: ({ id }, { loaders }) => loaders.order.load(id),
  channel: ({ channelId }) => ({ id: channelId }),
  shipTo: ({ shipToPostalCode }) => (shipToPostalCode ? { postalCode: shipToPostalCode } : null),
  customer: ({ customerId }) => (customerId ? { id: customerId } : null),
  totals: (order) => order,
  lines: ({ id }, _args, { loaders }) => loaders.lines.load(id),
  statusHistory: ({ id }, _args, { loaders }) => loaders.statusHistory.load(id),
  fulfilments: ({ id }, _args, { loaders }) => loaders.fulfilments.load(id),
};

export const OrderTotals: OrderTotalsResolvers = {
  subtotal: (order: OrderRow) => money(order.subtotalCents, order.currency),
  discounts: (order: OrderRow) => money(order.discountCents, order.currency),
  shipping: (order: OrderRow) => money(order.shippingCents, order.currency),
  tax: (order: OrderRow) => money(order.taxCents, order.currency),
  total: (order: OrderRow) => money(order.totalCents, order.currency),
};

export const OrderLine: OrderLineResolvers = {
  product: ({ sku }) => (sku ? { sku } : null),
  unitPrice: ({ unitPriceCents, currency }) => money(unitPriceCents, currency),
  discount: ({ discountCents, currency }) => money(discountCents, currency),
  total: ({ quantity, unitPriceCents, discountCents, currency }) => money(Math.max(0, quantity * unitPriceCents - discountCents), currency),
  reservation: ({ reservationId }) => (reservationId ? { id: reservationId } : null),
};

export const Fulfilment: FulfilmentResolvers = {
  lines: ({ lines }) => lines,
};
