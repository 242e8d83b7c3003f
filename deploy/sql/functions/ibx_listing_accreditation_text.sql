-- ibx_listing_accreditation_text (first defined by migration 101).

-- A listing's accreditations as search's ranking reads them
-- (hub/api/rank.c): "scheme:expires" for each, in the listing's order,
-- joined by commas ("scheme:" without an expiry; '' without any).
-- IMMUTABLE: a generated column of hospital_listings depends on it.
-- PL/pgSQL, planned once per session, as ibx_listing_prices (issue 18).
CREATE OR REPLACE FUNCTION ibx_listing_accreditation_text(doc jsonb) RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
	IF jsonb_typeof(doc->'accreditations') IS DISTINCT FROM 'array' THEN
		RETURN '';
	END IF;
	RETURN (SELECT coalesce(string_agg((a->>'scheme') || ':' || coalesce(a->>'expires', ''), ','), '')
	FROM jsonb_array_elements(doc->'accreditations') a);
END
$$;

GRANT EXECUTE ON FUNCTION ibx_listing_accreditation_text(jsonb) TO inbound_api;
