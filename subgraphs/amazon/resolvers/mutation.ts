import type { MutationResolvers } from '../generated/resolvers-types.ts';

export const Mutation: MutationResolvers = {
  // Null means every dead letter; an empty list means none.
  replayAmazonListingSync: (_root, { skus }, { stockSync }) => stockSync.replayDeadLetters(skus ?? undefined),
  reconcileAmazonListings: (_root, _args, { stockSync }) => stockSync.reconcile(),
};
