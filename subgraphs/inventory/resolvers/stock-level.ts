import type { StockLevelResolvers } from '../generated/resolvers-types.ts';
import { availableAt } from '../models.ts';

export const StockLevel: StockLevelResolvers = {
  product: ({ sku }) => ({ sku }),
  location: async ({ locationId }, _args, { loaders }) => (await loaders.location.load(locationId))!,
  available: (level) => availableAt(level),
};
