import type { MutationResolvers } from '../generated/resolvers-types.ts';

export const Mutation: MutationResolvers = {
  recordChannelOrder: (_root, { input }, { orders, principal }) => orders.record(input, principal),
  fulfilOrder: (_root, { input }, { orders, principal }) => orders.fulfil(input, principal),
};
