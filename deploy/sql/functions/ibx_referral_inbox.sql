-- ibx_referral_inbox (first defined by migration 090).
--
-- The answer to an InboxQuery from p_code: after cursor p_after, oldest
-- first, at most p_limit items (the caller asks for one more to know
-- whether more follow): every referral whose chunks are all stored and
-- every status, on referrals p_code sent or received, each the envelope
-- exactly as its sender signed it, with the referral's state now.
CREATE OR REPLACE FUNCTION ibx_referral_inbox(p_code text, p_after bigint,
	p_limit integer)
RETURNS TABLE (cursor bigint, envelope bytea, state text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
	SELECT e.id, e.envelope, r.state
	FROM referral_events e JOIN referrals r USING (referral_id)
	WHERE e.id > p_after AND (r.referrer = p_code OR r.receiver = p_code)
	ORDER BY e.id
	LIMIT least(greatest(p_limit, 1), 101)
$$;

REVOKE ALL ON FUNCTION ibx_referral_inbox(text, bigint, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ibx_referral_inbox(text, bigint, integer) TO inbound_intake;
