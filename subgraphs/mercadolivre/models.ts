/** What the resolvers pass around: an entity reference and a listing in Ponte's words. */

export interface ProductRef {
  sku: string;
}

export type MercadoLivreListingStatus = 'ACTIVE' | 'PAUSED' | 'CLOSED' | 'UNDER_REVIEW';

/** A SKU's listing on Mercado Livre after the data dictionary mapped it (see dictionary.ts). */
export interface MercadoLivreListingValue {
  sku: string;
  itemId: string;
  variationId: string | null;
  title: string;
  priceInCents: number;
  currency: string;
  status: MercadoLivreListingStatus;
  platformStatus: string;
  platformSubStatus: string[];
  availableQuantity: number;
  soldQuantity: number;
  categoryId: string | null;
  listingType: string | null;
  condition: string | null;
  variationAttributes: Array<{ name: string; value: string }>;
  url: string;
  lastUpdated: string | null;
}
