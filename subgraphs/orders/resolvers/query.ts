import type { OrderConnectionResolvers, OrderPageInfoResolvers, QueryResolvers } from '../generated/resolvers-types.ts';
import { orderChangesPage, orderOnChannel, orderPage } from '../repositories/order-repository.ts';
import { requireScope } from '../services/order-book.ts';

export const Query: QueryResolvers = {
  orders: (_root, { filter, first, after }, { db, principal }) => {
    requireScope(principal, 'orders:read', 'read orders');
    return orderPage(db, filter ?? {}, first, after);
  },
  order: (_root, { id }, { loaders, principal }) => {
    requireScope(principal, 'orders:read', 'read orders');
    return loaders.order.load(id);
  },
  orderOnChannel: async (_root, { channel, platformOrderId }, { db, principal }) => {
    requireScope(principal, 'orders:read', 'read orders');
    return (await orderOnChannel(db, channel, platformOrderId)) ?? null;
  },
  orderChangesSince: (_root, { after, first }, { db, principal }) => {
    requireScope(principal, 'orders:read', 'read order changes');
    return orderChangesPage(db, first, after);
  },
};

export const OrderConnection: OrderConnectionResolvers = {
  edges: (page) => page.edges,
  nodes: (page) => page.edges.map((edge) => edge.node),
  pageInfo: (page) => page,
};

export const OrderPageInfo: OrderPageInfoResolvers = {
  endCursor: (page) => page.edges.at(-1)?.cursor ?? null,
  hasNextPage: (page) => page.hasNextPage,
};
