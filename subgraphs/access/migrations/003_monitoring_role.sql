-- The `monitoring` role: a Prometheus scraper's key, which may read every service's /metrics
-- (scope `metrics:read`) and nothing of the merchant's data, so a scraper needs no operator key.
ALTER TABLE api_keys DROP CONSTRAINT api_keys_role_check;
ALTER TABLE api_keys ADD CONSTRAINT api_keys_role_check CHECK (role IN ('storefront', 'internal', 'partner', 'operator', 'admin', 'service', 'monitoring'));
