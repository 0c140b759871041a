import type { MercadoLivreListingResolvers } from '../generated/resolvers-types.ts';

export const MercadoLivreListing: MercadoLivreListingResolvers = {
  price: ({ priceInCents, currency }) => ({ amountInCents: priceInCents, currency }),
};
