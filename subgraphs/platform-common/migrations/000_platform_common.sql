-- Tables every platform subgraph keeps in its own schema.

-- Webhooks and notifications as received, before processing: answered 200 at once, processed by
-- the inbox worker with retries, so a crash or an inventory outage loses nothing.
CREATE TABLE inbox_messages (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  -- The platform's delivery id (Shopify X-Shopify-Event-Id, WooCommerce X-WC-Webhook-Delivery-ID, ...):
  -- a redelivery has the same one and is dropped here.
  delivery_id text NOT NULL UNIQUE,
  topic text NOT NULL,
  payload jsonb NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  processed_at timestamptz,
  last_error text
);
CREATE INDEX inbox_messages_due_idx ON inbox_messages (next_attempt_at, id) WHERE processed_at IS NULL;

-- Where each order line stands against the canonical inventory. States only move forward:
-- RESERVED or EXCEPTION, then RELEASED or FULFILLED; so a late or repeated event cannot undo a
-- later one.
CREATE TABLE channel_order_lines (
  order_id text NOT NULL,
  line_id text NOT NULL,
  sku text,
  quantity integer NOT NULL,
  state text NOT NULL CHECK (state IN ('RESERVED', 'EXCEPTION', 'RELEASED', 'FULFILLED')),
  reservation_id text,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (order_id, line_id)
);

-- Order lines that could not be reserved (unknown SKU, not enough stock): kept for review.
CREATE TABLE order_exceptions (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  order_id text NOT NULL,
  line_id text NOT NULL,
  sku text,
  quantity integer NOT NULL,
  code text NOT NULL,
  message text NOT NULL,
  occurred_at timestamptz NOT NULL DEFAULT now(),
  resolved_at timestamptz,
  resolution text
);
CREATE UNIQUE INDEX order_exceptions_open_idx ON order_exceptions (order_id, line_id) WHERE resolved_at IS NULL;

-- Small persistent values: polling watermarks (Amazon's LastUpdatedAfter), OAuth tokens.
CREATE TABLE platform_state (
  name text PRIMARY KEY,
  value jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
