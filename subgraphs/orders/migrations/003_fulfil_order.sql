-- fulfilOrder: how much of each line has shipped through Ponte (a line may ship in several
-- parcels), and the caller's idempotency key on each fulfilment so a retried request records one.
ALTER TABLE order_lines ADD COLUMN fulfilled_quantity int NOT NULL DEFAULT 0;
UPDATE order_lines SET fulfilled_quantity = quantity WHERE status = 'FULFILLED';
ALTER TABLE fulfilments ADD COLUMN idempotency_key text;
CREATE UNIQUE INDEX fulfilments_idempotency ON fulfilments (order_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
-- The parcel a FULFILMENT_ADDED event announces: each platform subgraph reads its channel's events
-- after the last id it handled (ids become visible in order) to tell its platform the tracking.
ALTER TABLE order_events ADD COLUMN fulfilment_id bigint;
CREATE INDEX order_events_channel_fulfilments ON order_events (channel_id, id) WHERE fulfilment_id IS NOT NULL;

-- How far this subgraph has read the inventory's store sales (each becomes an order).
CREATE TABLE feed_watermarks (
  feed text PRIMARY KEY,
  last_id bigint NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
