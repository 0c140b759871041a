import type { Resolvers } from '../generated/resolvers-types.ts';
import { Customer, Product, Reservation } from './entities.ts';
import { Mutation } from './mutation.ts';
import { Fulfilment, Order, OrderLine, OrderTotals } from './order.ts';
import { OrderConnection, OrderPageInfo, Query } from './query.ts';
import { OrderChangedEvent, Subscription } from './subscription.ts';

export const resolvers: Resolvers = {
  Query,
  Mutation,
  Subscription,
  Order,
  OrderTotals,
  OrderLine,
  Fulfilment,
  OrderConnection,
  OrderPageInfo,
  OrderChangedEvent,
  Product,
  Customer,
  Reservation,
};
