import type DataLoader from 'dataloader';
import type { OrderSync } from '../platform-common/order-sync.ts';
import type { StockSync } from '../platform-common/stock-sync.ts';
import type { AlertEngine } from '../platform-common/alerts.ts';
import type { ShipmentConfirmations } from '../platform-common/shipment-confirmations.ts';
import type { Logger } from '../../kit/logger.ts';
import type { Principal } from '../../kit/principal.ts';
import type { AmazonListingValue } from './models.ts';

export interface AmazonContext {
  /** Per request: every `amazonListing` of one request is read in batches of up to 20 SKUs. */
  listings: DataLoader<string, AmazonListingValue | null>;
  orderSync: OrderSync;
  /** Channel sync to Amazon: its queue and dead letters are in the database, readable even when the worker is off. */
  stockSync: StockSync;
  /** Operational alerts; undefined when turned off. */
  alerts?: AlertEngine | undefined;
  /** Shipments to tell Amazon; absent in contexts built without them. */
  shipments?: ShipmentConfirmations | undefined;
  log: Logger;
  /** Who is calling, as the gateway verified it (operators acting on order exceptions). */
  principal?: Principal | undefined;
}
