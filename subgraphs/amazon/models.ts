/** A product as federation hands it to this subgraph: only its key. */
export interface ProductRef {
  sku: string;
}

export type AmazonListingStatus = 'ACTIVE' | 'INACTIVE' | 'SUPPRESSED';

/** An Amazon listing in Ponte's terms: what the data dictionary makes of an SP-API listings `Item`. */
export interface AmazonListingValue {
  sku: string;
  asin: string | null;
  marketplaceId: string;
  sellerId: string;
  title: string | null;
  category: string | null;
  condition: string | null;
  price: { amountInCents: number; currency: string } | null;
  status: AmazonListingStatus;
  platformStatuses: string[];
  quantity: number | null;
  fulfillmentAvailability: Array<{ fulfillmentChannelCode: string; quantity: number | null }>;
  issues: Array<{ code: string; message: string; severity: string; attributeNames: string[] }>;
  url: string | null;
  createdAt: string | null;
  updatedAt: string | null;
}
