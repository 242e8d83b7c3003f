-- ibx_referral_chunk_store (first defined by migration 090).
--
-- Store one ciphertext chunk (its envelope exactly as the referrer signed
-- it) in one transaction.  Idempotent by (referral_id, idx): the same
-- ciphertext again is 'duplicate' (nothing stored: a resent or resealed
-- envelope); other ciphertext at a stored index is refused for good
-- (IBX10).  When the last chunk is stored the referral becomes 'sent' and
-- enters the inbox feed: 'sent' is returned then, 'accepted' otherwise.
-- Only the referrer sends chunks (IBX11), only an enrolled one (IBX02),
-- only while the referral is 'receiving' (a withdrawn referral takes
-- none), and never once its ciphertext has left the hub (delivered,
-- withdrawn or purged): such a copy, a replay or a late resend, is
-- refused for good naming when and why (IBX10).
--
-- Chunks arrive in any order and side by side: a spoke keeps a window of
-- them in flight and the hub's workers store them at once
-- (docs/referrals.md).  So a chunk's sequence is kept in the message log
-- but neither checked against nor moved past the organisation's last
-- accepted one (which would lock its row to the commit and make every
-- chunk wait for the one before): a replayed chunk stores nothing new,
-- since (referral_id, idx) holds one ciphertext and only the referrer
-- signs one.  The megabyte is written before any lock is taken; the
-- referral's row is locked only by the counter, the last statement, so
-- exactly one transaction sees the last chunk stored, and a status that
-- changed the referral meanwhile (withdrawn) undoes the chunk.
CREATE OR REPLACE FUNCTION ibx_referral_chunk_store(p_sender text,
	p_role text, p_sequence bigint, p_referral_id text, p_index integer,
	p_digest bytea, p_envelope bytea)
RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
	v referrals%ROWTYPE;
	v_digest bytea;
BEGIN
	SELECT * INTO v FROM referrals WHERE referral_id = p_referral_id;
	IF NOT FOUND OR v.referrer <> p_sender THEN
		RAISE EXCEPTION 'chunk refused: field "referral_id": % is not a referral % sent',
			p_referral_id, p_sender USING ERRCODE = 'IBX11';
	END IF;
	IF p_index < 0 OR p_index >= v.chunk_count THEN
		RAISE EXCEPTION 'chunk refused: field "index": % is outside 0 .. % (chunk_count %)',
			p_index, v.chunk_count - 1, v.chunk_count USING ERRCODE = 'IBX10';
	END IF;
	SELECT digest INTO v_digest FROM referral_chunks
	WHERE referral_id = p_referral_id AND idx = p_index;
	IF v_digest IS NOT NULL THEN
		IF v_digest = p_digest THEN
			RETURN 'duplicate';
		END IF;
		RAISE EXCEPTION 'chunk refused: field "index": chunk % of % is stored already with other ciphertext',
			p_index, p_referral_id USING ERRCODE = 'IBX10';
	END IF;
	IF v.chunks_deleted_at IS NOT NULL THEN
		-- The ciphertext left the hub (delivered, withdrawn, or the
		-- retention purge of a referral whose chunks never all came):
		-- a copy now, replayed or resent late, is refused for good and
		-- stores nothing, so no chunk of it is ever kept again
		-- (security_referral_replay, it_referral_partial).
		RAISE EXCEPTION 'chunk refused: referral %: its ciphertext left the hub at % (%), so no chunk of it is stored again',
			p_referral_id,
			to_char(v.chunks_deleted_at AT TIME ZONE 'UTC',
				'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
			CASE v.chunks_deleted_reason
			WHEN 'delivered' THEN 'delivered: the receiver has every chunk'
			WHEN 'withdrawn' THEN 'withdrawn by the referrer'
			ELSE 'retention: deleted by the purge'
				|| CASE WHEN v.sent_at IS NULL
				THEN ', incomplete, ' || v.chunks_stored || ' of '
					|| v.chunk_count || ' chunks had come'
				ELSE '' END
			END USING ERRCODE = 'IBX10';
	END IF;
	IF v.state <> 'receiving' THEN
		RAISE EXCEPTION 'chunk refused: referral % is %', p_referral_id,
			v.state USING ERRCODE = 'IBX10';
	END IF;
	PERFORM 1 FROM organisations WHERE code = p_sender AND role = p_role;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'sender % is not enrolled as a %', p_sender, p_role
			USING ERRCODE = 'IBX02';
	END IF;
	INSERT INTO referral_chunks (referral_id, idx, digest, envelope)
	VALUES (p_referral_id, p_index, p_digest, p_envelope)
	ON CONFLICT (referral_id, idx) DO NOTHING;
	IF NOT FOUND THEN
		-- Another worker stored this index meanwhile (a copy resent
		-- while the first was in flight); it has committed now.
		SELECT digest INTO v_digest FROM referral_chunks
		WHERE referral_id = p_referral_id AND idx = p_index;
		IF v_digest = p_digest THEN
			RETURN 'duplicate';
		END IF;
		RAISE EXCEPTION 'chunk refused: field "index": chunk % of % is stored already with other ciphertext',
			p_index, p_referral_id USING ERRCODE = 'IBX10';
	END IF;
	-- The message log keeps the digest, never the ciphertext: chunks
	-- leave the hub when delivered.
	INSERT INTO message_log (sender_id, sequence, payload_type, digest,
		status, outcome, reason)
	VALUES (p_sender, p_sequence, 8, sha256(p_envelope), 1, 'accepted',
		'chunk ' || p_index || ' of ' || p_referral_id);
	UPDATE referrals SET chunks_stored = chunks_stored + 1, updated_at = now()
	WHERE referral_id = p_referral_id AND state = 'receiving'
		AND chunks_deleted_at IS NULL
	RETURNING * INTO v;
	IF NOT FOUND THEN
		SELECT state INTO v.state FROM referrals
		WHERE referral_id = p_referral_id;
		RAISE EXCEPTION 'chunk refused: referral % is %', p_referral_id,
			v.state USING ERRCODE = 'IBX10';
	END IF;
	IF v.chunks_stored < v.chunk_count THEN
		RETURN 'accepted';
	END IF;
	UPDATE referrals SET state = 'sent', sent_at = now()
	WHERE referral_id = p_referral_id;
	INSERT INTO referral_events (referral_id, kind, state, sender, envelope,
		digest)
	VALUES (p_referral_id, 'referral', 'sent', v.referrer, v.envelope,
		v.digest);
	RETURN 'sent';
END
$$;

REVOKE ALL ON FUNCTION ibx_referral_chunk_store(text, text, bigint, text, integer, bytea, bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ibx_referral_chunk_store(text, text, bigint, text, integer, bytea, bytea) TO inbound_intake;
