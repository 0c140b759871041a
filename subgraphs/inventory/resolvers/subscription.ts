import { endsOnReturn } from '../../../kit/outbox-relay.ts';
import { channelAvailability } from '../allocation.ts';
import type { StockChangedEventResolvers, SubscriptionResolvers } from '../generated/resolvers-types.ts';
import { createInventoryLoaders } from '../loaders.ts';
import type { StockEvent } from '../models.ts';

/** How stale a subscription's view of channels and locations may get (a channel's locations rarely change). */
const LOADERS_MAX_AGE_MS = 1000;

export const Subscription: SubscriptionResolvers = {
  stockChanged: {
    subscribe: (_root, { skus, locations, channel: channelId }, context) =>
      endsOnReturn(async function* (signal) {
        let channelLocations: string[] | null = null;
        if (channelId) {
          const channel = await context.loaders.channel.load(channelId);
          channelLocations = channel?.locationIds ?? [];
        }
        const accept = (event: StockEvent) =>
          (!skus || skus.includes(event.sku)) &&
          (!locations || locations.includes(event.locationId)) &&
          (!channelLocations || channelLocations.includes(event.locationId));
        let loadedAt = performance.now();
        for await (const event of context.stockEvents.events(accept, signal)) {
          // A subscription lives for hours: channels and locations are read afresh, at most once per
          // LOADERS_MAX_AGE_MS. Read for every event, a storm's events queued behind those reads
          // (the order storm's listings lagged its stock changes by over a minute on a busy machine).
          if (performance.now() - loadedAt >= LOADERS_MAX_AGE_MS) {
            context.loaders = createInventoryLoaders(context.db);
            loadedAt = performance.now();
          }
          yield { stockChanged: { ...event, channelFilter: channelId ?? null } };
        }
      }),
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
