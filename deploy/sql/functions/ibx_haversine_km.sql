-- ibx_haversine_km (first defined by migration 030).

-- Great-circle distance in km between two WGS 84 points (haversine); NULL
-- when a point is NULL.  One expression, not STRICT, so that PostgreSQL
-- inlines it into the query (sqrt(h) / greatest(1, sqrt(h)) keeps asin's
-- argument within 1 against rounding and lets a NULL through).
CREATE OR REPLACE FUNCTION ibx_haversine_km(
	lat1 double precision, lon1 double precision,
	lat2 double precision, lon2 double precision)
RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT 2 * 6371.0088 * asin(sqrt(
		power(sin(radians(lat2 - lat1) / 2), 2) +
		cos(radians(lat1)) * cos(radians(lat2)) *
		power(sin(radians(lon2 - lon1) / 2), 2)) / greatest(1.0, sqrt(
		power(sin(radians(lat2 - lat1) / 2), 2) +
		cos(radians(lat1)) * cos(radians(lat2)) *
		power(sin(radians(lon2 - lon1) / 2), 2))))
$$;
