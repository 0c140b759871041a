import type { ProductResolvers } from '../generated/resolvers-types.ts';

export const Product: ProductResolvers = {
  __resolveReference: ({ sku }, { loaders }) => loaders.product.load(sku),
  options: ({ options }) => Object.entries(options).map(([name, value]) => ({ name, value })),
  price: ({ priceInCents, currency }) => ({ amountInCents: priceInCents, currency }),
};
