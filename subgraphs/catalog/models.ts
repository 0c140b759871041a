export interface CatalogProductRow {
  sku: string;
  /** False for the stand-in of a SKU the catalog does not describe (see `undescribedProduct`). */
  described: boolean;
  parentSku: string | null;
  title: string | null;
  brand: string | null;
  category: string | null;
  options: Record<string, string>;
  priceInCents: number | null;
  /** What the merchant pays for a unit; null when not known. */
  costInCents: number | null;
  currency: string | null;
}

export const CATALOG_COLUMNS = `sku, true AS described, parent_sku AS "parentSku", title, brand, category, options,
  price_in_cents AS "priceInCents", cost_in_cents AS "costInCents", currency`;

/**
 * What the catalog answers for a SKU it has no row for. The gateway only asks about SKUs the
 * inventory returned, so such a SKU exists (registered, not yet described). Answering null in
 * `_entities` instead would be lawful federation (`_entities(representations: [_Any!]!): [_Entity]!`,
 * https://www.apollographql.com/docs/graphos/schema-design/federated-schemas/reference/subgraph-spec),
 * but then every list holding the SKU loses it (seen in test/e2e/undescribed-products.test.ts before this):
 * the JavaScript planner propagates the null up to the whole `products` field (an error and no
 * data), and the Rust planner (Hive Router runtime) put `null` inside `[Product!]!` with no error.
 */
export function undescribedProduct(sku: string): CatalogProductRow {
  return { sku, described: false, parentSku: null, title: null, brand: null, category: null, options: {}, priceInCents: null, costInCents: null, currency: null };
}
