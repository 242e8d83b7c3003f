-- ibx_intake_certificate (first defined by migration 027).

-- The intake's reads and its refusal log, as functions.
CREATE OR REPLACE FUNCTION ibx_intake_certificate(p_fingerprint bytea)
RETURNS TABLE (der bytea)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
	SELECT der FROM certificates WHERE fingerprint = p_fingerprint
$$;

-- The intake role only (027): SECURITY DEFINER, search_path pinned.
REVOKE ALL ON FUNCTION ibx_intake_certificate(bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ibx_intake_certificate(bytea) TO inbound_intake;
