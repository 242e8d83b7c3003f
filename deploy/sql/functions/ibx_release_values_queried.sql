-- ibx_release_values_queried (first defined by migration 115).

-- Trigger (AFTER INSERT ON release_values for each statement, the rows
-- written as the transition table written_new; AFTER UPDATE for each row
-- whose period, measure or dims changed, NEW): every value
-- written belongs to a query of release_queries with its period, measure
-- and dims, as the foreign key it replaces required, checked once per
-- statement (one anti-join) instead of by one lookup per row (half of
-- PostgreSQL's CPU in a release of 5.6 million values; issue 18).  The
-- queries found are locked FOR KEY SHARE, as the foreign key's check locked
-- them, so that a concurrent delete of one waits for this transaction
-- (ibx_release_queries_kept refuses it then).  Refuses with
-- foreign_key_violation naming the first key without a query.
CREATE OR REPLACE FUNCTION ibx_release_values_queried() RETURNS trigger
LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	bad record;
BEGIN
	IF TG_LEVEL = 'ROW' THEN
		PERFORM 1 FROM release_queries q
		WHERE q.period = NEW.period AND q.measure = NEW.measure AND q.dims = NEW.dims
		FOR KEY SHARE OF q;
		IF NOT FOUND THEN
			RAISE EXCEPTION 'release value of %, %, "%" has no query in release_queries',
				NEW.period, NEW.measure, NEW.dims
				USING ERRCODE = 'foreign_key_violation';
		END IF;
		RETURN NULL;
	END IF;
	-- Lock first, then look: a query deleted before the lock is then
	-- seen missing, one deleted after waits for this transaction (as a
	-- foreign key does); checked first, a delete committed in between
	-- would leave values without their query.
	PERFORM 1 FROM release_queries q
	WHERE (q.period, q.measure, q.dims) IN (SELECT DISTINCT period, measure, dims FROM written_new)
	FOR KEY SHARE OF q;
	SELECT w.period, w.measure, w.dims INTO bad
	FROM (SELECT DISTINCT period, measure, dims FROM written_new) w
	WHERE NOT EXISTS (SELECT 1 FROM release_queries q
		WHERE q.period = w.period AND q.measure = w.measure AND q.dims = w.dims)
	LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION 'release value of %, %, "%" has no query in release_queries',
			bad.period, bad.measure, bad.dims
			USING ERRCODE = 'foreign_key_violation';
	END IF;
	RETURN NULL;
END
$$;

REVOKE ALL ON FUNCTION ibx_release_values_queried() FROM PUBLIC;
