-- ibx_store_hospital_listing (first defined by migration 001).

-- Store a checked hospital listing in one transaction with its message-log
-- row, on the shared versioning of ibx_store_listing_version (006).
-- Returns the listing version: a new one when the listing changed, the
-- current one when it is identical (republishing is idempotent).
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
		updated_at)
	VALUES (p_code, v.version, p_doc->'name'->>'ja', p_doc->'name'->>'en',
		p_doc->>'prefecture', ibx_text_array(p_doc->'departments'),
		ibx_text_array(p_doc->'treatments'),
		ibx_text_array(p_doc->'languages'),
		ARRAY(SELECT DISTINCT a->>'scheme'
		      FROM jsonb_array_elements(coalesce(p_doc->'accreditations', '[]')) a
		      ORDER BY 1),
		ibx_text_array(p_doc->'accepts_countries'),
		coalesce((p_doc->>'remote_second_opinion')::boolean, false),
		(p_doc->>'beds')::integer,
		(p_doc->'location'->>'lat')::double precision,
		(p_doc->'location'->>'lon')::double precision,
		p_doc, now())
	ON CONFLICT (org_code) DO UPDATE SET
		version = EXCLUDED.version, name_ja = EXCLUDED.name_ja,
		name_en = EXCLUDED.name_en, prefecture = EXCLUDED.prefecture,
		departments = EXCLUDED.departments,
		treatments = EXCLUDED.treatments, languages = EXCLUDED.languages,
		accreditations = EXCLUDED.accreditations,
		accepts_countries = EXCLUDED.accepts_countries,
		remote_second_opinion = EXCLUDED.remote_second_opinion,
		beds = EXCLUDED.beds, lat = EXCLUDED.lat, lon = EXCLUDED.lon,
		doc = EXCLUDED.doc, updated_at = EXCLUDED.updated_at;
	RETURN v.version;
END
$$;

-- The intake role only (027): SECURITY DEFINER, search_path pinned.
REVOKE ALL ON FUNCTION ibx_store_hospital_listing(text, jsonb, bigint, integer, bytea, integer, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ibx_store_hospital_listing(text, jsonb, bigint, integer, bytea, integer, text) TO inbound_intake;
