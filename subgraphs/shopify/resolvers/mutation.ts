import { exceptionOperator } from '../../platform-common/order-sync.ts';
import { shipmentResolvers } from '../../platform-common/shipment-confirmations.ts';
import type { MutationResolvers } from '../generated/resolvers-types.ts';
import { ErrorCode, PonteError } from '../../../kit/errors.ts';
import { stockSyncOf, withOrderData } from './query.ts';

export const Mutation: MutationResolvers = {
  replayShopifyListingSync: (_root, { skus }, { stockSync }) => stockSyncOf(stockSync).replayDeadLetters(skus ?? undefined),
  reconcileShopifyListings: (_root, _args, { stockSync }) => stockSyncOf(stockSync).reconcile(),
  resolveShopifyOrderException: (_root, { input }, { orderSync, principal }) => orderSync.resolveException(input, exceptionOperator(principal)),
  dismissShopifyOrderException: (_root, { input }, { orderSync, principal }) => orderSync.dismissException(input, exceptionOperator(principal)),
  retryShopifyOrderException: (_root, { id }, { orderSync, principal }) => orderSync.retryException(id, exceptionOperator(principal)),
  confirmShopifyShipment: (_root, { input }, { shipments, principal }) => shipmentResolvers.confirm(shipments, principal, input),
  replayShopifyShipmentConfirmations: (_root, { ids }, { shipments }) => shipmentResolvers.replay(shipments, ids),
  closeShopifyCustomerDataRequest: async (_root, { id }, { privacy }) => {
    if (!privacy) throw new Error('The Shopify subgraph was built without its privacy requests');
    const closed = await privacy.closeDataRequest(id);
    if (!closed) throw new PonteError(ErrorCode.UNKNOWN_PRIVACY_REQUEST, `No Shopify data request ${id}`, { id });
    return (await withOrderData(privacy, [closed]))[0]!;
  },
};
