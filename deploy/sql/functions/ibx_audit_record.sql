-- ibx_audit_record (first defined by migration 026).

-- Append one format-2 entry (serialised by the same lock as 004's
-- ibx_audit_append, so the chain has one order).
CREATE OR REPLACE FUNCTION ibx_audit_record(p_token bigint, p_role text, p_org text,
	p_method text, p_path text, p_params text, p_status integer,
	p_cells integer, p_client text)
RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
	v_cap integer := CASE WHEN p_status >= 400 THEN 256 ELSE 4096 END;
	v_path text := ibx_audit_cap(p_path, v_cap);
	v_params text := ibx_audit_cap(p_params, v_cap);
	v_method text := ibx_audit_cap(p_method, 16);
	v_client text := ibx_audit_cap(p_client, 64);
	v_prev bytea;
	v_id bigint;
	v_at timestamptz := clock_timestamp();
	v_hash bytea;
BEGIN
	PERFORM pg_advisory_xact_lock(1229084750);
	SELECT hash INTO v_prev FROM audit_head;
	v_prev := coalesce(v_prev, '\x'::bytea);
	v_id := nextval('audit_log_id_seq');
	v_hash := sha256(v_prev || convert_to(ibx_audit_text2(v_id, v_at, p_token,
		p_role, p_org, v_method, v_path, v_params, p_status, p_cells,
		v_client), 'UTF8'));
	INSERT INTO audit_log (id, at, token_id, role, org_code, method, path,
		params, status, cells, prev_hash, hash, format, client)
	VALUES (v_id, v_at, p_token, p_role, p_org, v_method, v_path, v_params,
		p_status, p_cells, v_prev, v_hash, 2, v_client);
	INSERT INTO audit_head (one, last_id, hash) VALUES (true, v_id, v_hash)
	ON CONFLICT (one) DO UPDATE SET last_id = EXCLUDED.last_id, hash = EXCLUDED.hash;
END
$$;

-- The audit writer only (026, 027).
REVOKE ALL ON FUNCTION ibx_audit_record(bigint, text, text, text, text, text, integer, integer, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ibx_audit_record(bigint, text, text, text, text, text, integer, integer, text) TO inbound_audit;
