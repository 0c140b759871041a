import type DataLoader from 'dataloader';
import type { OrderSync } from '../platform-common/order-sync.ts';
import type { Logger } from '../shared/logger.ts';
import type { AmazonListingValue } from './models.ts';

export interface AmazonContext {
  /** Per request: every `amazonListing` of one request is read in batches of up to 20 SKUs. */
  listings: DataLoader<string, AmazonListingValue | null>;
  orderSync: OrderSync;
  log: Logger;
}
