-- Who a key acts as, kept apart from the key itself: a rotation hands the successor the same
-- principal, so the inventory's idempotency keys (scoped per principal) and ownership survive it,
-- and a platform subgraph's service key is `service:<name>` whichever key it currently holds.
ALTER TABLE api_keys ADD COLUMN principal_id text;
UPDATE api_keys SET principal_id = CASE WHEN role = 'service' THEN 'service:' || name ELSE 'key:' || id END;
ALTER TABLE api_keys ALTER COLUMN principal_id SET NOT NULL;

CREATE FUNCTION api_keys_principal_id() RETURNS trigger AS $$
BEGIN
  IF NEW.principal_id IS NULL THEN
    NEW.principal_id := coalesce(
      (SELECT principal_id FROM api_keys WHERE id = NEW.rotated_from),
      CASE WHEN NEW.role = 'service' THEN 'service:' || NEW.name ELSE 'key:' || NEW.id END);
  END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql;

CREATE TRIGGER api_keys_principal_id BEFORE INSERT ON api_keys FOR EACH ROW EXECUTE FUNCTION api_keys_principal_id();
