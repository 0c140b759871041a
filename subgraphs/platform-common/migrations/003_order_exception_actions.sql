-- An operator acts on an order exception (resolveXOrderException, dismissXOrderException,
-- retryXOrderException): who closed it, and the idempotency key of the request that did, so a
-- repeated request answers the same exception instead of failing.
ALTER TABLE order_exceptions ADD COLUMN resolved_by text;
ALTER TABLE order_exceptions ADD COLUMN resolution_key text;
-- The canonical SKU an operator applied the line to, when the platform's own SKU could not be
-- reserved. The line keeps the platform's SKU in `sku`, so the next delivery of the same order
-- (a reconciliation sweep) is still recognised as the same line rather than a conflict.
ALTER TABLE channel_order_lines ADD COLUMN applied_sku text;
