-- Who may call Ponte. The key itself is never stored: only the SHA-256 of it (see keys.ts for why
-- a fast hash is right for random keys) and a short prefix a person can recognise it by.
CREATE TABLE api_keys (
  id text PRIMARY KEY,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  role text NOT NULL CHECK (role IN ('storefront', 'internal', 'partner', 'operator', 'admin', 'service')),
  scopes text[] NOT NULL,
  -- NULL: every channel (location); otherwise the only ones the key may touch.
  channels text[],
  locations text[],
  key_hash text NOT NULL UNIQUE CHECK (key_hash ~ '^[0-9a-f]{64}$'),
  display_prefix text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by text NOT NULL,
  revoked_at timestamptz,
  expires_at timestamptz,
  last_used_at timestamptz,
  rotated_from text REFERENCES api_keys (id)
);
-- A key is rotated once: a second successor would leave two live keys for one caller.
CREATE UNIQUE INDEX api_keys_rotated_from_idx ON api_keys (rotated_from) WHERE rotated_from IS NOT NULL;
CREATE INDEX api_keys_created_at_idx ON api_keys (created_at DESC, id DESC);

-- What was done through the gateway, by whom, with what outcome. Append-only: the trigger below
-- refuses every UPDATE and DELETE, so an entry once written is what the gateway saw.
CREATE TABLE audit_log (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  occurred_at timestamptz NOT NULL,
  principal_id text,
  principal_role text,
  operation_type text NOT NULL CHECK (operation_type IN ('query', 'mutation', 'subscription')),
  operation_name text,
  root_fields text[] NOT NULL DEFAULT '{}',
  -- Personal data and secrets are redacted by the gateway before they get here (kit/redact.ts).
  variables jsonb,
  outcome text NOT NULL,
  duration_ms integer NOT NULL CHECK (duration_ms >= 0),
  client_ip text,
  user_agent text,
  recorded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_log_occurred_at_idx ON audit_log (occurred_at DESC, id DESC);
CREATE INDEX audit_log_principal_idx ON audit_log (principal_id, occurred_at DESC);

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
-- TRUNCATE skips row triggers; a statement trigger covers it.
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
