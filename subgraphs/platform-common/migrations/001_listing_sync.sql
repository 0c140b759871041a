-- The quantity each listing on this platform should show, coalesced per SKU: only the latest
-- wanted quantity is kept, and pushed once; stock_version orders answers for the same SKU.
CREATE TABLE listing_sync (
  sku text PRIMARY KEY,
  quantity integer NOT NULL,
  stock_version bigint NOT NULL,
  status text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'SYNCED', 'DEAD')),
  attempts integer NOT NULL DEFAULT 0,
  -- Also the claim: a worker moves it forward while it pushes, so two replicas never push one row at once.
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  last_error text,
  pushed_quantity integer,
  pushed_version bigint,
  pushed_at timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX listing_sync_due_idx ON listing_sync (next_attempt_at) WHERE status = 'PENDING';
