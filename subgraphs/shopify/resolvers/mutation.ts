import type { MutationResolvers } from '../generated/resolvers-types.ts';
import { stockSyncOf } from './query.ts';

export const Mutation: MutationResolvers = {
  replayShopifyListingSync: (_root, { skus }, { stockSync }) => stockSyncOf(stockSync).replayDeadLetters(skus ?? undefined),
  reconcileShopifyListings: (_root, _args, { stockSync }) => stockSyncOf(stockSync).reconcile(),
};
