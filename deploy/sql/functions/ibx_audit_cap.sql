-- ibx_audit_cap (first defined by migration 026).

-- At most p_cap characters of p, and how long it was when cut.
CREATE OR REPLACE FUNCTION ibx_audit_cap(p text, p_cap integer) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE WHEN p IS NULL OR length(p) <= p_cap THEN p
		ELSE left(p, p_cap) || '...[' || octet_length(p) || ' bytes]' END
$$;
