-- 006: coordinator listings, and one function that stores a new listing
-- version of either kind (the message log, replay check, history), so the
-- two kinds differ only in their search tables.

CREATE TABLE coordinator_listings (
	org_code text PRIMARY KEY REFERENCES organisations (code),
	version integer NOT NULL,
	name_ja text NOT NULL,
	name_en text,
	prefecture text,
	certification_expires date NOT NULL,
	languages text[] NOT NULL,
	countries_served text[] NOT NULL,
	services text[] NOT NULL,
	doc jsonb NOT NULL,
	updated_at timestamptz NOT NULL
);
CREATE INDEX coordinator_listings_languages ON coordinator_listings USING gin (languages);
CREATE INDEX coordinator_listings_countries ON coordinator_listings USING gin (countries_served);
CREATE INDEX coordinator_listings_services ON coordinator_listings USING gin (services);
GRANT SELECT ON coordinator_listings TO inbound_api;

-- Accept the message (role and sequence), log it, and make p_doc the
-- current version unless it equals the current one.  Returns the version
-- now current and whether it is new.
CREATE FUNCTION ibx_store_listing_version(p_code text, p_role text,
	p_doc jsonb, p_sequence bigint, p_payload_type integer,
	p_envelope bytea, OUT version integer, OUT changed boolean)
LANGUAGE plpgsql AS $$
DECLARE
	v_current integer;
	v_doc jsonb;
	v_msg bigint;
BEGIN
	PERFORM ibx_accept_message(p_code, p_role, p_sequence);
	INSERT INTO message_log (sender_id, sequence, payload_type, digest,
	                         status, outcome, envelope)
	VALUES (p_code, p_sequence, p_payload_type, sha256(p_envelope), 1,
	        'accepted', p_envelope)
	RETURNING id INTO v_msg;
	SELECT v.version, v.doc INTO v_current, v_doc
	FROM listing_versions v WHERE v.org_code = p_code AND v.valid_to IS NULL;
	IF v_doc IS NOT NULL AND v_doc = p_doc THEN
		UPDATE message_log SET reason = 'unchanged: version ' || v_current
		WHERE id = v_msg;
		version := v_current;
		changed := false;
		RETURN;
	END IF;
	version := coalesce(v_current, 0) + 1;
	changed := true;
	UPDATE listing_versions SET valid_to = now()
	WHERE org_code = p_code AND valid_to IS NULL;
	INSERT INTO listing_versions (org_code, version, doc, message_id)
	VALUES (p_code, version, p_doc, v_msg);
END
$$;

CREATE FUNCTION ibx_store_coordinator_listing(p_code text, p_doc jsonb,
	p_sequence bigint, p_envelope bytea)
RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
	v record;
BEGIN
	SELECT * INTO v FROM ibx_store_listing_version(p_code, 'coordinator',
		p_doc, p_sequence, 2, p_envelope);
	IF v.changed THEN
		INSERT INTO coordinator_listings (org_code, version, name_ja, name_en,
			prefecture, certification_expires, languages, countries_served,
			services, doc, updated_at)
		VALUES (p_code, v.version, p_doc->'name'->>'ja', p_doc->'name'->>'en',
			p_doc->>'prefecture', (p_doc->>'certification_expires')::date,
			ibx_text_array(p_doc->'languages'),
			ibx_text_array(p_doc->'countries_served'),
			ibx_text_array(p_doc->'services'), p_doc, now())
		ON CONFLICT (org_code) DO UPDATE SET
			version = EXCLUDED.version, name_ja = EXCLUDED.name_ja,
			name_en = EXCLUDED.name_en, prefecture = EXCLUDED.prefecture,
			certification_expires = EXCLUDED.certification_expires,
			languages = EXCLUDED.languages,
			countries_served = EXCLUDED.countries_served,
			services = EXCLUDED.services, doc = EXCLUDED.doc,
			updated_at = EXCLUDED.updated_at;
	END IF;
	RETURN v.version;
END
$$;

-- The hospital function of 002, now on the shared versioning.
CREATE OR REPLACE FUNCTION ibx_store_hospital_listing(
	p_code text, p_doc jsonb, p_sequence bigint, p_payload_type integer,
	p_envelope bytea, p_status integer, p_outcome text)
RETURNS integer
LANGUAGE plpgsql AS $$
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
