-- Version 10: several workers share one database (PostgreSQL). The broadcast engine claims a batch of
-- deliveries (a token per batch) before sending them, so two engines never pick the same delivery.
ALTER TABLE deliveries ADD COLUMN claim TEXT;
CREATE INDEX deliveries_by_claim ON deliveries (claim);
