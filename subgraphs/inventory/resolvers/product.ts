import { ErrorCode, PonteError } from '../../../kit/errors.ts';
import { channelAvailability } from '../allocation.ts';
import type { ProductResolvers } from '../generated/resolvers-types.ts';
import { availableAt, GRAPHQL_MAX_INT } from '../models.ts';

const MAX_MOVEMENTS = 200;

export const Product: ProductResolvers = {
  // Unknown SKUs resolve to null, as federation expects for an entity this subgraph lacks.
  __resolveReference: async ({ sku }, { loaders }) => ((await loaders.productExists.load(sku)) ? { sku } : null),
  sku: ({ sku }) => sku,
  stockLevels: async ({ sku }, { locations }, { loaders }) => {
    const levels = await loaders.levelsBySku.load(sku);
    return locations ? levels.filter((level) => locations.includes(level.locationId)) : levels;
  },
  totalAvailable: async ({ sku }, _args, { loaders }) => {
    const total = (await loaders.levelsBySku.load(sku)).reduce((sum, level) => sum + availableAt(level), 0);
    // The stock ceiling keeps totals far below this; levels written around it (by hand, or before
    // the ceiling existed) get a typed error for this SKU alone rather than a masked internal one.
    if (total > GRAPHQL_MAX_INT) {
      throw new PonteError(ErrorCode.QUANTITY_LIMIT_EXCEEDED, `totalAvailable of ${sku} (${total}) is more than a GraphQL Int can carry`, { sku, total });
    }
    return total;
  },
  availability: async ({ sku }, { channel: channelId }, { loaders }) => {
    const [channel, levels] = await Promise.all([loaders.channel.load(channelId), loaders.levelsBySku.load(sku)]);
    if (!channel) throw new PonteError(ErrorCode.UNKNOWN_CHANNEL, `Unknown channel: ${channelId}`, { channel: channelId });
    return channelAvailability(channel, sku, levels);
  },
  channelAvailability: async ({ sku }, _args, { loaders }) => {
    const [channels, levels] = await Promise.all([loaders.allChannels.load('all'), loaders.levelsBySku.load(sku)]);
    return channels.map((channel) => channelAvailability(channel, sku, levels));
  },
  movements: ({ sku }, { first }, { loaders }) => loaders.recentMovements.load(`${Math.min(Math.max(first, 1), MAX_MOVEMENTS)}:${sku}`),
};
