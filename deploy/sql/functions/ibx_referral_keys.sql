-- ibx_referral_keys (first defined by migration 090).
--
-- An organisation's key announcements, newest first (by the time the
-- organisation put in them, then by arrival), at most 16: the answer to a
-- KeyQuery.  Each is the envelope exactly as its owner signed it; the
-- referrer checks the signature and the chain, not the hub's word.
CREATE OR REPLACE FUNCTION ibx_referral_keys(p_code text)
RETURNS TABLE (envelope bytea)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
	SELECT k.envelope FROM referral_keys k
	WHERE k.org_code = p_code
	ORDER BY k.created_at_ms DESC, k.received_at DESC
	LIMIT 16
$$;

REVOKE ALL ON FUNCTION ibx_referral_keys(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ibx_referral_keys(text) TO inbound_intake;
