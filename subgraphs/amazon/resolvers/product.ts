import { GraphQLError } from 'graphql';
import type { ProductResolvers } from '../generated/resolvers-types.ts';

/** The code a client sees when Amazon could not be read: the field is null, the rest of the query stands. */
export const PLATFORM_UNAVAILABLE = 'PLATFORM_UNAVAILABLE';

export const Product: ProductResolvers = {
  // The SKU is the whole reference: the listing itself is read (batched) only if asked for.
  __resolveReference: ({ sku }) => ({ sku }),
  amazonListing: async ({ sku }, _args, { listings }) => {
    try {
      return await listings.load(sku);
    } catch (error) {
      throw new GraphQLError(`Amazon listing for SKU ${sku} is unavailable right now: ${(error as Error).message}`, {
        extensions: { code: PLATFORM_UNAVAILABLE, platform: 'amazon', sku },
      });
    }
  },
};
