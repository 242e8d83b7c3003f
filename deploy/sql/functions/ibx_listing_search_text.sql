-- ibx_listing_search_text (first defined by migration 040).

-- Every name a listing carries, its romaji reading, its address and the
-- address's reading, lower-cased: what q= matches (a trigram index,
-- migration 040).  IMMUTABLE: the index depends on it.  Since migration
-- 105 the index is on hospital_listings.search_text, which
-- ibx_store_hospital_listing fills with this same expression written out:
-- change both together.
CREATE OR REPLACE FUNCTION ibx_listing_search_text(doc jsonb) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT lower(concat_ws(' ',
		doc->'name'->>'ja', doc->'name'->>'en',
		doc->'name'->>'zh-Hans', doc->'name'->>'zh-Hant',
		doc->'name'->>'ko', doc->'name'->>'vi', doc->'name'->>'ru',
		doc->'name'->>'ja-Latn', doc->>'address', doc->>'address_latn'))
$$;

GRANT EXECUTE ON FUNCTION ibx_listing_search_text(jsonb) TO inbound_api;
