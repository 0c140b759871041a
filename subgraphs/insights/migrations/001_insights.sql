-- The insights subgraph's own analytical store, fed by the orders subgraph's `orderChanged` feed
-- (`recordOrderFact` in ingest.ts). No personal data: a customer is an opaque id, nothing more.

-- The latest version of each order as the feed delivered it. A cancelled order keeps its row (so a
-- late, older version of it is recognised and ignored) but contributes nothing to the figures.
CREATE TABLE order_facts (
  order_id text PRIMARY KEY,
  channel text NOT NULL,
  placed_at timestamptz NOT NULL,
  -- The merchant's calendar day of `placed_at` (INSIGHTS_TIME_ZONE), the grain of every report.
  day date NOT NULL,
  status text NOT NULL CHECK (status IN ('OPEN', 'CANCELLED', 'FULFILLED')),
  currency text NOT NULL,
  customer_id text,
  units integer NOT NULL,
  subtotal_cents bigint NOT NULL,
  discount_cents bigint NOT NULL,
  total_cents bigint NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE INDEX order_facts_customer_idx ON order_facts (customer_id, placed_at) WHERE customer_id IS NOT NULL;
CREATE INDEX order_facts_day_idx ON order_facts (day, channel);

-- One row per order × SKU (lines of the same SKU merged) of orders that count (not cancelled).
CREATE TABLE order_line_facts (
  order_id text NOT NULL REFERENCES order_facts (order_id) ON DELETE CASCADE,
  sku text NOT NULL,
  day date NOT NULL,
  channel text NOT NULL,
  currency text NOT NULL,
  units integer NOT NULL,
  gross_cents bigint NOT NULL,
  discount_cents bigint NOT NULL,
  PRIMARY KEY (order_id, sku)
);
CREATE INDEX order_line_facts_day_idx ON order_line_facts (day, channel, sku);

-- Daily rollups, kept in step with the facts in the same transaction as each ingest: the history
-- reports read these (a year is days × channels rows), never the raw lines.
CREATE TABLE daily_channel_sales (
  day date NOT NULL,
  channel text NOT NULL,
  currency text NOT NULL,
  orders integer NOT NULL,
  units integer NOT NULL,
  gross_cents bigint NOT NULL,
  discount_cents bigint NOT NULL,
  PRIMARY KEY (day, channel, currency)
);

CREATE TABLE daily_sku_sales (
  day date NOT NULL,
  channel text NOT NULL,
  sku text NOT NULL,
  currency text NOT NULL,
  orders integer NOT NULL,
  units integer NOT NULL,
  gross_cents bigint NOT NULL,
  discount_cents bigint NOT NULL,
  PRIMARY KEY (day, channel, sku, currency)
);
CREATE INDEX daily_sku_sales_sku_idx ON daily_sku_sales (sku, day);

-- Per customer id, recomputed from that customer's order facts on every ingest that touches them:
-- acquisition channel (first order's), value, frequency and recency.
CREATE TABLE customer_summaries (
  customer_id text PRIMARY KEY,
  first_order_id text NOT NULL,
  first_channel text NOT NULL,
  first_day date NOT NULL,
  first_placed_at timestamptz NOT NULL,
  last_placed_at timestamptz NOT NULL,
  last_day date NOT NULL,
  orders integer NOT NULL,
  currency text NOT NULL,
  net_cents bigint NOT NULL
);
CREATE INDEX customer_summaries_channel_idx ON customer_summaries (first_channel, first_day);

-- Where each customer bought after their first order: the channel-migration report.
CREATE TABLE customer_later_channels (
  customer_id text NOT NULL REFERENCES customer_summaries (customer_id) ON DELETE CASCADE,
  channel text NOT NULL,
  orders integer NOT NULL,
  PRIMARY KEY (customer_id, channel)
);

-- Cost price per SKU, a copy of the catalog's (`Product.costPrice`), refreshed from it service to
-- service (costs.ts): margins join the rollups with it in SQL.
CREATE TABLE product_costs (
  sku text PRIMARY KEY,
  cost_cents integer NOT NULL CHECK (cost_cents >= 0),
  currency text NOT NULL,
  refreshed_at timestamptz NOT NULL DEFAULT now()
);
