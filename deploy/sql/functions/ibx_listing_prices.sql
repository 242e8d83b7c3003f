-- ibx_listing_prices (first defined by migration 101).

-- One field of a listing's price bands ('service', 'min_jpy' or
-- 'max_jpy'), band by band, lowest first (min_jpy, then max_jpy, then
-- service, as numbers and text; a band without one of them after those
-- with it): search shows the first band of the asked service, else the
-- first (hub/api/api_hospitals.c).  '{}' without bands; NULL where a band
-- lacks the field.  IMMUTABLE: generated columns of hospital_listings
-- depend on it.
CREATE OR REPLACE FUNCTION ibx_listing_prices(doc jsonb, field text) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT coalesce(array_agg(b->>field ORDER BY (b->>'min_jpy')::numeric,
		(b->>'max_jpy')::numeric, b->>'service'), '{}')
	FROM jsonb_array_elements(CASE WHEN jsonb_typeof(doc->'price_bands') = 'array'
		THEN doc->'price_bands' ELSE '[]'::jsonb END) b
$$;

GRANT EXECUTE ON FUNCTION ibx_listing_prices(jsonb, text) TO inbound_api;
