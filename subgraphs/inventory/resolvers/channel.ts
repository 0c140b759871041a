import { channelAvailability } from '../allocation.ts';
import type { ChannelAllocationPolicyResolvers, ChannelAvailabilityResolvers, ChannelResolvers } from '../generated/resolvers-types.ts';

const MAX_SKUS = 500;

export const Channel: ChannelResolvers = {
  __resolveReference: ({ id }, { loaders }) => loaders.channel.load(id),
  allocationPolicy: (channel) => channel,
  availability: async (channel, { skus }, { loaders }) => {
    const wanted = [...new Set(skus)].slice(0, MAX_SKUS);
    const levels = await loaders.levelsBySku.loadMany(wanted);
    // An Error in a list fails that element alone (graphql-js completes each item separately).
    return wanted.map((sku, index) => {
      const skuLevels = levels[index];
      if (skuLevels instanceof Error) return skuLevels;
      try {
        return channelAvailability(channel, sku, skuLevels ?? []);
      } catch (error) {
        return error as Error;
      }
    }) as never;
  },
};

export const ChannelAllocationPolicy: ChannelAllocationPolicyResolvers = {
  locations: async ({ locationIds }, _args, { loaders }) => {
    const locations = await loaders.location.loadMany(locationIds);
    return locations.filter((location) => location && !(location instanceof Error)) as never;
  },
};

export const ChannelAvailability: ChannelAvailabilityResolvers = {
  product: ({ sku }) => ({ sku }),
  channel: async ({ channelId }, _args, { loaders }) => (await loaders.channel.load(channelId))!,
};
