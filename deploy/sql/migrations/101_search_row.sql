-- 101: what search reads of a current listing, materialised in its search
-- row (hospital_listings) when the listing is stored, so the match query
-- reads columns and never takes the document apart (issue 18: per match,
-- the document's accreditations, price bands and search text cost more
-- than finding the matches):
--  * search_text: what q= matches, is added by migration 105 and written by
--    ibx_store_hospital_listing (equal to ibx_listing_search_text(doc));
--  * search_accreditations: "scheme:expires,..." as ranking reads it
--    (ibx_listing_accreditation_text);
--  * price_services, price_min_jpy, price_max_jpy: the price bands, one
--    field each, lowest first (ibx_listing_prices);
--  * confirmed_at: the listing's confirmed_at as written (YYYY-MM-DD).
-- Generated columns: kept by PostgreSQL on every insert and update of the
-- row, whoever writes it.  They need the functions, so they are added
-- after the functions are applied.
-- ibx:after-functions
ALTER TABLE hospital_listings
	ADD COLUMN search_accreditations text NOT NULL
		GENERATED ALWAYS AS (ibx_listing_accreditation_text(doc)) STORED,
	ADD COLUMN price_services text[] NOT NULL
		GENERATED ALWAYS AS (ibx_listing_prices(doc, 'service')) STORED,
	ADD COLUMN price_min_jpy bigint[] NOT NULL
		GENERATED ALWAYS AS (ibx_listing_prices(doc, 'min_jpy')::bigint[]) STORED,
	ADD COLUMN price_max_jpy bigint[] NOT NULL
		GENERATED ALWAYS AS (ibx_listing_prices(doc, 'max_jpy')::bigint[]) STORED,
	ADD COLUMN confirmed_at text
		GENERATED ALWAYS AS (doc->>'confirmed_at') STORED;
