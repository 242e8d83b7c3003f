-- ibx_audit_text2 (first defined by migration 026).

CREATE OR REPLACE FUNCTION ibx_audit_text2(p_id bigint, p_at timestamptz, p_token bigint,
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
