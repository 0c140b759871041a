import type { SqlClient } from '../../../kit/database.ts';
import { ErrorCode, PonteError } from '../../../kit/errors.ts';
import { endsOnReturn } from '../../../kit/outbox-relay.ts';
import { channelAvailability } from '../allocation.ts';
import type { StockChangedEventResolvers, SubscriptionResolvers } from '../generated/resolvers-types.ts';
import { createInventoryLoaders } from '../loaders.ts';
import type { StockEvent } from '../models.ts';
import { stockEventRange } from '../repositories/stock-repository.ts';

/** How stale a subscription's view of channels and locations may get (a channel's locations rarely change). */
const LOADERS_MAX_AGE_MS = 1000;

export const Subscription: SubscriptionResolvers = {
  stockChanged: {
    subscribe: async (_root, { skus, locations, channel: channelId, after }, context) => {
      const afterId = after == null ? undefined : await resumePoint(context.db, after);
      return endsOnReturn(async function* (signal) {
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
        const feed = afterId === undefined ? context.stockEvents.events(accept, signal) : context.stockEvents.eventsAfter(afterId, accept, signal);
        for await (const event of feed) {
          // A subscription lives for hours: channels and locations are read afresh, at most once per
          // LOADERS_MAX_AGE_MS. Read for every event, a storm's events queued behind those reads
          // (the order storm's listings lagged its stock changes by over a minute on a busy machine).
          if (performance.now() - loadedAt >= LOADERS_MAX_AGE_MS) {
            context.loaders = createInventoryLoaders(context.db);
            loadedAt = performance.now();
          }
          yield { stockChanged: { ...event, channelFilter: channelId ?? null } };
        }
      });
    },
  },
};

/**
 * The event id a subscriber resumes after: one the outbox issued, and not older than what it
 * keeps (housekeeping prunes events after 7 days), or events in between would be silently missed.
 */
async function resumePoint(db: SqlClient, after: string): Promise<number> {
  if (!/^\d{1,15}$/.test(after)) throw new PonteError(ErrorCode.BAD_USER_INPUT, `after must be a stock event id (digits), got ${JSON.stringify(after.slice(0, 40))}`, { field: 'after' });
  const afterId = Number(after);
  const { first, last } = await stockEventRange(db);
  if (first !== null && afterId > last) throw new PonteError(ErrorCode.BAD_USER_INPUT, `after ${afterId} is not a stock event yet (the newest is ${last})`, { field: 'after', newest: String(last) });
  // With no event kept, any issued after `afterId` was pruned.
  if (first === null ? afterId > 0 : afterId < first - 1) {
    throw new PonteError(ErrorCode.RESUME_POINT_EXPIRED, `events after ${afterId} are no longer kept (the oldest is ${first}): read the stock again, then subscribe without after`, { oldest: first === null ? null : String(first) });
  }
  return afterId;
}

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
