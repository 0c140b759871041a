-- A platform that lowers a listing by what it sells itself (Mercado Livre, Amazon) has often done
-- Ponte's next write for it: the reservation of its own sale makes the quantity the listing shows
-- already. Before such writes StockSync reads the listings and spares the ones that show the
-- wanted quantity (issue 9's storm spent 35 of Mercado Livre's 92 writes after its last order on
-- listings already equal). `checked_at`: when a read last found the listing showing what Ponte
-- wants, so the sale that read accounted for does not make it a candidate again.
ALTER TABLE listing_sync ADD COLUMN checked_at timestamptz;
-- Whether the channel sold a SKU since Ponte last knew what its listing shows: a line of its own
-- orders changed since then. Without one, a quantity Ponte last wrote is not written again.
CREATE INDEX channel_order_lines_sku_idx ON channel_order_lines (sku, updated_at);
