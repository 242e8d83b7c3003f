-- ibx_listing_prices (first defined by migration 101).

-- One field of a listing's price bands ('service', 'min_jpy' or
-- 'max_jpy'), band by band, lowest first (min_jpy, then max_jpy, then
-- service, as numbers and text; a band without one of them after those
-- with it): search shows the first band of the asked service, else the
-- first (hub/api/api_hospitals.c).  '{}' without bands; NULL where a band
-- lacks the field.  IMMUTABLE: generated columns of hospital_listings
-- depend on it.
--
-- PL/pgSQL (issue 18, target 2): a SQL function with a FROM cannot be
-- inlined, and the generated columns called it three times per stored
-- version, each call parsing and planning its body again (base_yyparse
-- and pg_strtok in the intake's profile); PL/pgSQL plans it once per
-- session.  Same answers.
CREATE OR REPLACE FUNCTION ibx_listing_prices(doc jsonb, field text) RETURNS text[]
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
	IF jsonb_typeof(doc->'price_bands') IS DISTINCT FROM 'array' THEN
		RETURN '{}';
	END IF;
	RETURN (SELECT coalesce(array_agg(b->>field ORDER BY (b->>'min_jpy')::numeric,
		(b->>'max_jpy')::numeric, b->>'service'), '{}')
	FROM jsonb_array_elements(doc->'price_bands') b);
END
$$;

GRANT EXECUTE ON FUNCTION ibx_listing_prices(jsonb, text) TO inbound_api;
