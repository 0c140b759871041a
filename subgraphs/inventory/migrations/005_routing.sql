-- Routing (issue 10): reservations pick their locations by distance to the delivery CEP
-- (subgraphs/inventory/routing/), and every part of every line says why it went where it went.

-- Per channel: NEAREST ships each line from the nearest location with stock; FEWEST_PARCELS
-- accepts farther locations to ship the order from fewer of them.
ALTER TABLE channels ADD COLUMN routing_preference text NOT NULL DEFAULT 'NEAREST'
  CHECK (routing_preference IN ('NEAREST', 'FEWEST_PARCELS'));

-- The CEP the reservation was routed to (8 digits, no hyphen) and the preference applied.
-- Nothing else of the address: the CEP is all routing needs.
ALTER TABLE reservations ADD COLUMN deliver_to_postal_code text CHECK (deliver_to_postal_code ~ '^[0-9]{8}$');
ALTER TABLE reservations ADD COLUMN routing_preference text CHECK (routing_preference IN ('NEAREST', 'FEWEST_PARCELS'));

-- A reservation line is one part of an order line at one location: a line split across
-- locations has several, with the same order_line (its 1-based position in the request).
ALTER TABLE reservation_lines ADD COLUMN order_line integer CHECK (order_line > 0);
ALTER TABLE reservation_lines ADD COLUMN routing_reason text CHECK (char_length(routing_reason) <= 1000);
ALTER TABLE reservation_lines ADD COLUMN routing_distance_km integer CHECK (routing_distance_km >= 0);

-- Lines reserved before routing were one per order line, first location by priority with all units.
UPDATE reservation_lines
   SET order_line = line_number,
       routing_reason = 'reserved before routing: first location by priority with all units'
 WHERE routing_reason IS NULL;
