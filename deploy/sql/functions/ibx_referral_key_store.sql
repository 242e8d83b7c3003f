-- ibx_referral_key_store (first defined by migration 090).
--
-- Store an organisation's key announcement (the EncryptionKey envelope
-- exactly as signed) and accept its sequence, in one transaction.  The
-- intake has checked the signature, that the announcement names the
-- sender, and that key_id is derived from the public key.  Returns
-- 'accepted', or 'duplicate' when this key was announced before with the
-- same public key (nothing stored again, the sequence not checked: a
-- resent envelope).  The same key_id with another public key is refused
-- for good (IBX10).
CREATE OR REPLACE FUNCTION ibx_referral_key_store(p_code text, p_role text,
	p_sequence bigint, p_key_id text, p_public_key bytea,
	p_created_at_ms bigint, p_use_until_ms bigint, p_envelope bytea)
RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
	v_pub bytea;
BEGIN
	SELECT public_key INTO v_pub FROM referral_keys
	WHERE org_code = p_code AND key_id = p_key_id;
	IF v_pub IS NOT NULL THEN
		IF v_pub = p_public_key THEN
			RETURN 'duplicate';
		END IF;
		RAISE EXCEPTION 'key refused: field "key_id": % is already announced with another public key',
			p_key_id USING ERRCODE = 'IBX10';
	END IF;
	PERFORM ibx_accept_message(p_code, p_role, p_sequence);
	INSERT INTO message_log (sender_id, sequence, payload_type, digest,
		status, outcome, reason)
	VALUES (p_code, p_sequence, 5, sha256(p_envelope), 1, 'accepted',
		'key ' || p_key_id);
	INSERT INTO referral_keys (org_code, key_id, public_key, created_at_ms,
		use_until_ms, envelope)
	VALUES (p_code, p_key_id, p_public_key, p_created_at_ms, p_use_until_ms,
		p_envelope);
	RETURN 'accepted';
END
$$;

-- The intake role only (027): SECURITY DEFINER, search_path pinned.
REVOKE ALL ON FUNCTION ibx_referral_key_store(text, text, bigint, text, bytea, bigint, bigint, bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ibx_referral_key_store(text, text, bigint, text, bytea, bigint, bigint, bytea) TO inbound_intake;
