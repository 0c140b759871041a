-- Outbox ids allocated at commit. A reader that remembers the last stock_events id it saw must
-- never skip one, so ids have to become visible in id order. They were allocated under an
-- advisory lock the writing transaction took and held to its commit: every client round trip
-- after the append, and any pause of the process holding it, stalled every other stock change
-- (an order storm queued 60 reservations on it). A transaction now writes its events to
-- stock_events_pending; a deferred constraint trigger moves them into stock_events as the
-- transaction commits, under the same lock, which is then held for the move and the commit only,
-- inside the server. Unlogged: a pending row never outlives its transaction.
CREATE UNLOGGED TABLE stock_events_pending (
  position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  sku text NOT NULL,
  location_id text NOT NULL,
  kind text NOT NULL,
  payload jsonb NOT NULL,
  trace_parent text
);

CREATE FUNCTION publish_stock_event() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
  -- Re-entrant: the transaction's first event takes it, the others find it held.
  PERFORM pg_advisory_xact_lock(hashtext('ponte-outbox:' || current_schema()));
  INSERT INTO stock_events (sku, location_id, kind, payload, trace_parent) VALUES (NEW.sku, NEW.location_id, NEW.kind, NEW.payload, NEW.trace_parent);
  DELETE FROM stock_events_pending WHERE position = NEW.position;
  RETURN NULL;
END
$$;

-- Deferred row triggers run at commit in the order their rows were inserted: the events keep the
-- order the transaction wrote them in.
CREATE CONSTRAINT TRIGGER publish_at_commit AFTER INSERT ON stock_events_pending
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION publish_stock_event();
