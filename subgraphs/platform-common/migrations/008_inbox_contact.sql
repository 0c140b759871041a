-- Personal data (LGPD): the shopper's contact on an order (name, e-mail, phone, CPF, address,
-- platform customer id), which the customers subgraph needs to identify them, kept only sealed
-- (kit/sealed.ts, JSON) beside the allowlist projection, and only until the message is applied;
-- dropped too by the retention purge and by a platform's redaction request.
ALTER TABLE inbox_messages ADD COLUMN contact_sealed text;
