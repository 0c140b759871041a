import type { Resolvers } from '../generated/resolvers-types.ts';
import { Channel, ChannelAllocationPolicy, ChannelAvailability } from './channel.ts';
import { Location } from './location.ts';
import { Mutation } from './mutation.ts';
import { Product } from './product.ts';
import { Query } from './query.ts';
import { Reservation, ReservationLine, ReservationLineRouting } from './reservation.ts';
import { StockLevel } from './stock-level.ts';
import { StockMovement } from './stock-movement.ts';
import { StockChangedEvent, Subscription } from './subscription.ts';

export const resolvers: Resolvers = {
  Query,
  Mutation,
  Subscription,
  Product,
  Location,
  StockLevel,
  Channel,
  ChannelAllocationPolicy,
  ChannelAvailability,
  StockMovement,
  Reservation,
  ReservationLine,
  ReservationLineRouting,
  StockChangedEvent,
};
