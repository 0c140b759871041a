import type { ReservationLineResolvers, ReservationLineRoutingResolvers, ReservationResolvers } from '../generated/resolvers-types.ts';

/** Lines reserved before routing existed, as migration 005 describes them. */
const BEFORE_ROUTING = 'reserved before routing: first location by priority with all units';

export const Reservation: ReservationResolvers = {
  __resolveReference: ({ id }, { loaders }) => loaders.reservation.load(id),
  channel: async ({ channelId }, _args, { loaders }) => (await loaders.channel.load(channelId))!,
  deliverTo: ({ deliverToPostalCode }) => (deliverToPostalCode ? { postalCode: `${deliverToPostalCode.slice(0, 5)}-${deliverToPostalCode.slice(5)}` } : null),
  routingPreference: ({ routingPreference }) => routingPreference ?? null,
};

export const ReservationLine: ReservationLineResolvers = {
  product: ({ sku }) => ({ sku }),
  location: async ({ locationId }, _args, { loaders }) => (await loaders.location.load(locationId))!,
  orderLine: ({ orderLine }) => orderLine ?? null,
  // The line row carries its routing: the decision and the units it placed are one record.
  routing: (line) => line,
};

export const ReservationLineRouting: ReservationLineRoutingResolvers = {
  location: async ({ locationId }, _args, { loaders }) => (await loaders.location.load(locationId))!,
  quantity: ({ quantity }) => quantity,
  reason: ({ routingReason }) => routingReason ?? BEFORE_ROUTING,
  distanceKm: ({ distanceKm }) => distanceKm ?? null,
};
