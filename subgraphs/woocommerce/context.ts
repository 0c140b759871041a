import type { OrderSync } from '../platform-common/order-sync.ts';
import type { StockSync } from '../platform-common/stock-sync.ts';
import type { AlertEngine } from '../platform-common/alerts.ts';
import type { ShipmentConfirmations } from '../platform-common/shipment-confirmations.ts';
import type { Logger } from '../../kit/logger.ts';
import type { Principal } from '../../kit/principal.ts';
import type { WooCommerceLoaders } from './listings.ts';

export interface WooCommerceContext {
  loaders: WooCommerceLoaders;
  orderSync: OrderSync;
  /** Null when channel sync is turned off. */
  stockSync: StockSync | null;
  /** Operational alerts; undefined when turned off. */
  alerts?: AlertEngine | undefined;
  /** Shipments to tell the store; absent in contexts built without them. */
  shipments?: ShipmentConfirmations | undefined;
  log: Logger;
  /** Who is calling, as the gateway verified it (operators acting on order exceptions). */
  principal?: Principal | undefined;
}
