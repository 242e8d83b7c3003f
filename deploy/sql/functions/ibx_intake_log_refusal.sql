-- ibx_intake_log_refusal (first defined by migration 027).

CREATE OR REPLACE FUNCTION ibx_intake_log_refusal(p_sender text, p_sequence bigint,
	p_payload_type integer, p_envelope bytea, p_status integer,
	p_outcome text, p_reason text)
RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = public AS $$
	INSERT INTO message_log (sender_id, sequence, payload_type, digest,
		status, outcome, reason)
	VALUES (p_sender, p_sequence, p_payload_type, sha256(p_envelope),
		p_status, p_outcome, p_reason)
$$;

-- The intake role only (027): SECURITY DEFINER, search_path pinned.
REVOKE ALL ON FUNCTION ibx_intake_log_refusal(text, bigint, integer, bytea, integer, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ibx_intake_log_refusal(text, bigint, integer, bytea, integer, text, text) TO inbound_intake;
