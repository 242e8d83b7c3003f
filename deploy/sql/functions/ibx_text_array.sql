-- ibx_text_array (first defined by migration 001).

-- The strings of a JSON array (NULL: none), sorted: the array columns of
-- the listing tables.  PL/pgSQL, so its query is planned once per session;
-- as a SQL-language function with an aggregate it could not be inlined and
-- was parsed and planned again on every call (issue 18: five calls per
-- listing update).  ibx_store_hospital_listing writes the same expression
-- inline.
CREATE OR REPLACE FUNCTION ibx_text_array(j jsonb) RETURNS text[]
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
	RETURN ARRAY(SELECT x FROM jsonb_array_elements_text(coalesce(j, '[]'::jsonb)) AS x
		ORDER BY x);
END
$$;
