-- fulfilOrder: how much of each line has shipped through Ponte (a line may ship in several
-- parcels), and the caller's idempotency key on each fulfilment so a retried request records one.
ALTER TABLE order_lines ADD COLUMN fulfilled_quantity int NOT NULL DEFAULT 0;
UPDATE order_lines SET fulfilled_quantity = quantity WHERE status = 'FULFILLED';
ALTER TABLE fulfilments ADD COLUMN idempotency_key text;
CREATE UNIQUE INDEX fulfilments_idempotency ON fulfilments (order_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
