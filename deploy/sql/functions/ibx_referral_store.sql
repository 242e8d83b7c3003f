-- ibx_referral_store (first defined by migration 090).
--
-- Store a referral's metadata and its signed envelope (which carries the
-- sealed content key: ciphertext only) and accept its sequence, in one
-- transaction.  Its chunks follow (ibx_referral_chunk_store); the
-- referral reaches the receiver's inbox once every one is stored.
--
-- Who may refer whom (docs/referrals.md):
--   - a coordinator or a partner refers to an enrolled hospital;
--   - a hospital sends only a report back (p_answers set): to the
--     referrer of a referral it received.
-- The key must be one the receiver announced and still in use.
-- Returns 'accepted', or 'duplicate' when this referral (same referrer,
-- receiver, key and sizes) is stored already: a resent envelope, nothing
-- stored again.  Refusals: IBX10 (final, the field and the reason), IBX11
-- (not the sender's to send), IBX01/IBX02 (sequence, enrolment).
CREATE OR REPLACE FUNCTION ibx_referral_store(p_sender text, p_role text,
	p_sequence bigint, p_referral_id text, p_receiver text, p_key_id text,
	p_purpose text, p_department text, p_treatment text,
	p_nationality text, p_age_band text, p_languages text[],
	p_urgency text, p_package_bytes bigint, p_chunk_count integer,
	p_answers text, p_envelope bytea)
RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
	v_old referrals%ROWTYPE;
	v_answered referrals%ROWTYPE;
	v_role text;
	v_until bigint;
BEGIN
	SELECT * INTO v_old FROM referrals WHERE referral_id = p_referral_id;
	IF FOUND THEN
		IF v_old.referrer = p_sender AND v_old.receiver = p_receiver
		   AND v_old.key_id = p_key_id
		   AND v_old.chunk_count = p_chunk_count
		   AND v_old.package_bytes = p_package_bytes THEN
			RETURN 'duplicate';
		END IF;
		RAISE EXCEPTION 'referral refused: field "referral_id": % is already used',
			p_referral_id USING ERRCODE = 'IBX10';
	END IF;
	SELECT role INTO v_role FROM organisations WHERE code = p_receiver;
	IF p_answers IS NULL OR p_answers = '' THEN
		IF p_role NOT IN ('coordinator', 'partner') THEN
			RAISE EXCEPTION 'referral refused: a % may only send a report back (field "answers_referral_id" is empty)',
				p_role USING ERRCODE = 'IBX11';
		END IF;
		IF v_role IS DISTINCT FROM 'hospital' THEN
			RAISE EXCEPTION 'referral refused: field "receiver": % is not an enrolled hospital',
				p_receiver USING ERRCODE = 'IBX10';
		END IF;
		p_answers := NULL;
	ELSE
		SELECT * INTO v_answered FROM referrals
		WHERE referral_id = p_answers;
		IF NOT FOUND OR v_answered.receiver <> p_sender THEN
			RAISE EXCEPTION 'referral refused: field "answers_referral_id": % is not a referral % received',
				p_answers, p_sender USING ERRCODE = 'IBX11';
		END IF;
		IF v_answered.referrer <> p_receiver THEN
			RAISE EXCEPTION 'referral refused: field "receiver": a report goes back to the referrer %, not %',
				v_answered.referrer, p_receiver USING ERRCODE = 'IBX10';
		END IF;
	END IF;
	SELECT use_until_ms INTO v_until FROM referral_keys
	WHERE org_code = p_receiver AND key_id = p_key_id;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'referral refused: field "key_id": % is not a key % announced',
			p_key_id, p_receiver USING ERRCODE = 'IBX10';
	END IF;
	IF v_until <> 0 AND v_until < (extract(epoch FROM now()) * 1000)::bigint THEN
		RAISE EXCEPTION 'referral refused: field "key_id": key % of % is no longer in use',
			p_key_id, p_receiver USING ERRCODE = 'IBX10';
	END IF;
	PERFORM ibx_accept_message(p_sender, p_role, p_sequence);
	INSERT INTO message_log (sender_id, sequence, payload_type, digest,
		status, outcome, reason)
	VALUES (p_sender, p_sequence, 7, sha256(p_envelope), 1, 'accepted',
		'referral ' || p_referral_id);
	INSERT INTO referrals (referral_id, referrer, receiver, key_id, purpose,
		department, treatment, nationality, age_band, languages, urgency,
		package_bytes, chunk_count, answers_referral_id, envelope, digest)
	VALUES (p_referral_id, p_sender, p_receiver, p_key_id, p_purpose,
		nullif(p_department, ''), nullif(p_treatment, ''),
		nullif(p_nationality, ''), nullif(p_age_band, ''),
		coalesce(p_languages, '{}'), nullif(p_urgency, ''),
		p_package_bytes, p_chunk_count, p_answers, p_envelope,
		sha256(p_envelope));
	RETURN 'accepted';
END
$$;

REVOKE ALL ON FUNCTION ibx_referral_store(text, text, bigint, text, text, text, text, text, text, text, text, text[], text, bigint, integer, text, bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ibx_referral_store(text, text, bigint, text, text, text, text, text, text, text, text, text[], text, bigint, integer, text, bytea) TO inbound_intake;
