import type { Database } from '../../../kit/database.ts';
import type { Logger } from '../../../kit/logger.ts';
import { OutboxRelay, type OutboxRelayOptions } from '../../../kit/outbox-relay.ts';
import type { OrderEvent } from '../models.ts';
import { lastOrderEventId, orderEventsAfter, orderOutboxChannel } from '../repositories/order-repository.ts';

export type OrderEventRelayOptions = OutboxRelayOptions<OrderEvent>;

/** Hands committed order changes (`order_events`) to this process's `orderChanged` subscribers. */
export class OrderEventRelay extends OutboxRelay<OrderEvent> {
  constructor(db: Database, log: Logger, options: OrderEventRelayOptions = {}) {
    super(db, log.child({ component: 'order-event-relay' }), { channel: orderOutboxChannel(db.schema), lastId: lastOrderEventId, after: orderEventsAfter }, options);
  }
}
