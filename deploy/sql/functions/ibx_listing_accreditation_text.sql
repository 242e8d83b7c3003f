-- ibx_listing_accreditation_text (first defined by migration 101).

-- A listing's accreditations as search's ranking reads them
-- (hub/api/rank.c): "scheme:expires" for each, in the listing's order,
-- joined by commas ("scheme:" without an expiry; '' without any).
-- IMMUTABLE: a generated column of hospital_listings depends on it.
CREATE OR REPLACE FUNCTION ibx_listing_accreditation_text(doc jsonb) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT coalesce(string_agg((a->>'scheme') || ':' || coalesce(a->>'expires', ''), ','), '')
	FROM jsonb_array_elements(CASE WHEN jsonb_typeof(doc->'accreditations') = 'array'
		THEN doc->'accreditations' ELSE '[]'::jsonb END) a
$$;

GRANT EXECUTE ON FUNCTION ibx_listing_accreditation_text(jsonb) TO inbound_api;
