-- ibx_accept_message (first defined by migration 002).

CREATE OR REPLACE FUNCTION ibx_accept_message(p_code text, p_role text, p_sequence bigint)
RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	v_role text;
	v_last bigint;
BEGIN
	SELECT role, last_sequence INTO v_role, v_last
	FROM organisations WHERE code = p_code FOR UPDATE;
	IF v_role IS NULL OR v_role <> p_role THEN
		RAISE EXCEPTION 'sender % is not enrolled as a %', p_code, p_role
			USING ERRCODE = 'IBX02';
	END IF;
	IF p_sequence <= v_last THEN
		RAISE EXCEPTION 'sequence % is not greater than the last accepted %',
			p_sequence, v_last USING ERRCODE = 'IBX01';
	END IF;
	UPDATE organisations SET last_sequence = p_sequence WHERE code = p_code;
END
$$;
