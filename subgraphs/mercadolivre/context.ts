import type DataLoader from 'dataloader';
import type { OrderSync } from '../platform-common/order-sync.ts';
import type { StockSync } from '../platform-common/stock-sync.ts';
import type { AlertEngine } from '../platform-common/alerts.ts';
import type { ShipmentConfirmations } from '../platform-common/shipment-confirmations.ts';
import type { Logger } from '../../kit/logger.ts';
import type { Principal } from '../../kit/principal.ts';
import type { MercadoLivreListingValue } from './models.ts';
import type { NotificationTopicMonitor } from './notification-topics.ts';

export interface MercadoLivreContext {
  /** Per request: every SKU asked for in one resolution step becomes one platform read. */
  listings: DataLoader<string, MercadoLivreListingValue | null>;
  orderSync: OrderSync;
  /** Channel sync to Mercado Livre; null when this deployment runs it off. */
  stockSync: StockSync | null;
  /** Whether Mercado Livre still sends each notification topic Ponte needs. */
  notificationTopics: NotificationTopicMonitor;
  /** Operational alerts; undefined when turned off. */
  alerts?: AlertEngine | undefined;
  /** Shipments to tell Mercado Livre; absent in contexts built without them. */
  shipments?: ShipmentConfirmations | undefined;
  log: Logger;
  /** Who is calling, as the gateway verified it (operators acting on order exceptions). */
  principal?: Principal | undefined;
}
