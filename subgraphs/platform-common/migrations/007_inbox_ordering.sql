-- The inbox worker applies several messages at once (issue 9's order storm): messages about one
-- platform order must still go one after another, in arrival order, so each names its order.
-- NULL: a message about no order in particular (or stored before this column), ordered by nothing.
ALTER TABLE inbox_messages ADD COLUMN ordering_key text;
CREATE INDEX inbox_messages_ordering_idx ON inbox_messages (ordering_key, id) WHERE processed_at IS NULL AND ordering_key IS NOT NULL;
