-- The canonical inventory. Quantities are integers; every change to stock_levels is written
-- together with its stock_movements rows and its stock_events (outbox) rows in one transaction.

CREATE TABLE products (
  sku text PRIMARY KEY CHECK (sku ~ '^[A-Za-z0-9][A-Za-z0-9._/-]{0,99}$'),
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE locations (
  id text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
  name text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('WAREHOUSE', 'STORE', 'THIRD_PARTY_LOGISTICS')),
  priority integer NOT NULL DEFAULT 100,
  postal_code text
);

CREATE TABLE channels (
  id text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
  name text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('SHOPIFY', 'WOOCOMMERCE', 'MERCADO_LIVRE', 'AMAZON', 'POINT_OF_SALE', 'OTHER')),
  buffer_units integer NOT NULL DEFAULT 0 CHECK (buffer_units >= 0),
  percentage_of_available integer NOT NULL DEFAULT 100 CHECK (percentage_of_available BETWEEN 0 AND 100),
  max_listed_quantity integer CHECK (max_listed_quantity >= 0),
  min_listed_quantity integer NOT NULL DEFAULT 0 CHECK (min_listed_quantity >= 0),
  backorders_allowed boolean NOT NULL DEFAULT false
);

-- Which locations feed a channel; routing order follows locations.priority.
CREATE TABLE channel_locations (
  channel_id text NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
  location_id text NOT NULL REFERENCES locations (id),
  PRIMARY KEY (channel_id, location_id)
);

CREATE TABLE stock_levels (
  sku text NOT NULL REFERENCES products (sku),
  location_id text NOT NULL REFERENCES locations (id),
  on_hand integer NOT NULL DEFAULT 0,
  committed integer NOT NULL DEFAULT 0 CHECK (committed >= 0),
  safety_stock integer NOT NULL DEFAULT 0 CHECK (safety_stock >= 0),
  incoming integer NOT NULL DEFAULT 0 CHECK (incoming >= 0),
  version bigint NOT NULL DEFAULT 0,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (sku, location_id)
);
CREATE INDEX stock_levels_location_idx ON stock_levels (location_id, sku);

CREATE TABLE reservations (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  channel_id text NOT NULL REFERENCES channels (id),
  order_reference text NOT NULL,
  status text NOT NULL DEFAULT 'OPEN' CHECK (status IN ('OPEN', 'FULFILLED', 'RELEASED')),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX reservations_order_idx ON reservations (channel_id, order_reference);

CREATE TABLE reservation_lines (
  reservation_id bigint NOT NULL REFERENCES reservations (id),
  line_number integer NOT NULL,
  sku text NOT NULL REFERENCES products (sku),
  location_id text NOT NULL REFERENCES locations (id),
  quantity integer NOT NULL CHECK (quantity > 0),
  line_reference text,
  PRIMARY KEY (reservation_id, line_number)
);

CREATE TABLE stock_movements (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('RECEIPT', 'ADJUSTMENT', 'COUNT', 'TRANSFER_OUT', 'TRANSFER_IN', 'RESERVATION',
                                     'FULFILMENT', 'RELEASE', 'RETURN', 'INCOMING', 'SAFETY_STOCK')),
  sku text NOT NULL REFERENCES products (sku),
  location_id text NOT NULL REFERENCES locations (id),
  on_hand_delta integer NOT NULL DEFAULT 0,
  committed_delta integer NOT NULL DEFAULT 0,
  incoming_delta integer NOT NULL DEFAULT 0,
  safety_stock_delta integer NOT NULL DEFAULT 0,
  actor text NOT NULL,
  reason text,
  reference text,
  idempotency_key text NOT NULL,
  reservation_id bigint REFERENCES reservations (id),
  occurred_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX stock_movements_sku_idx ON stock_movements (sku, id DESC);
CREATE INDEX stock_movements_key_idx ON stock_movements (idempotency_key);

-- One row per idempotency key: the first request's fingerprint and its result, replayed verbatim.
CREATE TABLE idempotency_keys (
  key text PRIMARY KEY,
  operation text NOT NULL,
  request_hash text NOT NULL,
  response jsonb,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Transactional outbox. Ids are allocated under an advisory lock held to commit, so they become
-- visible in id order and a reader that remembers the last id it saw never skips an event.
CREATE TABLE stock_events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  sku text NOT NULL,
  location_id text NOT NULL,
  kind text NOT NULL,
  payload jsonb NOT NULL,
  occurred_at timestamptz NOT NULL DEFAULT now()
);
