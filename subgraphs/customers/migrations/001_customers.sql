-- One profile per person across channels. Every personal value is sealed (kit/sealed.ts,
-- AES-256-GCM, the column authenticated as context); matching goes through keyed blind indexes
-- (HMAC-SHA256 under PONTE_BLIND_INDEX_KEY), never through the values. docs/privacy.md, "Customers".
CREATE TABLE customers (
  id text PRIMARY KEY,
  status text NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'MERGED', 'ERASED')),
  merged_into text REFERENCES customers (id),
  -- Each field: the sealed value, and its source of truth ({kind, channel?, operator?, observedAt}:
  -- no personal data, kept plain so the rule "latest observation wins" reads it).
  name_sealed text,
  name_source jsonb,
  email_sealed text,
  email_source jsonb,
  phone_sealed text,
  phone_source jsonb,
  cpf_sealed text,
  cpf_source jsonb,
  address_sealed text,
  address_source jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  erased_at timestamptz
);

-- One row per identifier: the unique key is what makes two replicas identifying the same new
-- shopper at once end with one profile (the second insert conflicts and the work is retried).
CREATE TABLE customer_blind_indexes (
  kind text NOT NULL CHECK (kind IN ('EMAIL', 'CPF', 'PHONE', 'PLATFORM_CUSTOMER_ID')),
  digest text NOT NULL,
  customer_id text NOT NULL REFERENCES customers (id),
  PRIMARY KEY (kind, digest)
);
CREATE INDEX customer_blind_indexes_customer_idx ON customer_blind_indexes (customer_id);

-- Each (channel, platform customer id) a person was seen as; a guest checkout has no platform id
-- (one row per channel, platform_digest NULL).
CREATE TABLE customer_identities (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  customer_id text NOT NULL REFERENCES customers (id),
  channel text NOT NULL,
  platform_customer_id_sealed text,
  platform_digest text,
  first_seen_at timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL
);
CREATE UNIQUE INDEX customer_identities_platform_idx ON customer_identities (channel, platform_digest) WHERE platform_digest IS NOT NULL;
CREATE INDEX customer_identities_customer_idx ON customer_identities (customer_id);

-- Which order identified which profile: a redelivery answers the same, and after an erasure the
-- order still points at the tombstone (no personal data) rather than making a profile again.
CREATE TABLE customer_identifications (
  channel text NOT NULL,
  order_reference text NOT NULL,
  customer_id text NOT NULL REFERENCES customers (id),
  identified_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (channel, order_reference)
);
CREATE INDEX customer_identifications_customer_idx ON customer_identifications (customer_id);

-- Merges, explainable (what matched) and reversible (what moved, and the survivor's fields before).
CREATE TABLE customer_merges (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  survivor_id text NOT NULL REFERENCES customers (id),
  absorbed_id text NOT NULL REFERENCES customers (id),
  -- Which identifiers of the observation found each profile (EMAIL, CPF, PHONE, PLATFORM_CUSTOMER_ID).
  matched_on text[] NOT NULL,
  survivor_matched_on text[] NOT NULL,
  channel text NOT NULL,
  -- The blind indexes and identities moved from the absorbed profile ({kind, digest}[], ids).
  moved_indexes jsonb NOT NULL,
  moved_identities bigint[] NOT NULL,
  -- The survivor's fields before the merge: sealed JSON, dropped on erasure.
  survivor_before_sealed text,
  -- The survivor's field sources right after the merge: a field changed since is kept on unmerge.
  survivor_after_sources jsonb NOT NULL,
  merged_at timestamptz NOT NULL DEFAULT now(),
  undone_at timestamptz,
  undone_by text
);
CREATE INDEX customer_merges_survivor_idx ON customer_merges (survivor_id);
CREATE INDEX customer_merges_absorbed_idx ON customer_merges (absorbed_id);

-- Two profiles an operator separated: never merged again automatically.
CREATE TABLE customer_merge_blocks (
  customer_a text NOT NULL REFERENCES customers (id),
  customer_b text NOT NULL REFERENCES customers (id),
  PRIMARY KEY (customer_a, customer_b),
  CHECK (customer_a < customer_b)
);

-- LGPD data-subject requests, as evidence they were honoured: ids, names and counts only.
CREATE TABLE data_subject_requests (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('ACCESS', 'CORRECTION', 'ERASURE', 'UNMERGE')),
  customer_id text NOT NULL REFERENCES customers (id),
  operator text NOT NULL,
  reason text,
  outcome jsonb NOT NULL,
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX data_subject_requests_customer_idx ON data_subject_requests (customer_id, id);

-- Outbox of changes other services follow (customerChanges; NOTIFY customer_changes).
CREATE TABLE customer_changes (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('CUSTOMER_ERASED', 'CUSTOMERS_MERGED', 'CUSTOMERS_UNMERGED')),
  customer_id text NOT NULL,
  other_customer_id text,
  occurred_at timestamptz NOT NULL DEFAULT now()
);

-- Which blind-index key the digests were made with (its own HMAC of a fixed label, not the key):
-- a new PONTE_BLIND_INDEX_KEY re-computes every digest from the sealed values on start.
CREATE TABLE customer_settings (
  name text PRIMARY KEY,
  value text NOT NULL
);
