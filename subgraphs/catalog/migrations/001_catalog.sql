-- Product information a shopper reads. Stock is not here: it belongs to the inventory subgraph.
CREATE TABLE catalog_products (
  sku text PRIMARY KEY,
  parent_sku text,
  title text NOT NULL,
  brand text,
  category text,
  options jsonb NOT NULL DEFAULT '{}',
  price_in_cents integer NOT NULL CHECK (price_in_cents >= 0),
  currency text NOT NULL DEFAULT 'BRL'
);
CREATE INDEX catalog_products_category_idx ON catalog_products (category, sku);
