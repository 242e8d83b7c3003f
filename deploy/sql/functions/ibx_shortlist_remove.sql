-- ibx_shortlist_remove (first defined by migration 060).

CREATE OR REPLACE FUNCTION ibx_shortlist_remove(p_account bigint, p_code text)
RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
	DELETE FROM shortlists WHERE account_id = p_account AND org_code = p_code;
	RETURN FOUND;
END
$$;

-- The API role only (060).
REVOKE ALL ON FUNCTION ibx_shortlist_remove(bigint, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ibx_shortlist_remove(bigint, text) TO inbound_api;
