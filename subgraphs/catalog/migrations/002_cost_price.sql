-- What the merchant pays for a unit, for margins (the insights subgraph). Never shown to shoppers:
-- `Product.costPrice` needs insights:read, which storefront keys do not have. Null: not known yet.
ALTER TABLE catalog_products ADD COLUMN cost_in_cents integer CHECK (cost_in_cents >= 0);
