-- ibx_store_hospital_listing (first defined by migration 001).

-- Store a checked hospital listing in one transaction with its message-log
-- row, on the shared versioning of ibx_store_listing_version (006).
-- Returns the listing version: a new one when the listing changed, the
-- current one when it is identical (republishing is idempotent).
--
-- Cost (issue 18): the arrays and the search text are written inline, so
-- this function's INSERT is planned once per session (ibx_text_array and
-- ibx_listing_search_text, SQL functions that cannot be inlined, were
-- parsed and planned again on every call).  search_text must stay equal to
-- ibx_listing_search_text(p_doc) (deploy/sql/functions; it_listing_versions
-- checks it).  A version that changes no searchable field changes no
-- indexed column, so PostgreSQL updates the row in place (HOT, migration
-- 105) without touching any index.
CREATE OR REPLACE FUNCTION ibx_store_hospital_listing(
	p_code text, p_doc jsonb, p_sequence bigint, p_payload_type integer,
	p_envelope bytea, p_status integer, p_outcome text)
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
	v record;
BEGIN
	SELECT * INTO v FROM ibx_store_listing_version(p_code, 'hospital',
		p_doc, p_sequence, p_payload_type, p_envelope);
	IF NOT v.changed THEN
		RETURN v.version;
	END IF;
	INSERT INTO hospital_listings AS h (org_code, version, name_ja, name_en,
		prefecture, departments, treatments, languages, accreditations,
		accepts_countries, remote_second_opinion, beds, lat, lon, doc,
		updated_at, search_text)
	VALUES (p_code, v.version, p_doc->'name'->>'ja', p_doc->'name'->>'en',
		p_doc->>'prefecture',
		ARRAY(SELECT x FROM jsonb_array_elements_text(
			coalesce(p_doc->'departments', '[]')) x ORDER BY x),
		ARRAY(SELECT x FROM jsonb_array_elements_text(
			coalesce(p_doc->'treatments', '[]')) x ORDER BY x),
		ARRAY(SELECT x FROM jsonb_array_elements_text(
			coalesce(p_doc->'languages', '[]')) x ORDER BY x),
		ARRAY(SELECT DISTINCT a->>'scheme'
		      FROM jsonb_array_elements(coalesce(p_doc->'accreditations', '[]')) a
		      ORDER BY 1),
		ARRAY(SELECT x FROM jsonb_array_elements_text(
			coalesce(p_doc->'accepts_countries', '[]')) x ORDER BY x),
		coalesce((p_doc->>'remote_second_opinion')::boolean, false),
		(p_doc->>'beds')::integer,
		(p_doc->'location'->>'lat')::double precision,
		(p_doc->'location'->>'lon')::double precision,
		p_doc, now(),
		-- ibx_listing_search_text(p_doc), written out (see above)
		lower(concat_ws(' ',
			p_doc->'name'->>'ja', p_doc->'name'->>'en',
			p_doc->'name'->>'zh-Hans', p_doc->'name'->>'zh-Hant',
			p_doc->'name'->>'ko', p_doc->'name'->>'vi', p_doc->'name'->>'ru',
			p_doc->'name'->>'ja-Latn', p_doc->>'address',
			p_doc->>'address_latn')))
	ON CONFLICT (org_code) DO UPDATE SET
		version = EXCLUDED.version, name_ja = EXCLUDED.name_ja,
		name_en = EXCLUDED.name_en, prefecture = EXCLUDED.prefecture,
		departments = EXCLUDED.departments,
		treatments = EXCLUDED.treatments, languages = EXCLUDED.languages,
		accreditations = EXCLUDED.accreditations,
		accepts_countries = EXCLUDED.accepts_countries,
		remote_second_opinion = EXCLUDED.remote_second_opinion,
		beds = EXCLUDED.beds, lat = EXCLUDED.lat, lon = EXCLUDED.lon,
		doc = EXCLUDED.doc, updated_at = EXCLUDED.updated_at,
		search_text = EXCLUDED.search_text;
	RETURN v.version;
END
$$;

-- The intake role only (027): SECURITY DEFINER, search_path pinned.
REVOKE ALL ON FUNCTION ibx_store_hospital_listing(text, jsonb, bigint, integer, bytea, integer, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ibx_store_hospital_listing(text, jsonb, bigint, integer, bytea, integer, text) TO inbound_intake;
