-- 105: cheaper listing intake (issue 18, target 2).
--
-- Most listing updates change nothing the search filters on (beds, prices,
-- contacts, confirmed_at), yet every version used to be a non-HOT update of
-- hospital_listings and so inserted into every one of its ten indexes: the
-- five GIN arrays, three trigram GINs and the btrees.  The one index that
-- read the document itself (hospital_listings_search, an expression over
-- doc, migration 040) made every change of doc count as a change of an
-- indexed column.  Here:
--  * search_text holds what ibx_listing_search_text(doc) computes (the
--    names in every language, the romaji readings, the address, in lower
--    case), written by ibx_store_hospital_listing, and the trigram index
--    is on that column instead of the expression.  An update that leaves
--    the searchable fields alone then changes no indexed column and is a
--    heap-only (HOT) update: no index is touched.
--  * fillfactor 50 leaves room in each page for those new row versions.
--  * The documents (1-2 kB of jsonb, with the row over the 2 kB TOAST
--    threshold) are compressed with lz4 instead of pglz, in the search
--    row and in the version history, as message_log's envelopes are (007):
--    pglz_compress was in the profile of every update.
-- What q= matches does not change: the search may read search_text (or
-- keep calling ibx_listing_search_text(doc); both give the same text).

ALTER TABLE hospital_listings ADD COLUMN IF NOT EXISTS search_text text;
ALTER TABLE hospital_listings SET (fillfactor = 50);
ALTER TABLE hospital_listings ALTER COLUMN doc SET COMPRESSION lz4;
ALTER TABLE listing_versions ALTER COLUMN doc SET COMPRESSION lz4;

-- After the functions, as 040 made its index there (a new database runs
-- every migration's first part, then the functions, then these parts).
-- ibx:after-functions
DROP INDEX IF EXISTS hospital_listings_search;
UPDATE hospital_listings SET search_text = ibx_listing_search_text(doc);
CREATE INDEX hospital_listings_search_text ON hospital_listings
	USING gin (search_text gin_trgm_ops);
