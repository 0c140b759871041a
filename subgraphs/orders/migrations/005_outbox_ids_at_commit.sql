-- Outbox ids allocated at commit, as the inventory's stock_events (its migration
-- 007_outbox_ids_at_commit.sql says why): a transaction writes its events to order_events_pending
-- and a deferred constraint trigger moves them into order_events as it commits, under the lock
-- that makes ids visible in id order, held for the move and the commit only.
CREATE UNLOGGED TABLE order_events_pending (
  position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  order_id bigint NOT NULL,
  channel_id text NOT NULL,
  kind text NOT NULL,
  status text NOT NULL,
  trace_parent text,
  fulfilment_id bigint
);

CREATE FUNCTION publish_order_event() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('ponte-outbox:' || current_schema()));
  INSERT INTO order_events (order_id, channel_id, kind, status, trace_parent, fulfilment_id)
    VALUES (NEW.order_id, NEW.channel_id, NEW.kind, NEW.status, NEW.trace_parent, NEW.fulfilment_id);
  DELETE FROM order_events_pending WHERE position = NEW.position;
  RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER publish_at_commit AFTER INSERT ON order_events_pending
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION publish_order_event();
