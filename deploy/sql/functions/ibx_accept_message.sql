-- ibx_accept_message (first defined by migration 002).

-- Accept p_sequence from p_code in role p_role: raise IBX02 when the sender
-- is not enrolled in that role, IBX01 when the sequence is not greater than
-- the last accepted; otherwise record it (the organisation's row stays
-- locked to the end of the caller's transaction, so messages of one sender
-- are accepted one at a time).  One UPDATE on the accepted path; the
-- reason of a refusal is read only when there is one (issue 18: one
-- statement fewer per message).
CREATE OR REPLACE FUNCTION ibx_accept_message(p_code text, p_role text, p_sequence bigint)
RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	v_role text;
	v_last bigint;
BEGIN
	UPDATE organisations SET last_sequence = p_sequence
	WHERE code = p_code AND role = p_role AND last_sequence < p_sequence;
	IF FOUND THEN
		RETURN;
	END IF;
	SELECT role, last_sequence INTO v_role, v_last
	FROM organisations WHERE code = p_code;
	IF v_role IS NULL OR v_role <> p_role THEN
		RAISE EXCEPTION 'sender % is not enrolled as a %', p_code, p_role
			USING ERRCODE = 'IBX02';
	END IF;
	RAISE EXCEPTION 'sequence % is not greater than the last accepted %',
		p_sequence, v_last USING ERRCODE = 'IBX01';
END
$$;
