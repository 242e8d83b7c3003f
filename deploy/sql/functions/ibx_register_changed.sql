-- ibx_register_changed (first defined by migration 102).

-- Trigger (AFTER INSERT, UPDATE, DELETE or TRUNCATE ON
-- institution_register, for each statement): the registered flag of the
-- search rows whose codes the statement touched (every row after a
-- TRUNCATE), from the register as it now is; a row whose flag is right
-- already is left alone.
CREATE OR REPLACE FUNCTION ibx_register_changed() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
	IF TG_OP = 'TRUNCATE' THEN
		UPDATE hospital_listings SET registered = false WHERE registered;
	ELSIF TG_OP = 'INSERT' THEN
		UPDATE hospital_listings h SET registered = true
		WHERE NOT h.registered AND h.org_code IN (SELECT org_code FROM changed_new);
	ELSIF TG_OP = 'DELETE' THEN
		UPDATE hospital_listings h SET registered = false
		WHERE h.registered AND h.org_code IN (SELECT org_code FROM changed_old)
		AND NOT EXISTS (SELECT 1 FROM institution_register r WHERE r.org_code = h.org_code);
	ELSE
		UPDATE hospital_listings h SET registered = EXISTS (SELECT 1
			FROM institution_register r WHERE r.org_code = h.org_code)
		WHERE h.org_code IN (SELECT org_code FROM changed_old
			UNION SELECT org_code FROM changed_new);
	END IF;
	RETURN NULL;
END
$$;

REVOKE ALL ON FUNCTION ibx_register_changed() FROM PUBLIC;
