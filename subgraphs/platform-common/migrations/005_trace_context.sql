-- Traces (kit/telemetry.ts): the W3C traceparent of the work that stored a row, so the work done
-- later from it continues that trace. An inbox message is applied in the trace of the webhook
-- that stored it; a listing push links to the stock changes that asked for it.
-- NULL when tracing was off. A traceparent holds ids only, never data.
ALTER TABLE inbox_messages ADD COLUMN trace_parent text;
ALTER TABLE listing_sync ADD COLUMN trace_parent text;
