-- ibx_referral_get (first defined by migration 090).
--
-- A referral's parties and state, for the intake to check a status
-- against proto/domain's transition table before storing it
-- (ibx_referral_status_store re-checks the state under a lock).  No row
-- when there is no such referral.
CREATE OR REPLACE FUNCTION ibx_referral_get(p_referral_id text)
RETURNS TABLE (referrer text, receiver text, state text,
	chunks_deleted boolean)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
	SELECT r.referrer, r.receiver, r.state, r.chunks_deleted_at IS NOT NULL
	FROM referrals r WHERE r.referral_id = p_referral_id
$$;

REVOKE ALL ON FUNCTION ibx_referral_get(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ibx_referral_get(text) TO inbound_intake;
