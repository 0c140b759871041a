import { exceptionOperator } from '../../platform-common/order-sync.ts';
import { shipmentResolvers } from '../../platform-common/shipment-confirmations.ts';
import type { MutationResolvers } from '../generated/resolvers-types.ts';

export const Mutation: MutationResolvers = {
  confirmAmazonShipment: (_root, { input }, { shipments, principal }) => shipmentResolvers.confirm(shipments, principal, input),
  replayAmazonShipmentConfirmations: (_root, { ids }, { shipments }) => shipmentResolvers.replay(shipments, ids),
  // Null means every dead letter; an empty list means none.
  replayAmazonListingSync: (_root, { skus }, { stockSync }) => stockSync.replayDeadLetters(skus ?? undefined),
  reconcileAmazonListings: (_root, _args, { stockSync }) => stockSync.reconcile(),
  resolveAmazonOrderException: (_root, { input }, { orderSync, principal }) => orderSync.resolveException(input, exceptionOperator(principal)),
  dismissAmazonOrderException: (_root, { input }, { orderSync, principal }) => orderSync.dismissException(input, exceptionOperator(principal)),
  retryAmazonOrderException: (_root, { id }, { orderSync, principal }) => orderSync.retryException(id, exceptionOperator(principal)),
};
