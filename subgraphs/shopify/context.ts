import type DataLoader from 'dataloader';
import type { OrderSync } from '../platform-common/order-sync.ts';
import type { Principal } from '../../kit/principal.ts';
import type { StockSync } from '../platform-common/stock-sync.ts';
import type { AlertEngine } from '../platform-common/alerts.ts';
import type { ShipmentConfirmations } from '../platform-common/shipment-confirmations.ts';
import type { ListingReader } from './listings.ts';
import type { ShopifyPrivacy } from './privacy.ts';
import type { ShopifyListingValue } from './models.ts';

export interface ShopifyContext {
  orderSync: OrderSync;
  /** Channel sync to the Shopify listings; undefined when it is turned off. */
  stockSync: StockSync | undefined;
  /** Compliance requests; absent in contexts built without it (tests of listings alone). */
  privacy?: ShopifyPrivacy | undefined;
  loaders: { listing: DataLoader<string, ShopifyListingValue | null> };
  /** Operational alerts; absent when turned off or in contexts built without them. */
  alerts?: AlertEngine | undefined;
  /** Shipments to tell Shopify; absent in contexts built without them. */
  shipments?: ShipmentConfirmations | undefined;
  /** Who is calling, as the gateway verified it (operators acting on order exceptions). */
  principal?: Principal | undefined;
}

export function createShopifyContext(listings: ListingReader, orderSync: OrderSync, stockSync?: StockSync, privacy?: ShopifyPrivacy, principal?: Principal): ShopifyContext {
  return { orderSync, stockSync, privacy, principal, loaders: { listing: listings.loader() } };
}
