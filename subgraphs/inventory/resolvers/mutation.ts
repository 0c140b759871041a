import type { MutationResolvers } from '../generated/resolvers-types.ts';

/** Partners' and platform subgraphs' writes: each is one idempotent transaction in the service. */
export const Mutation: MutationResolvers = {
  registerProducts: (_root, { input }, { inventory, actor }) => inventory.registerProducts(input, actor),
  receiveStock: (_root, { input }, { inventory, actor }) => inventory.receiveStock(input, actor),
  adjustStock: (_root, { input }, { inventory, actor }) => inventory.adjustStock(input, actor),
  setStock: (_root, { input }, { inventory, actor }) => inventory.setStock(input, actor),
  transferStock: (_root, { input }, { inventory, actor }) => inventory.transferStock(input, actor),
  recordIncomingStock: (_root, { input }, { inventory, actor }) => inventory.recordIncomingStock(input, actor),
  setSafetyStock: (_root, { input }, { inventory, actor }) => inventory.setSafetyStock(input, actor),
  reserveStock: (_root, { input }, { inventory, actor }) => inventory.reserveStock(input, actor),
  recordSale: (_root, { input }, { inventory, actor }) => inventory.recordSale(input, actor),
  fulfilReservation: (_root, { input }, { inventory, actor }) => inventory.fulfilReservation(input, actor),
  releaseReservation: (_root, { input }, { inventory, actor }) => inventory.releaseReservation(input, actor),
  setChannelRoutingPreference: (_root, { input }, { inventory, actor }) => inventory.setChannelRoutingPreference(input, actor),
  returnStock: (_root, { input }, { inventory, actor }) => inventory.returnStock(input, actor),
};
