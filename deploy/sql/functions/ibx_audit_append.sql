-- ibx_audit_append (first defined by migration 004).

-- Append one entry (serialised by a lock so the chain has one order).
CREATE OR REPLACE FUNCTION ibx_audit_append(p_token bigint, p_role text, p_org text,
	p_method text, p_path text, p_params text, p_status integer,
	p_cells integer)
RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
	v_prev bytea;
	v_id bigint;
	v_at timestamptz := clock_timestamp();
	v_hash bytea;
BEGIN
	PERFORM pg_advisory_xact_lock(1229084750);
	SELECT hash INTO v_prev FROM audit_head;
	v_prev := coalesce(v_prev, '\x'::bytea);
	v_id := nextval('audit_log_id_seq');
	v_hash := sha256(v_prev || convert_to(ibx_audit_text(v_id, v_at, p_token,
		p_role, p_org, p_method, p_path, p_params, p_status, p_cells), 'UTF8'));
	INSERT INTO audit_log (id, at, token_id, role, org_code, method, path,
		params, status, cells, prev_hash, hash)
	VALUES (v_id, v_at, p_token, p_role, p_org, p_method, p_path, p_params,
		p_status, p_cells, v_prev, v_hash);
	INSERT INTO audit_head (one, last_id, hash) VALUES (true, v_id, v_hash)
	ON CONFLICT (one) DO UPDATE SET last_id = EXCLUDED.last_id, hash = EXCLUDED.hash;
END
$$;

-- Format 1 is written no more (026): only its verification stays.
REVOKE ALL ON FUNCTION ibx_audit_append(bigint, text, text, text, text, text, integer, integer) FROM PUBLIC, inbound_api;
