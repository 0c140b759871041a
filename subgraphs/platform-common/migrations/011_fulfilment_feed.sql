-- The last event of the orders subgraph's fulfilment feed this subgraph handed to its shipment
-- confirmations, per channel: a restart reads on from here, so no parcel is missed, and one read
-- twice (a crash between the enqueue and this write) is confirmed once (keyed by fulfilment id).
CREATE TABLE fulfilment_feed_watermarks (
  channel_id text PRIMARY KEY,
  last_event_id bigint NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
