import { exceptionOperator } from '../../platform-common/order-sync.ts';
import { shipmentResolvers } from '../../platform-common/shipment-confirmations.ts';
import type { StockSync } from '../../platform-common/stock-sync.ts';
import { ErrorCode, PonteError } from '../../../kit/errors.ts';
import type { MutationResolvers } from '../generated/resolvers-types.ts';

/** The listing sync, or a clear error where the deployment turned it off (MERCADOLIVRE_STOCK_SYNC=off). */
export function requireStockSync(stockSync: StockSync | null): StockSync {
  if (!stockSync) throw new PonteError(ErrorCode.BAD_USER_INPUT, 'Channel sync to Mercado Livre is turned off in this deployment (MERCADOLIVRE_STOCK_SYNC=off)');
  return stockSync;
}

export const Mutation: MutationResolvers = {
  confirmMercadoLivreShipment: (_root, { input }, { shipments, principal }) => shipmentResolvers.confirm(shipments, principal, input),
  replayMercadoLivreShipmentConfirmations: (_root, { ids }, { shipments }) => shipmentResolvers.replay(shipments, ids),
  replayMercadoLivreListingSync: (_root, { skus }, { stockSync }) => requireStockSync(stockSync).replayDeadLetters(skus ?? undefined),
  reconcileMercadoLivreListings: (_root, _args, { stockSync }) => requireStockSync(stockSync).reconcile(),
  resolveMercadoLivreOrderException: (_root, { input }, { orderSync, principal }) => orderSync.resolveException(input, exceptionOperator(principal)),
  dismissMercadoLivreOrderException: (_root, { input }, { orderSync, principal }) => orderSync.dismissException(input, exceptionOperator(principal)),
  retryMercadoLivreOrderException: (_root, { id }, { orderSync, principal }) => orderSync.retryException(id, exceptionOperator(principal)),
};
