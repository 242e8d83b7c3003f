-- 005: settings for search: when a listing not confirmed counts as stale.
INSERT INTO settings VALUES ('listing_stale_days', '365')
ON CONFLICT (name) DO NOTHING;
GRANT SELECT ON settings TO inbound_api;
