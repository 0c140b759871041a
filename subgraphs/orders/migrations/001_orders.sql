-- Canonical orders from every channel. One row per (channel, platform order id): the platform
-- subgraphs record each version they apply, and a version older than `platform_updated_at`
-- changes nothing. No personal data: the shopper is known only by the customer id the customer
-- directory answered, and the address only by its CEP.
CREATE TABLE orders (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  channel_id text NOT NULL,
  platform text NOT NULL,
  platform_order_id text NOT NULL,
  status text NOT NULL CHECK (status IN ('OPEN', 'PARTIALLY_FULFILLED', 'FULFILLED', 'CANCELLED')),
  placed_at timestamptz NOT NULL,
  platform_updated_at timestamptz NOT NULL,
  currency text NOT NULL,
  subtotal_cents bigint NOT NULL DEFAULT 0,
  discount_cents bigint NOT NULL DEFAULT 0,
  shipping_cents bigint NOT NULL DEFAULT 0,
  tax_cents bigint NOT NULL DEFAULT 0,
  total_cents bigint NOT NULL DEFAULT 0,
  ship_to_postal_code text,
  customer_id text,
  -- A digest of what the platform said (without the shopper), so a redelivery is seen as one.
  content_hash text NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  changed_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (channel_id, platform_order_id)
);
-- Keyset pages, newest first, overall and per channel, customer and status.
CREATE INDEX orders_placed ON orders (placed_at DESC, id DESC);
CREATE INDEX orders_channel_placed ON orders (channel_id, placed_at DESC, id DESC);
CREATE INDEX orders_customer_placed ON orders (customer_id, placed_at DESC, id DESC) WHERE customer_id IS NOT NULL;
CREATE INDEX orders_status_placed ON orders (status, placed_at DESC, id DESC);

CREATE TABLE order_lines (
  order_id bigint NOT NULL REFERENCES orders (id),
  line_id text NOT NULL,
  position int NOT NULL,
  sku text,
  quantity int NOT NULL,
  status text NOT NULL CHECK (status IN ('OPEN', 'FULFILLED', 'CANCELLED')),
  unit_price_cents bigint NOT NULL DEFAULT 0,
  discount_cents bigint NOT NULL DEFAULT 0,
  reservation_id text,
  PRIMARY KEY (order_id, line_id)
);
CREATE INDEX order_lines_sku ON order_lines (sku, order_id);
CREATE INDEX order_lines_reservation ON order_lines (reservation_id) WHERE reservation_id IS NOT NULL;

-- Each status the order took, once (written under the order's row lock, only on a change).
CREATE TABLE order_status_changes (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  order_id bigint NOT NULL REFERENCES orders (id),
  status text NOT NULL,
  at timestamptz NOT NULL,
  source text NOT NULL
);
CREATE INDEX order_status_changes_order ON order_status_changes (order_id, id);

-- Parcels sent, with the carrier's tracking (recorded by a fulfilment workflow or by the demo seed).
CREATE TABLE fulfilments (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  order_id bigint NOT NULL REFERENCES orders (id),
  carrier text NOT NULL,
  tracking_code text NOT NULL,
  tracking_url text,
  lines jsonb NOT NULL,
  at timestamptz NOT NULL,
  source text NOT NULL,
  UNIQUE (order_id, carrier, tracking_code)
);

-- Transactional outbox for `orderChanged`. Ids are allocated under an advisory lock held to commit,
-- so they become visible in id order and a reader that remembers the last id never skips an event.
CREATE TABLE order_events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  order_id bigint NOT NULL REFERENCES orders (id),
  channel_id text NOT NULL,
  kind text NOT NULL,
  status text NOT NULL,
  occurred_at timestamptz NOT NULL DEFAULT now(),
  trace_parent text
);
