-- An order's own events, found without scanning the outbox: orderChangesSince's first pass asks,
-- for every order, whether it has any (NOT EXISTS … WHERE order_id = …), and the outbox only grows.
CREATE INDEX order_events_by_order ON order_events (order_id, id);
