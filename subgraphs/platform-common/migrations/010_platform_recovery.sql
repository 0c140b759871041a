-- Work that failed because the platform itself was down (5xx, timeouts), not because of what it
-- carried, waits for the platform to answer again rather than for its own backoff: the first
-- call that succeeds after an outage makes it due at once (issue 9's fault run waited up to 28 s
-- of backoff after Mercado Livre was back). A row is woken so once; failing again right after,
-- its failure is its own and the backoff holds.
ALTER TABLE inbox_messages ADD COLUMN waits_on_platform boolean NOT NULL DEFAULT false;
ALTER TABLE inbox_messages ADD COLUMN woken_on_recovery boolean NOT NULL DEFAULT false;
CREATE INDEX inbox_messages_platform_wait_idx ON inbox_messages (id) WHERE waits_on_platform AND processed_at IS NULL;
ALTER TABLE listing_sync ADD COLUMN waits_on_platform boolean NOT NULL DEFAULT false;
ALTER TABLE listing_sync ADD COLUMN woken_on_recovery boolean NOT NULL DEFAULT false;
