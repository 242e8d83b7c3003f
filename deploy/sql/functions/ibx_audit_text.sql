-- ibx_audit_text (first defined by migration 004).

-- The text an audit hash covers; inboundctl audit verify rebuilds it from
-- the same columns.
CREATE OR REPLACE FUNCTION ibx_audit_text(p_id bigint, p_at timestamptz, p_token bigint,
	p_role text, p_org text, p_method text, p_path text, p_params text,
	p_status integer, p_cells integer)
RETURNS text LANGUAGE sql IMMUTABLE AS $$
	SELECT concat_ws('|', p_id,
		(extract(epoch FROM p_at) * 1000000)::bigint,
		coalesce(p_token::text, '-'), coalesce(p_role, '-'),
		coalesce(p_org, '-'), p_method, p_path, p_params, p_status, p_cells)
$$;
