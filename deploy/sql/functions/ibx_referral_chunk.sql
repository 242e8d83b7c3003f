-- ibx_referral_chunk (first defined by migration 090).
--
-- The answer to a ChunkQuery from p_code: chunk p_index of referral
-- p_referral_id, the envelope exactly as the referrer signed it, only when
-- p_code is the referral's receiver and every chunk is stored.  Anyone
-- else gets no row, as for a referral that does not exist, so the answer
-- does not tell a third party that it does.  deleted is true (and no
-- envelope) when the receiver asks after the chunks left the hub.
CREATE OR REPLACE FUNCTION ibx_referral_chunk(p_code text,
	p_referral_id text, p_index integer)
RETURNS TABLE (envelope bytea, deleted text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
	SELECT c.envelope, r.chunks_deleted_reason
	FROM referrals r LEFT JOIN referral_chunks c
		ON c.referral_id = r.referral_id AND c.idx = p_index
	WHERE r.referral_id = p_referral_id AND r.receiver = p_code
		AND r.sent_at IS NOT NULL
		AND (c.envelope IS NOT NULL OR r.chunks_deleted_at IS NOT NULL)
$$;

REVOKE ALL ON FUNCTION ibx_referral_chunk(text, text, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ibx_referral_chunk(text, text, integer) TO inbound_intake;
