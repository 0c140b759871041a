-- Following the customers subgraph's profile changes (customerChanges): an erased customer's
-- orders lose their link, a merge re-points them to the surviving profile, an unmerge returns
-- the orders that a merge re-pointed. Still no personal data: ids only.

-- The profile an order was linked to before a merge re-pointed it (null when never re-pointed):
-- what an unmerge gives back.
ALTER TABLE orders ADD COLUMN customer_before_merge text;

-- The last customer change applied (one row); changes are applied in order, each once.
CREATE TABLE customer_changes_applied (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  last_change_id bigint NOT NULL
);
