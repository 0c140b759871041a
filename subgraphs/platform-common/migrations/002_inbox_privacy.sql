-- Personal data (LGPD): the inbox keeps a delivery's payload only while it is useful.
-- A processed message's payload is dropped after the retention (PONTE_INBOX_RETENTION_DAYS);
-- the row and its delivery id stay, so a late duplicate is still recognised and ignored.
ALTER TABLE inbox_messages ALTER COLUMN payload DROP NOT NULL;
ALTER TABLE inbox_messages ADD COLUMN purged_at timestamptz;
-- A message that can never be applied (not an order at all) is set aside at once, not retried.
ALTER TABLE inbox_messages ADD COLUMN rejected_at timestamptz;
CREATE INDEX inbox_messages_purge_idx ON inbox_messages (processed_at) WHERE payload IS NOT NULL AND processed_at IS NOT NULL;

-- Data-subject requests a platform sent (Shopify's customers/data_request, customers/redact,
-- shop/redact): kept as evidence that each was honoured. The customer's contact details, needed
-- to answer a data request, are sealed (kit/sealed.ts) and erased with the customer's data.
CREATE TABLE privacy_requests (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  -- The platform's delivery id: a redelivery of the same request is recognised.
  delivery_id text NOT NULL UNIQUE,
  kind text NOT NULL CHECK (kind IN ('CUSTOMER_DATA_REQUEST', 'CUSTOMER_REDACT', 'SHOP_REDACT')),
  shop text NOT NULL,
  -- Sealed JSON { id, email, phone }; NULL once erased or for a shop request.
  customer_sealed text,
  -- The platform's order ids the request names (not personal by themselves).
  order_ids text[] NOT NULL DEFAULT '{}',
  -- What was erased, in counts (redactions), for the operator's record.
  outcome jsonb,
  received_at timestamptz NOT NULL DEFAULT now(),
  completed_at timestamptz
);
