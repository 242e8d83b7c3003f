-- ibx_search_experience_copy (first defined by migration 106).

-- Copy search_experience into the search rows (hospital_listings'
-- experience_patients and experience_by_purpose, migration 106): a
-- hospital without a row there gets 0 and '{}'.  Only rows whose figures
-- change are written.  Called by ibx_search_experience_refresh() in its
-- transaction, so a search sees the old figures or the new, never a mix.
CREATE OR REPLACE FUNCTION ibx_search_experience_copy() RETURNS void
LANGUAGE plpgsql SET search_path = public AS $$
BEGIN
	UPDATE hospital_listings h
	SET experience_patients = coalesce(x.patients, 0),
		experience_by_purpose = coalesce(x.by_purpose, '{}')
	FROM hospital_listings h2 LEFT JOIN search_experience x
		ON x.org_code = h2.org_code
	WHERE h2.org_code = h.org_code
	AND (h.experience_patients, h.experience_by_purpose)
		IS DISTINCT FROM (coalesce(x.patients, 0),
			coalesce(x.by_purpose, '{}'));
END
$$;

-- The release's writer (the migration owner) only.
REVOKE ALL ON FUNCTION ibx_search_experience_copy() FROM PUBLIC;
