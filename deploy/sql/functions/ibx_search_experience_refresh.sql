-- ibx_search_experience_refresh (first defined by migration 100).

-- Rebuild search_experience from the protected release: for each hospital
-- in it, the released patients ('hospital' marginal) and the released
-- patients by purpose ('hospital,purpose' marginal) summed over the twelve
-- months ending with the newest measured month (release_months).  Released
-- values only (post-processed, non-negative), so it reveals nothing the
-- release does not.  The same figures are then copied into each
-- hospital's search row (hospital_listings.experience_patients and
-- experience_by_purpose, migration 106), which the search reads; rows
-- whose figures did not change are left alone.  Returns the rows written
-- to search_experience (0 when nothing is released).  Called by hub/stats/release.c at the end of a release run,
-- and once by migration 100.
CREATE OR REPLACE FUNCTION ibx_search_experience_refresh() RETURNS bigint
LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
	v_last date;
	v_rows bigint;
BEGIN
	SELECT max(period) INTO v_last FROM release_months;
	DELETE FROM search_experience;
	IF v_last IS NULL THEN
		PERFORM ibx_search_experience_copy();
		RETURN 0;
	END IF;
	INSERT INTO search_experience (org_code, through, patients, by_purpose)
	SELECT s.key1, v_last,
		coalesce(sum(s.n) FILTER (WHERE s.dims = 'hospital'), 0),
		coalesce(jsonb_object_agg(s.key2, s.n)
			FILTER (WHERE s.dims = 'hospital,purpose'), '{}')
	FROM (SELECT v.dims, v.key1, v.key2, sum(v.value) AS n
		FROM release_values v
		WHERE v.measure = 'patients'
		AND v.dims IN ('hospital', 'hospital,purpose')
		AND v.period > v_last - interval '12 months'
		AND v.period <= v_last
		GROUP BY 1, 2, 3) s
	GROUP BY s.key1;
	GET DIAGNOSTICS v_rows = ROW_COUNT;
	PERFORM ibx_search_experience_copy();
	RETURN v_rows;
END
$$;

-- The release's writer (the migration owner) only.
REVOKE ALL ON FUNCTION ibx_search_experience_refresh() FROM PUBLIC;
