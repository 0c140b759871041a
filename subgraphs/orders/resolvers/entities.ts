import type { CustomerResolvers, ProductResolvers, ReservationResolvers } from '../generated/resolvers-types.ts';
import { pageSize } from '../repositories/order-repository.ts';

const pageKey = (first: number | null | undefined, after: string | null | undefined, key: string) => `${pageSize(first)}|${after ?? ''}|${key}`;

export const Product: ProductResolvers = {
  // Any SKU: one that sold nothing has an empty page, and the inventory says whether it exists.
  __resolveReference: ({ sku }) => ({ sku }),
  orders: ({ sku }, { first, after }, { loaders }) => loaders.ordersBySku.load(pageKey(first, after, sku)),
};

export const Customer: CustomerResolvers = {
  __resolveReference: ({ id }) => ({ id }),
  orders: ({ id }, { first, after }, { loaders }) => loaders.ordersByCustomer.load(pageKey(first, after, id)),
};

export const Reservation: ReservationResolvers = {
  __resolveReference: ({ id }) => ({ id }),
  order: ({ id }, _args, { loaders }) => loaders.orderByReservation.load(id),
};
