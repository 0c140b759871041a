-- Shipments Ponte fulfilled, to be told to the platform the order came from (a Shopify
-- fulfillment with tracking, a WooCommerce order completed with its tracking, a Mercado Livre ME1
-- shipment marked shipped, an Amazon MFN shipment confirmation). One row per (platform order,
-- Ponte fulfilment): a redelivered fulfilment finds its row and confirms once. Retried with
-- backoff until the platform takes it; kept as DEAD for an operator to replay when retries are
-- spent, or REFUSED when the platform ships it itself (Amazon FBA, Mercado Envios).
CREATE TABLE shipment_confirmations (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  -- The platform's order id, as the subgraph's intake keys the order (channel_order_lines.order_id).
  order_id text NOT NULL,
  -- The orders subgraph's fulfilment id (or the caller's): what makes a redelivery the same shipment.
  fulfilment_id text NOT NULL,
  carrier text NOT NULL,
  tracking_code text NOT NULL,
  tracking_url text,
  shipped_at timestamptz NOT NULL,
  -- [{ lineId, sku, quantity }]: the platform's line ids and the units shipped of each.
  lines jsonb NOT NULL,
  status text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'CONFIRMED', 'REFUSED', 'DEAD')),
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  -- The claim: a worker holds the row until its call is recorded, so two replicas never confirm it at once.
  claimed_until timestamptz,
  -- The latest failure (PENDING, DEAD) or the platform's reason for refusing (REFUSED).
  last_error text,
  -- What the platform recorded: a fulfillment GID, a package reference id, a shipment id.
  platform_reference text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  confirmed_at timestamptz,
  UNIQUE (order_id, fulfilment_id)
);
CREATE INDEX shipment_confirmations_due_idx ON shipment_confirmations (next_attempt_at) WHERE status = 'PENDING';
CREATE INDEX shipment_confirmations_status_idx ON shipment_confirmations (status, updated_at DESC);
