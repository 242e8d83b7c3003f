-- ibx_store_listing_version (first defined by migration 006).

-- Accept the message (role and sequence), log it, and make p_doc the
-- current version unless it equals the current one.  Returns the version
-- now current and whether it is new.
CREATE OR REPLACE FUNCTION ibx_store_listing_version(p_code text, p_role text,
	p_doc jsonb, p_sequence bigint, p_payload_type integer,
	p_envelope bytea, OUT version integer, OUT changed boolean)
LANGUAGE plpgsql AS $$
DECLARE
	v_current integer;
	v_msg bigint;
BEGIN
	PERFORM ibx_accept_message(p_code, p_role, p_sequence);
	INSERT INTO message_log (sender_id, sequence, payload_type, digest,
	                         status, outcome, envelope)
	VALUES (p_code, p_sequence, p_payload_type, sha256(p_envelope), 1,
	        'accepted', p_envelope)
	RETURNING id INTO v_msg;
	-- Close the current version unless p_doc equals it (one statement on
	-- the usual path, a new version; issue 18).
	UPDATE listing_versions AS v SET valid_to = now()
	WHERE v.org_code = p_code AND v.valid_to IS NULL AND v.doc <> p_doc
	RETURNING v.version INTO v_current;
	IF NOT FOUND THEN
		SELECT v.version INTO v_current
		FROM listing_versions v WHERE v.org_code = p_code AND v.valid_to IS NULL;
		IF v_current IS NOT NULL THEN
			UPDATE message_log SET reason = 'unchanged: version ' || v_current
			WHERE id = v_msg;
			version := v_current;
			changed := false;
			RETURN;
		END IF;
	END IF;
	version := coalesce(v_current, 0) + 1;
	changed := true;
	INSERT INTO listing_versions (org_code, version, doc, message_id)
	VALUES (p_code, version, p_doc, v_msg);
END
$$;
