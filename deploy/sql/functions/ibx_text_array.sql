-- ibx_text_array (first defined by migration 001).

CREATE OR REPLACE FUNCTION ibx_text_array(j jsonb) RETURNS text[]
LANGUAGE sql IMMUTABLE AS $$
	SELECT coalesce(array_agg(x ORDER BY x), '{}')
	FROM jsonb_array_elements_text(coalesce(j, '[]'::jsonb)) AS x
$$;
