import type { StockSync } from '../../platform-common/stock-sync.ts';
import { ErrorCode, PonteError } from '../../../kit/errors.ts';
import { resolveAlerts } from '../../platform-common/alerts.ts';
import { shipmentResolvers } from '../../platform-common/shipment-confirmations.ts';
import type { QueryResolvers } from '../generated/resolvers-types.ts';
import type { CustomerDataRequestView, ShopifyPrivacy } from '../privacy.ts';

const MAX_PAGE = 200;

/** The channel sync, or a clear error when this deployment runs without it (SHOPIFY_STOCK_SYNC=off). */
export function stockSyncOf(stockSync: StockSync | undefined): StockSync {
  if (!stockSync) throw new PonteError(ErrorCode.BAD_USER_INPUT, 'Channel sync to Shopify is turned off in this deployment (SHOPIFY_STOCK_SYNC=off)');
  return stockSync;
}

/** Each request with everything Ponte holds about the orders it names (one read for all of them). */
export async function withOrderData(privacy: ShopifyPrivacy, requests: CustomerDataRequestView[]) {
  const orders = await privacy.orderData([...new Set(requests.flatMap((request) => request.orderIds))]);
  const byId = new Map(orders.map((order) => [order.orderId, order]));
  return requests.map(({ orderIds, ...request }) => ({ ...request, orders: orderIds.map((orderId) => byId.get(orderId)!) }));
}

export const Query: QueryResolvers = {
  shopifyOrderExceptions: async (_root, { unresolvedOnly, first }, { orderSync }) => {
    const limit = first ?? 50;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) {
      throw new PonteError(ErrorCode.BAD_USER_INPUT, `first must be from 1 to ${MAX_PAGE}, got ${limit}`, { field: 'first' });
    }
    return orderSync.exceptions({ unresolvedOnly: unresolvedOnly ?? true, limit });
  },
  shopifyCustomerDataRequests: async (_root, { first }, { privacy }) => {
    const limit = first ?? 50;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) {
      throw new PonteError(ErrorCode.BAD_USER_INPUT, `first must be from 1 to ${MAX_PAGE}, got ${limit}`, { field: 'first' });
    }
    if (!privacy) throw new Error('The Shopify subgraph was built without its privacy requests');
    return withOrderData(privacy, await privacy.customerDataRequests(limit));
  },
  shopifyListingSync: async (_root, _args, { stockSync }) => {
    const sync = stockSyncOf(stockSync);
    return sync.report();
  },
  shopifyAlerts: (_root, args, { alerts }) => resolveAlerts(alerts, args, 'Shopify'),
  shopifyShipmentConfirmations: (_root, { status, first }, { shipments }) => shipmentResolvers.list(shipments, status, first),
};
