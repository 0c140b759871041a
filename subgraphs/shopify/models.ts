export type ListingStatus = 'ACTIVE' | 'PAUSED' | 'DRAFT' | 'CLOSED';

/** A `Product` entity as the gateway hands it over: only the federation key. */
export interface ProductRef {
  sku: string;
}

export interface MoneyValue {
  amountInCents: number;
  currency: string;
}

export interface ShopifyLocationStockValue {
  locationId: string;
  name: string;
  available: number;
  committed: number;
  onHand: number;
  incoming: number;
}

/** A variant as the data dictionary maps it: the `ShopifyListing` GraphQL type, field for field. */
export interface ShopifyListingValue {
  sku: string;
  variantId: string;
  productId: string;
  inventoryItemId: string;
  title: string;
  productTitle: string;
  variantTitle: string | null;
  handle: string;
  vendor: string | null;
  category: string | null;
  price: MoneyValue;
  compareAtPrice: MoneyValue | null;
  status: ListingStatus;
  platformStatus: string;
  availableForSale: boolean;
  continueSellingWhenOutOfStock: boolean;
  inventoryTracked: boolean;
  quantity: number;
  locations: ShopifyLocationStockValue[];
  url: string;
  adminUrl: string;
  updatedAt: string;
  fetchedAt: string;
}
