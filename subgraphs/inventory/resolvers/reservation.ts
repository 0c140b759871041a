import type { ReservationLineResolvers, ReservationResolvers } from '../generated/resolvers-types.ts';

export const Reservation: ReservationResolvers = {
  __resolveReference: ({ id }, { loaders }) => loaders.reservation.load(id),
  channel: async ({ channelId }, _args, { loaders }) => (await loaders.channel.load(channelId))!,
};

export const ReservationLine: ReservationLineResolvers = {
  product: ({ sku }) => ({ sku }),
  location: async ({ locationId }, _args, { loaders }) => (await loaders.location.load(locationId))!,
};
