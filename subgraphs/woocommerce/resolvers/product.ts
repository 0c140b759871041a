import type { ProductResolvers } from '../generated/resolvers-types.ts';
import { platformUnavailable } from '../errors.ts';

export const Product: ProductResolvers = {
  __resolveReference: (reference, { loaders }) => {
    // Starts the batched store read while the other representations are still being resolved;
    // a failure is reported by the listing field, where it belongs.
    loaders.listing.load(reference.sku).catch(() => {});
    return { sku: reference.sku };
  },
  wooCommerceListing: async ({ sku }, _args, { loaders }) => {
    try {
      return await loaders.listing.load(sku);
    } catch (error) {
      throw platformUnavailable(error, { sku });
    }
  },
};
