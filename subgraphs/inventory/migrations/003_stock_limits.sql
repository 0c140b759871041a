-- The ceiling on stock (STOCK_CEILING in models.ts) and the bounds on free text (inventory-service.ts),
-- also as constraints, so a write that goes around the service (a script, a hand-written fix) cannot
-- leave a level that GraphQL's 32-bit Int cannot carry or a megabyte in the append-only ledger.
-- The service checks first and answers QUANTITY_LIMIT_EXCEEDED / BAD_USER_INPUT; these only catch
-- what bypasses it. The SKU's total across locations is a check over several rows: the service holds
-- it (lockSkusForIncrease), a constraint cannot.
--
-- NOT VALID: enforced on every new or changed row from now on, without refusing to start on a
-- database that already holds a larger value (that row can still be lowered by hand, then
-- `ALTER TABLE ... VALIDATE CONSTRAINT`).

ALTER TABLE stock_levels
  ADD CONSTRAINT stock_levels_within_ceiling
  CHECK (on_hand <= 1000000000 AND committed <= 1000000000 AND incoming <= 1000000000 AND safety_stock <= 1000000000) NOT VALID;

ALTER TABLE stock_movements
  ADD CONSTRAINT stock_movements_text_bounded
  CHECK (char_length(reason) <= 500 AND char_length(reference) <= 200) NOT VALID;

ALTER TABLE reservations
  ADD CONSTRAINT reservations_order_reference_bounded CHECK (char_length(order_reference) <= 200) NOT VALID;

ALTER TABLE reservation_lines
  ADD CONSTRAINT reservation_lines_line_reference_bounded CHECK (char_length(line_reference) <= 200) NOT VALID;
