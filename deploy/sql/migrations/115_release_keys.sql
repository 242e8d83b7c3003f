-- 115: the release's values written at a lower cost, the same values
-- (issue 18, figure 8).  A release writes some 60,000 values a month
-- (hospital by purpose), 5.6 million for the demo's 95 months; perf of
-- PostgreSQL during it: 47 % the foreign key's check of each row (one
-- executor start and index lookup of release_queries per value), 30 % the
-- primary key's inserts, whose text comparisons went through the
-- database's collation (C.UTF-8: strcoll).
--
-- (a) The keys (measure, dims, key1, key2) are codes: byte-wise "C"
--     collation, the order C.UTF-8 gives them (code point order).
-- (b) The foreign key from release_values to release_queries is checked
--     once per statement by triggers (ibx_release_values_queried,
--     ibx_release_queries_kept): the same rule, the same error class.
-- ibx:after-functions
ALTER TABLE release_values DROP CONSTRAINT release_values_period_measure_dims_fkey;
ALTER TABLE release_queries
	ALTER COLUMN measure TYPE text COLLATE "C",
	ALTER COLUMN dims TYPE text COLLATE "C";
ALTER TABLE release_values
	ALTER COLUMN measure TYPE text COLLATE "C",
	ALTER COLUMN dims TYPE text COLLATE "C",
	ALTER COLUMN key1 TYPE text COLLATE "C",
	ALTER COLUMN key2 TYPE text COLLATE "C";
CREATE TRIGGER release_values_inserted AFTER INSERT ON release_values
	REFERENCING NEW TABLE AS written_new
	FOR EACH STATEMENT EXECUTE FUNCTION ibx_release_values_queried();
-- An update checks only the rows whose key it changed (the yearly
-- adjustment rewrites values only), as the foreign key did.
CREATE TRIGGER release_values_updated AFTER UPDATE OF period, measure, dims ON release_values
	FOR EACH ROW WHEN (OLD.period IS DISTINCT FROM NEW.period OR OLD.measure IS DISTINCT FROM NEW.measure
		OR OLD.dims IS DISTINCT FROM NEW.dims)
	EXECUTE FUNCTION ibx_release_values_queried();
CREATE TRIGGER release_queries_deleted AFTER DELETE ON release_queries
	REFERENCING OLD TABLE AS queries_old
	FOR EACH STATEMENT EXECUTE FUNCTION ibx_release_queries_kept();
CREATE TRIGGER release_queries_updated AFTER UPDATE OF period, measure, dims ON release_queries
	FOR EACH ROW WHEN (OLD.period IS DISTINCT FROM NEW.period OR OLD.measure IS DISTINCT FROM NEW.measure
		OR OLD.dims IS DISTINCT FROM NEW.dims)
	EXECUTE FUNCTION ibx_release_queries_kept();
