import type DataLoader from 'dataloader';
import type { OrderSync } from '../platform-common/order-sync.ts';
import type { ListingReader } from './listings.ts';
import type { ShopifyListingValue } from './models.ts';

export interface ShopifyContext {
  orderSync: OrderSync;
  loaders: { listing: DataLoader<string, ShopifyListingValue | null> };
}

export function createShopifyContext(listings: ListingReader, orderSync: OrderSync): ShopifyContext {
  return { orderSync, loaders: { listing: listings.loader() } };
}
