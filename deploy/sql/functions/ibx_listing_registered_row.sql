-- ibx_listing_registered_row (first defined by migration 102).

-- Trigger (BEFORE INSERT OR UPDATE OF org_code ON hospital_listings): the
-- row's registered flag from the institution-code register, and its
-- experience from search_experience (migration 106: 0 and '{}' when the
-- release has none for it; ibx_search_experience_copy keeps them after).
-- SECURITY DEFINER: the intake writes search rows but reads neither.
CREATE OR REPLACE FUNCTION ibx_listing_registered_row() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
	v_patients bigint;
	v_by_purpose jsonb;
BEGIN
	NEW.registered := EXISTS (SELECT 1 FROM institution_register r
		WHERE r.org_code = NEW.org_code);
	SELECT x.patients, x.by_purpose INTO v_patients, v_by_purpose
	FROM search_experience x WHERE x.org_code = NEW.org_code;
	NEW.experience_patients := coalesce(v_patients, 0);
	NEW.experience_by_purpose := coalesce(v_by_purpose, '{}');
	RETURN NEW;
END
$$;

REVOKE ALL ON FUNCTION ibx_listing_registered_row() FROM PUBLIC;
