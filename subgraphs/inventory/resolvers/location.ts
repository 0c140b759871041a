import type { LocationResolvers } from '../generated/resolvers-types.ts';

export const Location: LocationResolvers = {
  __resolveReference: ({ id }, { loaders }) => loaders.location.load(id),
  stockLevels: async ({ id }, { skus }, { loaders }) => {
    const levels = await loaders.levelsByLocation.load(id);
    return skus ? levels.filter((level) => skus.includes(level.sku)) : levels;
  },
};
