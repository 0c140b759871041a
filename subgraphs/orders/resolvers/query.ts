import type { OrderConnectionResolvers, OrderPageInfoResolvers, QueryResolvers } from '../generated/resolvers-types.ts';
import { ErrorCode, PonteError } from '../../../kit/errors.ts';
import { channelFulfilmentsAfter, orderChangesPage, orderOnChannel, orderPage } from '../repositories/order-repository.ts';
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
  channelFulfilments: (_root, { channel, after, first }, { db, principal }) => {
    requireScope(principal, 'orders:read', 'read orders');
    // A platform subgraph's key names its channel: it follows that one only.
    if (principal?.channels && !principal.channels.includes(channel)) throw new PonteError(ErrorCode.FORBIDDEN, `${principal.name} may not follow channel ${channel}`, { channel });
    const size = first ?? MAX_FEED_PAGE;
    if (!Number.isInteger(size) || size < 1 || size > MAX_FEED_PAGE) throw new PonteError(ErrorCode.BAD_USER_INPUT, `first must be 1 to ${MAX_FEED_PAGE}`, { field: 'first' });
    if (after && !/^\d{1,18}$/.test(after)) throw new PonteError(ErrorCode.BAD_USER_INPUT, 'after is not a cursor this feed gave', { field: 'after' });
    return channelFulfilmentsAfter(db, channel, Number(after ?? 0), size);
  },
};

const MAX_FEED_PAGE = 100;

export const OrderConnection: OrderConnectionResolvers = {
  edges: (page) => page.edges,
  nodes: (page) => page.edges.map((edge) => edge.node),
  pageInfo: (page) => page,
};

export const OrderPageInfo: OrderPageInfoResolvers = {
  endCursor: (page) => page.edges.at(-1)?.cursor ?? null,
  hasNextPage: (page) => page.hasNextPage,
};
