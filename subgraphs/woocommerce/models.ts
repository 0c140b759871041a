/** The shapes the resolvers pass around; codegen maps the GraphQL types onto them. */

/** A Product entity as the gateway hands it over: only the key. */
export interface ProductRef {
  sku: string;
}

export type WooCommerceListingKind = 'SIMPLE_PRODUCT' | 'VARIATION';
export type WooCommerceListingStatus = 'ACTIVE' | 'DRAFT' | 'PENDING_REVIEW' | 'PRIVATE';
export type WooCommerceStockStatus = 'IN_STOCK' | 'OUT_OF_STOCK' | 'ON_BACKORDER';

export interface MoneyValue {
  amountInCents: number;
  currency: string;
}

/** One SKU's listing on WooCommerce, already translated by the data dictionary. */
export interface WooCommerceListingValue {
  sku: string;
  kind: WooCommerceListingKind;
  /** The product itself, or the variable parent of a variation. */
  productId: string;
  variationId: string | null;
  title: string;
  price: MoneyValue | null;
  regularPrice: MoneyValue | null;
  onSale: boolean;
  status: WooCommerceListingStatus;
  platformStatus: string;
  url: string | null;
  quantity: number | null;
  managesStock: boolean;
  stockStatus: WooCommerceStockStatus;
  backordersAllowed: boolean;
  /** Null for a variation: WooCommerce keeps categories on the parent, read only when asked for. */
  categories: string[] | null;
  modifiedAt: string | null;
}
