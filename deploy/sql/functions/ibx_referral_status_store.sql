-- ibx_referral_status_store (first defined by migration 090).
--
-- Store a signed status and move the referral from p_from to p_to, in one
-- transaction.  The intake checked the move against proto/domain's
-- transition table with the state ibx_referral_get gave; here the state is
-- compared again under the row lock (compare and set), so two statuses
-- racing cannot both pass: the second is refused as out of order (IBX10).
-- The sender must be the referral's party the intake named (p_party:
-- 'referrer' or 'receiver'; IBX11).  On 'delivered' the ciphertext chunks
-- are deleted (the receiver has verified every one), and the referral
-- says so; on 'withdrawn' too (nobody will fetch them).  The receiver's
-- row of referral_response is recomputed (ibx_referral_response_refresh).
-- Returns 'accepted', or 'duplicate' when this very envelope was
-- stored before, or when the referral is already in p_to by a status of
-- the same sender (a resealed copy): nothing stored again.
CREATE OR REPLACE FUNCTION ibx_referral_status_store(p_sender text,
	p_role text, p_sequence bigint, p_referral_id text, p_party text,
	p_from text, p_to text, p_reason_code text, p_price_min bigint,
	p_price_max bigint, p_earliest date, p_report text, p_visit date,
	p_envelope bytea)
RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
	v referrals%ROWTYPE;
	v_digest bytea := sha256(p_envelope);
BEGIN
	IF EXISTS (SELECT 1 FROM referral_events WHERE digest = v_digest) THEN
		RETURN 'duplicate';
	END IF;
	SELECT * INTO v FROM referrals WHERE referral_id = p_referral_id
	FOR UPDATE;
	IF NOT FOUND OR (p_party = 'referrer' AND v.referrer <> p_sender)
	   OR (p_party = 'receiver' AND v.receiver <> p_sender)
	   OR p_party NOT IN ('referrer', 'receiver') THEN
		RAISE EXCEPTION 'status refused: field "referral_id": % is not a referral where % is the %',
			p_referral_id, p_sender, p_party USING ERRCODE = 'IBX11';
	END IF;
	IF v.state = p_to AND EXISTS (SELECT 1 FROM referral_events e
		WHERE e.referral_id = p_referral_id AND e.state = p_to
		AND e.sender = p_sender AND e.id = (SELECT max(id)
			FROM referral_events WHERE referral_id = p_referral_id)) THEN
		RETURN 'duplicate';
	END IF;
	IF v.state <> p_from THEN
		RAISE EXCEPTION 'status refused: field "state": % after % is out of order (the referral is % now)',
			p_to, p_from, v.state USING ERRCODE = 'IBX10';
	END IF;
	IF p_report IS NOT NULL AND p_report <> '' AND NOT EXISTS (
		SELECT 1 FROM referrals a WHERE a.referral_id = p_report
		AND a.answers_referral_id = p_referral_id
		AND a.referrer = p_sender) THEN
		RAISE EXCEPTION 'status refused: field "report_referral_id": % is not a report % sent back on %',
			p_report, p_sender, p_referral_id USING ERRCODE = 'IBX10';
	END IF;
	PERFORM ibx_accept_message(p_sender, p_role, p_sequence);
	INSERT INTO message_log (sender_id, sequence, payload_type, digest,
		status, outcome, reason)
	VALUES (p_sender, p_sequence, 9, v_digest, 1, 'accepted',
		'status ' || p_to || ' of ' || p_referral_id);
	INSERT INTO referral_events (referral_id, kind, state, sender,
		reason_code, price_min_jpy, price_max_jpy, earliest_date,
		report_referral_id, visit_date, envelope, digest)
	VALUES (p_referral_id, 'status', p_to, p_sender,
		nullif(p_reason_code, ''), p_price_min, p_price_max, p_earliest,
		nullif(p_report, ''), p_visit, p_envelope, v_digest);
	UPDATE referrals SET state = p_to, updated_at = now(),
		delivered_at = CASE WHEN p_to = 'delivered' THEN now()
			ELSE delivered_at END,
		first_answer_at = CASE WHEN first_answer_at IS NULL AND p_to IN
			('acknowledged', 'declined', 'quote', 'opinion_returned')
			THEN now() ELSE first_answer_at END,
		opinion_at = CASE WHEN p_to = 'opinion_returned' THEN now()
			ELSE opinion_at END
	WHERE referral_id = p_referral_id;
	IF p_to IN ('delivered', 'withdrawn') AND v.chunks_deleted_at IS NULL THEN
		DELETE FROM referral_chunks WHERE referral_id = p_referral_id;
		UPDATE referrals SET chunks_deleted_at = now(),
			chunks_deleted_reason = p_to
		WHERE referral_id = p_referral_id;
	END IF;
	-- The receiver's response times (migration 095), in the same
	-- transaction: search and the hospital's detail read them.
	PERFORM ibx_referral_response_refresh(v.receiver);
	RETURN 'accepted';
END
$$;

REVOKE ALL ON FUNCTION ibx_referral_status_store(text, text, bigint, text, text, text, text, text, bigint, bigint, date, text, date, bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ibx_referral_status_store(text, text, bigint, text, text, text, text, text, bigint, bigint, date, text, date, bytea) TO inbound_intake;
