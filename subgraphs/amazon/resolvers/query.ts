import { shipmentResolvers } from '../../platform-common/shipment-confirmations.ts';
import { ErrorCode, PonteError } from '../../../kit/errors.ts';
import type { QueryResolvers } from '../generated/resolvers-types.ts';
import { resolveAlerts } from '../../platform-common/alerts.ts';

const MAX_EXCEPTIONS = 200;

export const Query: QueryResolvers = {
  amazonOrderExceptions: (_root, { unresolvedOnly, first }, { orderSync }) => {
    if (!Number.isInteger(first) || first < 1 || first > MAX_EXCEPTIONS) {
      throw new PonteError(ErrorCode.BAD_USER_INPUT, `first must be from 1 to ${MAX_EXCEPTIONS}, got ${first}`, { field: 'first' });
    }
    return orderSync.exceptions({ unresolvedOnly: unresolvedOnly ?? true, limit: first });
  },
  amazonListingSync: async (_root, _args, { stockSync }) => {
    return stockSync.report();
  },
  amazonAlerts: (_root, args, { alerts }) => resolveAlerts(alerts, args, 'Amazon'),
  amazonShipmentConfirmations: (_root, { status, first }, { shipments }) => shipmentResolvers.list(shipments, status, first),
};
