import { InventoryClient, InventoryRejection, type InventoryClientOptions } from '../platform-common/inventory-client.ts';
import type { Logger } from '../../kit/logger.ts';
import type { StockCommitter } from './services/order-book.ts';

/**
 * Commits shipped lines' reservations in the inventory with the orders service's own key
 * (`service:orders`, its ledger actor). A reservation no longer open was closed by the platform's
 * FULFILLED webhook (OrderSync commits it too, and takes RESERVATION_NOT_OPEN from us the same
 * way), or released: either way there is nothing left to commit, and the units left on hand once.
 */
export function inventoryStockCommitter(options: InventoryClientOptions, log: Logger): StockCommitter {
  const inventory = new InventoryClient(options);
  return {
    async commit(input) {
      try {
        await inventory.fulfil(input);
      } catch (error) {
        if (!(error instanceof InventoryRejection && error.code === 'RESERVATION_NOT_OPEN')) throw error;
        log.info({ reservationId: input.reservationId }, 'reservation was already closed: nothing to commit');
      }
    },
  };
}
