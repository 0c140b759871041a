import type { OrderSync } from '../platform-common/order-sync.ts';
import type { Logger } from '../shared/logger.ts';
import type { WooCommerceLoaders } from './listings.ts';

export interface WooCommerceContext {
  loaders: WooCommerceLoaders;
  orderSync: OrderSync;
  log: Logger;
}
