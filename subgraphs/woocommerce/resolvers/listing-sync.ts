import { GraphQLError } from 'graphql';
import { exceptionOperator } from '../../platform-common/order-sync.ts';
import { shipmentResolvers } from '../../platform-common/shipment-confirmations.ts';
import type { StockSync } from '../../platform-common/stock-sync.ts';
import type { MutationResolvers, QueryResolvers } from '../generated/resolvers-types.ts';
import type { WooCommerceContext } from '../context.ts';

/** Sync turned off (WOOCOMMERCE_STOCK_SYNC=off): say so rather than report an empty, "healthy" queue. */
function stockSyncOf({ stockSync }: WooCommerceContext): StockSync {
  if (!stockSync) throw new GraphQLError('Channel sync to WooCommerce is turned off for this subgraph (WOOCOMMERCE_STOCK_SYNC=off)', { extensions: { code: 'CHANNEL_SYNC_DISABLED', platform: 'woocommerce' } });
  return stockSync;
}

export const listingSyncQueries: Pick<QueryResolvers, 'wooCommerceListingSync' | 'wooCommerceShipmentConfirmations'> = {
  wooCommerceShipmentConfirmations: (_root, { status, first }, { shipments }) => shipmentResolvers.list(shipments, status, first),
  wooCommerceListingSync: async (_root, _args, context) => {
    const sync = stockSyncOf(context);
    return sync.report();
  },
};

export const Mutation: MutationResolvers = {
  replayWooCommerceListingSync: (_root, { skus }, context) => stockSyncOf(context).replayDeadLetters(skus ?? undefined),
  reconcileWooCommerceListings: (_root, _args, context) => stockSyncOf(context).reconcile(),
  resolveWooCommerceOrderException: (_root, { input }, { orderSync, principal }) => orderSync.resolveException(input, exceptionOperator(principal)),
  dismissWooCommerceOrderException: (_root, { input }, { orderSync, principal }) => orderSync.dismissException(input, exceptionOperator(principal)),
  retryWooCommerceOrderException: (_root, { id }, { orderSync, principal }) => orderSync.retryException(id, exceptionOperator(principal)),
  confirmWooCommerceShipment: (_root, { input }, { shipments, principal }) => shipmentResolvers.confirm(shipments, principal, input),
  replayWooCommerceShipmentConfirmations: (_root, { ids }, { shipments }) => shipmentResolvers.replay(shipments, ids),
};
