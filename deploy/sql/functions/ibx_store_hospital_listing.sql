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
	-- The search row is updated in place when there is one, inserted
	-- otherwise: INSERT ... ON CONFLICT DO UPDATE computed the generated
	-- columns (migration 101) and ran the BEFORE INSERT trigger (102) for
	-- the row it then did not insert, twice the work per version (issue
	-- 18).  No race: ibx_accept_message holds the organisation's row, so
	-- one organisation's listings are stored one at a time.
	UPDATE hospital_listings SET
		version = v.version, name_ja = p_doc->'name'->>'ja',
		name_en = p_doc->'name'->>'en', prefecture = p_doc->>'prefecture',
		departments = ARRAY(SELECT x FROM jsonb_array_elements_text(
			coalesce(p_doc->'departments', '[]')) x ORDER BY x),
		treatments = ARRAY(SELECT x FROM jsonb_array_elements_text(
			coalesce(p_doc->'treatments', '[]')) x ORDER BY x),
		languages = ARRAY(SELECT x FROM jsonb_array_elements_text(
			coalesce(p_doc->'languages', '[]')) x ORDER BY x),
		accreditations = ARRAY(SELECT DISTINCT a->>'scheme'
			FROM jsonb_array_elements(coalesce(p_doc->'accreditations', '[]')) a
			ORDER BY 1),
		accepts_countries = ARRAY(SELECT x FROM jsonb_array_elements_text(
			coalesce(p_doc->'accepts_countries', '[]')) x ORDER BY x),
		remote_second_opinion =
			coalesce((p_doc->>'remote_second_opinion')::boolean, false),
		beds = (p_doc->>'beds')::integer,
		lat = (p_doc->'location'->>'lat')::double precision,
		lon = (p_doc->'location'->>'lon')::double precision,
		doc = p_doc, updated_at = now(),
		-- ibx_listing_search_text(p_doc), written out (see above)
		search_text = lower(concat_ws(' ',
			p_doc->'name'->>'ja', p_doc->'name'->>'en',
			p_doc->'name'->>'zh-Hans', p_doc->'name'->>'zh-Hant',
			p_doc->'name'->>'ko', p_doc->'name'->>'vi', p_doc->'name'->>'ru',
			p_doc->'name'->>'ja-Latn', p_doc->>'address',
			p_doc->>'address_latn'))
	WHERE org_code = p_code;
	IF FOUND THEN
		RETURN v.version;
	END IF;
	INSERT INTO hospital_listings (org_code, version, name_ja, name_en,
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
		lower(concat_ws(' ',
			p_doc->'name'->>'ja', p_doc->'name'->>'en',
			p_doc->'name'->>'zh-Hans', p_doc->'name'->>'zh-Hant',
			p_doc->'name'->>'ko', p_doc->'name'->>'vi', p_doc->'name'->>'ru',
			p_doc->'name'->>'ja-Latn', p_doc->>'address',
			p_doc->>'address_latn')));
	RETURN v.version;
END
$$;

-- The intake role only (027): SECURITY DEFINER, search_path pinned.
REVOKE ALL ON FUNCTION ibx_store_hospital_listing(text, jsonb, bigint, integer, bytea, integer, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ibx_store_hospital_listing(text, jsonb, bigint, integer, bytea, integer, text) TO inbound_intake;
