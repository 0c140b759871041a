import type { WooCommerceListingResolvers } from '../generated/resolvers-types.ts';
import { platformUnavailable } from '../errors.ts';
import type { WooCommerceListingValue } from '../models.ts';
import type { WooCommerceContext } from '../context.ts';

/** A variation's categories are its parent's: read (batched) only when the query asks for them. */
async function categoriesOf(listing: WooCommerceListingValue, { loaders }: WooCommerceContext): Promise<string[]> {
  if (listing.categories) return listing.categories;
  try {
    return await loaders.categories.load(listing.productId);
  } catch (error) {
    throw platformUnavailable(error, { sku: listing.sku, productId: listing.productId });
  }
}

export const WooCommerceListing: WooCommerceListingResolvers = {
  categories: (listing, _args, context) => categoriesOf(listing, context),
  category: async (listing, _args, context) => (await categoriesOf(listing, context))[0] ?? null,
};
