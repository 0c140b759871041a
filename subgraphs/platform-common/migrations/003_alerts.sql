-- Operational alerts (subgraphs/platform-common/alerts.ts): one row per incident, from the
-- evaluation that saw the condition start to the one that saw it end. The open incident of a
-- rule and subject is unique, so a restart finds it instead of firing again, and two replicas
-- evaluating at once cannot both open (or both clear) it.
CREATE TABLE alert_incidents (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  rule text NOT NULL,
  -- What within the rule is alerting (a notification topic); '' when the rule is about the whole platform.
  subject text NOT NULL DEFAULT '',
  platform text NOT NULL,
  severity text NOT NULL CHECK (severity IN ('WARNING', 'CRITICAL')),
  summary text NOT NULL,
  details jsonb NOT NULL DEFAULT '{}',
  fired_at timestamptz NOT NULL DEFAULT now(),
  -- Refreshed while the condition lasts; summary and details follow the latest evaluation.
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  cleared_at timestamptz
);
CREATE UNIQUE INDEX alert_incidents_open_idx ON alert_incidents (rule, subject) WHERE cleared_at IS NULL;
CREATE INDEX alert_incidents_recent_idx ON alert_incidents (fired_at DESC);

-- Each firing and each clearing sent to the outgoing webhook (PONTE_ALERT_WEBHOOK_URL), written in
-- the transaction that opened or closed the incident: retried with backoff until the receiver
-- answers 2xx, across restarts. The id is the idempotency id receivers dedupe on.
CREATE TABLE alert_deliveries (
  id text PRIMARY KEY,
  incident_id bigint NOT NULL REFERENCES alert_incidents (id),
  event text NOT NULL CHECK (event IN ('FIRED', 'CLEARED')),
  -- The exact JSON body sent (and signed) on every attempt.
  body text NOT NULL,
  attempts integer NOT NULL DEFAULT 0,
  -- Also the claim: a worker moves it forward while it sends, so two replicas never send one row at once.
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  last_error text,
  delivered_at timestamptz,
  abandoned_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (incident_id, event)
);
CREATE INDEX alert_deliveries_due_idx ON alert_deliveries (next_attempt_at) WHERE delivered_at IS NULL AND abandoned_at IS NULL;
