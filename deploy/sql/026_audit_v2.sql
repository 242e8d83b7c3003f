-- 026: the audit trail, second format (issue 14, finding 5).
--
-- Format 1 (004) hashed the fields joined with '|': two different entries
-- could hash alike (a '|' moved from one field to the next), and a refused
-- call stored its whole query string (64 KB each: 100 unauthenticated
-- requests made 6.7 MB).  Format 2:
--
--  * hashes every field length-prefixed (ibx_audit_text2): "N:<N bytes>;"
--    per field, "-;" for NULL, after the tag "ibx-audit-2;", so no two
--    different entries have the same text;
--  * records the client's address (client);
--  * caps what is stored: path and params at 256 characters for a refused
--    call (status 400 and above, unauthenticated ones included) and 4,096
--    otherwise, with the length that was cut ("...[N bytes]"); the hub
--    cuts and escapes them before (hub/api/audit.c), this is the
--    database's own bound for any other caller.
--
-- Old entries keep format 1 and verify by the old rule; the chain runs
-- through both (inboundctl audit verify picks the rule by the format
-- column).  Nothing is rewritten.

ALTER TABLE audit_log ADD COLUMN format smallint NOT NULL DEFAULT 1
	CHECK (format IN (1, 2));
ALTER TABLE audit_log ADD COLUMN client text;

-- The text a format-2 hash covers; inboundctl audit verify rebuilds it
-- from the same columns.
CREATE FUNCTION ibx_audit_field(p text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE WHEN p IS NULL THEN '-;'
		ELSE octet_length(p)::text || ':' || p || ';' END
$$;

CREATE FUNCTION ibx_audit_text2(p_id bigint, p_at timestamptz, p_token bigint,
	p_role text, p_org text, p_method text, p_path text, p_params text,
	p_status integer, p_cells integer, p_client text)
RETURNS text LANGUAGE sql IMMUTABLE AS $$
	SELECT 'ibx-audit-2;' || ibx_audit_field(p_id::text)
		|| ibx_audit_field(((extract(epoch FROM p_at) * 1000000)::bigint)::text)
		|| ibx_audit_field(p_token::text) || ibx_audit_field(p_role)
		|| ibx_audit_field(p_org) || ibx_audit_field(p_method)
		|| ibx_audit_field(p_path) || ibx_audit_field(p_params)
		|| ibx_audit_field(p_status::text) || ibx_audit_field(p_cells::text)
		|| ibx_audit_field(p_client)
$$;

-- At most p_cap characters of p, and how long it was when cut.
CREATE FUNCTION ibx_audit_cap(p text, p_cap integer) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE WHEN p IS NULL OR length(p) <= p_cap THEN p
		ELSE left(p, p_cap) || '...[' || octet_length(p) || ' bytes]' END
$$;

-- Append one format-2 entry (serialised by the same lock as 004's
-- ibx_audit_append, so the chain has one order).
CREATE FUNCTION ibx_audit_record(p_token bigint, p_role text, p_org text,
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
REVOKE ALL ON FUNCTION ibx_audit_record(bigint, text, text, text, text, text,
	integer, integer, text) FROM PUBLIC;
-- Format 1 is written no more: only its verification stays.
REVOKE ALL ON FUNCTION ibx_audit_append(bigint, text, text, text, text, text,
	integer, integer) FROM PUBLIC, inbound_api;
