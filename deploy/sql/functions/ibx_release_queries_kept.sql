-- ibx_release_queries_kept (first defined by migration 115).

-- Trigger (AFTER DELETE ON release_queries for each statement, the rows
-- removed as the transition table queries_old; AFTER UPDATE for each row
-- whose key changed, OLD): no
-- value of release_values is left without its query, the other half of
-- the foreign key ibx_release_values_queried replaces (NO ACTION: the
-- statement that would orphan a value is refused; delete the values
-- first).  Refuses with foreign_key_violation naming the first orphaned
-- key.
CREATE OR REPLACE FUNCTION ibx_release_queries_kept() RETURNS trigger
LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	bad record;
BEGIN
	IF TG_LEVEL = 'ROW' THEN
		IF EXISTS (SELECT 1 FROM release_values v
			WHERE v.period = OLD.period AND v.measure = OLD.measure AND v.dims = OLD.dims) THEN
			RAISE EXCEPTION 'query %, %, "%" of release_queries still has values in release_values',
				OLD.period, OLD.measure, OLD.dims
				USING ERRCODE = 'foreign_key_violation';
		END IF;
		RETURN NULL;
	END IF;
	SELECT o.period, o.measure, o.dims INTO bad
	FROM queries_old o
	WHERE EXISTS (SELECT 1 FROM release_values v
		WHERE v.period = o.period AND v.measure = o.measure AND v.dims = o.dims)
	AND NOT EXISTS (SELECT 1 FROM release_queries q
		WHERE q.period = o.period AND q.measure = o.measure AND q.dims = o.dims)
	LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION 'query %, %, "%" of release_queries still has values in release_values',
			bad.period, bad.measure, bad.dims
			USING ERRCODE = 'foreign_key_violation';
	END IF;
	RETURN NULL;
END
$$;

REVOKE ALL ON FUNCTION ibx_release_queries_kept() FROM PUBLIC;
