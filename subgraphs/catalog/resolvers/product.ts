import type { ProductResolvers } from '../generated/resolvers-types.ts';
import { undescribedProduct } from '../models.ts';

export const Product: ProductResolvers = {
  __resolveReference: async ({ sku }, { loaders }) => (await loaders.product.load(sku)) ?? undescribedProduct(sku),
  options: ({ options }) => Object.entries(options).map(([name, value]) => ({ name, value })),
  price: ({ priceInCents, currency }) => (priceInCents === null || currency === null ? null : { amountInCents: priceInCents, currency }),
  costPrice: ({ costInCents, currency }) => (costInCents === null || currency === null ? null : { amountInCents: costInCents, currency }),
};
