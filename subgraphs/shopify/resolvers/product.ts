import type { ProductResolvers } from '../generated/resolvers-types.ts';

export const Product: ProductResolvers = {
  // The key is all this subgraph needs; the listing is loaded (batched) only when selected.
  __resolveReference: ({ sku }) => ({ sku }),
  shopifyListing: ({ sku }, _args, { loaders }) => loaders.listing.load(sku),
};
