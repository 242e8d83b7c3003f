-- ibx_listing_prices (first defined by migration 101).

-- A listing's price bands, each {"service", "min_jpy", "max_jpy"}, lowest
-- first (min_jpy, then max_jpy, then service; a band without one of them
-- after those with it): search shows the first band of the asked service,
-- else the first (hub/api/api_hospitals.c).  '[]' without bands.
-- IMMUTABLE: a generated column of hospital_listings depends on it.
CREATE OR REPLACE FUNCTION ibx_listing_prices(doc jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT coalesce(jsonb_agg(jsonb_build_object('service', b->'service',
		'min_jpy', b->'min_jpy', 'max_jpy', b->'max_jpy')
		ORDER BY b->'min_jpy', b->'max_jpy', b->>'service'), '[]'::jsonb)
	FROM jsonb_array_elements(CASE WHEN jsonb_typeof(doc->'price_bands') = 'array'
		THEN doc->'price_bands' ELSE '[]'::jsonb END) b
$$;

GRANT EXECUTE ON FUNCTION ibx_listing_prices(jsonb) TO inbound_api;
