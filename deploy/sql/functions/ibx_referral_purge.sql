-- ibx_referral_purge (first defined by migration 090).
--
-- The retention period: delete the ciphertext chunks of every referral
-- whose chunks have been at the hub longer than p_days days (from its
-- creation) and are still there, and say so in the referral
-- (chunks_deleted_reason 'retention').  The metadata and statuses stay.
-- This includes a partial referral, whose chunks never all came (a
-- `refer` killed and never resumed): it stays 'receiving' with its
-- chunks deleted, which GET /api/v1/referrals shows as 'expired', and
-- any chunk of it that comes later is refused for good
-- (ibx_referral_chunk_store; it_referral_partial).
-- Every hospital's response times are recomputed (the window slides).
-- Returns the number of referrals and of chunks deleted.  Run by
-- inboundctl referrals purge (the owner's connection).
CREATE OR REPLACE FUNCTION ibx_referral_purge(p_days integer,
	OUT referrals_purged bigint, OUT chunks_deleted bigint)
LANGUAGE plpgsql AS $$
BEGIN
	IF p_days IS NULL OR p_days < 0 THEN
		RAISE EXCEPTION 'purge refused: days must be 0 or more'
			USING ERRCODE = 'IBX10';
	END IF;
	WITH old AS (
		UPDATE referrals SET chunks_deleted_at = now(),
			chunks_deleted_reason = 'retention', updated_at = now()
		WHERE chunks_deleted_at IS NULL
			AND created_at < now() - make_interval(days => p_days)
		RETURNING referral_id
	), gone AS (
		DELETE FROM referral_chunks c USING old
		WHERE c.referral_id = old.referral_id
		RETURNING 1
	)
	SELECT (SELECT count(*) FROM old), (SELECT count(*) FROM gone)
	INTO referrals_purged, chunks_deleted;
	-- The 90 days of referral_response slide on even where nothing was
	-- answered (migration 095).
	PERFORM ibx_referral_response_refresh(NULL);
END
$$;

REVOKE ALL ON FUNCTION ibx_referral_purge(integer) FROM PUBLIC;
