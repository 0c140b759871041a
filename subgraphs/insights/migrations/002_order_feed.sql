-- How far this store has followed the orders subgraph (`orderChangesSince`): the cursor of the last
-- page whose orders were recorded. Saved after the page's facts commit, so a crash in between
-- re-reads that page, which the idempotent ingest absorbs.
CREATE TABLE feed_watermarks (
  feed text PRIMARY KEY,
  cursor text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
