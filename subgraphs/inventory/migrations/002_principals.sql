-- Who did what, and whose idempotency keys are whose. The gateway (or a service key) tells the
-- inventory which principal is calling; each ledger row records its id beside its name, each
-- reservation the principal that created it (ownership: a partner closes only its own channels'
-- reservations), and an idempotency key belongs to the principal that sent it: the same key from
-- two principals is two keys, and no one can claim or replay the keys a Ponte service uses.

ALTER TABLE stock_movements ADD COLUMN actor_id text;
ALTER TABLE reservations ADD COLUMN created_by text;

-- '' is the namespace of in-process callers without a principal (seeds, maintenance scripts).
ALTER TABLE idempotency_keys ADD COLUMN principal_id text NOT NULL DEFAULT '';
-- Keys the platform subgraphs already used move to their service principal's namespace, so an
-- order line applied before this migration is still recognised as applied when it is retried.
UPDATE idempotency_keys k
   SET principal_id = 'service:' || m.actor
  FROM (SELECT DISTINCT idempotency_key, actor FROM stock_movements
         WHERE actor IN ('shopify', 'woocommerce', 'mercadolivre', 'amazon')) m
 WHERE m.idempotency_key = k.key;
ALTER TABLE idempotency_keys DROP CONSTRAINT idempotency_keys_pkey;
ALTER TABLE idempotency_keys ADD PRIMARY KEY (principal_id, key);
ALTER TABLE idempotency_keys ALTER COLUMN principal_id DROP DEFAULT;
