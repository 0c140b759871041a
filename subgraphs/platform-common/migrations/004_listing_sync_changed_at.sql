-- When the stock change a wanted quantity comes from was committed (the event's occurredAt), so
-- the time from that commit to the platform acknowledging the push can be measured. NULL for
-- quantities read by a full resync, which carry no single change.
ALTER TABLE listing_sync ADD COLUMN changed_at timestamptz;
