-- ibx_audit_field (first defined by migration 026).

-- The text a format-2 hash covers; inboundctl audit verify rebuilds it
-- from the same columns.
CREATE OR REPLACE FUNCTION ibx_audit_field(p text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE WHEN p IS NULL THEN '-;'
		ELSE octet_length(p)::text || ':' || p || ';' END
$$;
