import type { StockMovementResolvers } from '../generated/resolvers-types.ts';

export const StockMovement: StockMovementResolvers = {
  product: ({ sku }) => ({ sku }),
  location: async ({ locationId }, _args, { loaders }) => (await loaders.location.load(locationId))!,
  delta: ({ onHandDelta }) => onHandDelta,
};
