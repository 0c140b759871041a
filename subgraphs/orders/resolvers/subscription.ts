import { endsOnReturn } from '../../../kit/outbox-relay.ts';
import { GATEWAY_PRINCIPAL } from '../../../kit/subgraph-server.ts';
import type { OrderChangedEventResolvers, SubscriptionResolvers } from '../generated/resolvers-types.ts';
import { createOrdersLoaders } from '../context.ts';
import type { OrderEvent } from '../models.ts';
import { requireScope } from '../services/order-book.ts';

export const Subscription: SubscriptionResolvers = {
  orderChanged: {
    subscribe: (_root, { channel, status }, context) => {
      // The gateway subscribes upstream as itself (one upstream subscription serves every caller with
      // the same rights), having checked the caller's scopes; anyone else is held to orders:subscribe.
      if (context.principal?.id !== GATEWAY_PRINCIPAL.id) requireScope(context.principal, 'orders:subscribe', 'follow orders');
      return endsOnReturn(async function* (signal) {
        const accept = (event: OrderEvent) => (!channel || event.channelId === channel) && (!status || event.status === status);
        for await (const event of context.orderEvents.events(accept, signal)) {
          // Each event reads the order afresh: a subscription lives for hours, a loader's cache must not.
          context.loaders = createOrdersLoaders(context.db);
          yield { orderChanged: event };
        }
      });
    },
  },
};

export const OrderChangedEvent: OrderChangedEventResolvers = {
  order: async ({ orderId }, _args, { loaders }) => {
    const order = await loaders.order.load(orderId);
    if (!order) throw new Error(`order ${orderId} of an outbox event is missing`);
    return order;
  },
};
