import type { Database } from '../../../kit/database.ts';
import type { Logger } from '../../../kit/logger.ts';
import { OutboxRelay, type OutboxRelayOptions } from '../../../kit/outbox-relay.ts';
import type { StockEvent } from '../models.ts';
import { lastStockEventId, outboxChannel, stockEventsAfter } from '../repositories/stock-repository.ts';

export type StockEventRelayOptions = OutboxRelayOptions<StockEvent>;

/**
 * Reads committed stock events from the inventory's outbox (`stock_events`) and hands them to this
 * process's `stockChanged` subscribers (kit/outbox-relay.ts does the reading).
 */
export class StockEventRelay extends OutboxRelay<StockEvent> {
  constructor(db: Database, log: Logger, options: StockEventRelayOptions = {}) {
    super(db, log.child({ component: 'stock-event-relay' }), { channel: outboxChannel(db.schema), lastId: lastStockEventId, after: stockEventsAfter }, options);
  }
}
