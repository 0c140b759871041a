import { channelAvailability } from '../allocation.ts';
import type { StockChangedEventResolvers, SubscriptionResolvers } from '../generated/resolvers-types.ts';
import { createInventoryLoaders } from '../loaders.ts';
import type { StockEvent } from '../models.ts';

export const Subscription: SubscriptionResolvers = {
  stockChanged: {
    subscribe: async function* (_root, { skus, locations, channel: channelId }, context) {
      let channelLocations: string[] | null = null;
      if (channelId) {
        const channel = await context.loaders.channel.load(channelId);
        channelLocations = channel?.locationIds ?? [];
      }
      const accept = (event: StockEvent) =>
        (!skus || skus.includes(event.sku)) &&
        (!locations || locations.includes(event.locationId)) &&
        (!channelLocations || channelLocations.includes(event.locationId));
      for await (const event of context.stockEvents.events(accept)) {
        // A subscription lives for hours: each event reads channels and locations afresh.
        context.loaders = createInventoryLoaders(context.db);
        yield { stockChanged: { ...event, channelFilter: channelId ?? null } };
      }
    },
  },
};

export const StockChangedEvent: StockChangedEventResolvers = {
  product: ({ sku }) => ({ sku }),
  location: async ({ locationId }, _args, { loaders }) => (await loaders.location.load(locationId))!,
  channelAvailability: async (event, _args, { loaders }) => {
    const channels = (await loaders.allChannels.load('all')).filter((channel) =>
      event.channelFilter ? channel.id === event.channelFilter : channel.locationIds.includes(event.locationId),
    );
    return channels.map((channel) => channelAvailability(channel, event.sku, event.levels));
  },
};
