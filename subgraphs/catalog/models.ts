export interface CatalogProductRow {
  sku: string;
  parentSku: string | null;
  title: string;
  brand: string | null;
  category: string | null;
  options: Record<string, string>;
  priceInCents: number;
  currency: string;
}

export const CATALOG_COLUMNS = `sku, parent_sku AS "parentSku", title, brand, category, options,
  price_in_cents AS "priceInCents", currency`;
