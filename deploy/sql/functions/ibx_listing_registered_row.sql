-- ibx_listing_registered_row (first defined by migration 102).

-- Trigger (BEFORE INSERT OR UPDATE OF org_code ON hospital_listings): the
-- row's registered flag from the institution-code register.  SECURITY
-- DEFINER: the intake writes search rows but does not read the register.
CREATE OR REPLACE FUNCTION ibx_listing_registered_row() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
	NEW.registered := EXISTS (SELECT 1 FROM institution_register r
		WHERE r.org_code = NEW.org_code);
	RETURN NEW;
END
$$;

REVOKE ALL ON FUNCTION ibx_listing_registered_row() FROM PUBLIC;
