-- Traces (kit/telemetry.ts): the W3C traceparent of the operation that committed each outbox
-- event, handed to subscribers with the event so the work it causes elsewhere (a listing push on
-- every platform) links to the change. Ids only, never data; NULL when tracing was off.
ALTER TABLE stock_events ADD COLUMN trace_parent text;
