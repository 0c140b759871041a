-- Sales at a store's till (recordSale on a POINT_OF_SALE channel), in the order they committed:
-- the orders subgraph reads them after the last id it recorded and makes each a canonical order,
-- so store sales need no second ingestion path. Ids are allocated under an advisory lock held to
-- commit, so a reader that remembers the last id never skips one.
CREATE TABLE store_sales (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  reservation_id bigint NOT NULL UNIQUE REFERENCES reservations (id),
  channel_id text NOT NULL,
  order_reference text NOT NULL,
  -- [{ sku, quantity, lineReference, unitPriceCents }] as the till sent them.
  lines jsonb NOT NULL,
  sold_at timestamptz NOT NULL DEFAULT now()
);
