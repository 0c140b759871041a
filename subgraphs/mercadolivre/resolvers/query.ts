import { shipmentResolvers } from '../../platform-common/shipment-confirmations.ts';
import { ErrorCode, PonteError } from '../../../kit/errors.ts';
import type { QueryResolvers } from '../generated/resolvers-types.ts';
import { resolveAlerts } from '../../platform-common/alerts.ts';
import { GraphQLError } from 'graphql';
import { requireStockSync } from './mutation.ts';
import { PLATFORM_UNAVAILABLE } from './product.ts';

const MAX_PAGE = 200;

export const Query: QueryResolvers = {
  mercadoLivreOrderExceptions: (_root, { unresolvedOnly, first }, { orderSync }) => {
    if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE) {
      throw new PonteError(ErrorCode.BAD_USER_INPUT, `first must be from 1 to ${MAX_PAGE}, got ${first}`, { field: 'first' });
    }
    return orderSync.exceptions({ unresolvedOnly: unresolvedOnly ?? true, limit: first });
  },
  async mercadoLivreNotifications(_root, _args, { notificationTopics, log }) {
    try {
      return await notificationTopics.status();
    } catch (error) {
      log.warn({ err: error }, 'could not read the notification topics from Mercado Livre');
      throw new GraphQLError('Mercado Livre could not be reached to read the notification topics', { extensions: { code: PLATFORM_UNAVAILABLE, platform: 'mercadolivre', http: { status: 503 } } });
    }
  },
  async mercadoLivreListingSync(_root, _args, { stockSync }) {
    const sync = requireStockSync(stockSync);
    return sync.report();
  },
  mercadoLivreAlerts: (_root, args, { alerts }) => resolveAlerts(alerts, args, 'Mercado Livre'),
  mercadoLivreShipmentConfirmations: (_root, { status, first }, { shipments }) => shipmentResolvers.list(shipments, status, first),
};
