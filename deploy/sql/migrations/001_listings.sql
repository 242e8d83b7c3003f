-- 001: organisations, the message log, and versioned capability listings.
--
-- A listing is stored as a new version in listing_versions (history kept,
-- each version traceable to the message that carried it) and, for search,
-- its current version is copied into hospital_listings with the searchable
-- fields as arrays under GIN indexes and the names under trigram indexes.

CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE organisations (
	code text PRIMARY KEY CHECK (code ~ '^[0-9]{10}$'),
	role text NOT NULL CHECK (role IN ('hospital', 'coordinator')),
	created_at timestamptz NOT NULL DEFAULT now(),
	-- highest sequence accepted from this sender (replay protection)
	last_sequence bigint NOT NULL DEFAULT 0
);

-- Every envelope the hub answered, accepted or refused.
CREATE TABLE message_log (
	id bigserial PRIMARY KEY,
	received_at timestamptz NOT NULL DEFAULT now(),
	sender_id text,             -- as claimed in the header
	sequence bigint,
	payload_type integer,
	digest bytea NOT NULL,      -- SHA-256 of the envelope bytes
	status integer NOT NULL,    -- inbound.v1.AckStatus
	outcome text NOT NULL,      -- its name
	reason text,
	envelope bytea              -- the whole envelope, kept when accepted
);
CREATE INDEX message_log_sender ON message_log (sender_id, sequence);
CREATE INDEX message_log_digest ON message_log (digest);

CREATE TABLE listing_versions (
	org_code text NOT NULL REFERENCES organisations (code),
	version integer NOT NULL CHECK (version > 0),
	doc jsonb NOT NULL,
	valid_from timestamptz NOT NULL DEFAULT now(),
	valid_to timestamptz,       -- NULL while current
	message_id bigint REFERENCES message_log (id),
	PRIMARY KEY (org_code, version)
);
CREATE UNIQUE INDEX listing_versions_current
	ON listing_versions (org_code) WHERE valid_to IS NULL;

CREATE TABLE hospital_listings (
	org_code text PRIMARY KEY REFERENCES organisations (code),
	version integer NOT NULL,
	name_ja text NOT NULL,
	name_en text,
	prefecture text NOT NULL,
	departments text[] NOT NULL,
	treatments text[] NOT NULL,
	languages text[] NOT NULL,
	accreditations text[] NOT NULL,   -- schemes
	accepts_countries text[] NOT NULL,
	remote_second_opinion boolean NOT NULL,
	beds integer,
	lat double precision,
	lon double precision,
	doc jsonb NOT NULL,
	updated_at timestamptz NOT NULL
);
CREATE INDEX hospital_listings_prefecture ON hospital_listings (prefecture);
CREATE INDEX hospital_listings_departments ON hospital_listings USING gin (departments);
CREATE INDEX hospital_listings_treatments ON hospital_listings USING gin (treatments);
CREATE INDEX hospital_listings_languages ON hospital_listings USING gin (languages);
CREATE INDEX hospital_listings_accreditations ON hospital_listings USING gin (accreditations);
CREATE INDEX hospital_listings_accepts ON hospital_listings USING gin (accepts_countries);
CREATE INDEX hospital_listings_name_ja ON hospital_listings USING gin (name_ja gin_trgm_ops);
CREATE INDEX hospital_listings_name_en ON hospital_listings USING gin (lower(name_en) gin_trgm_ops);

CREATE FUNCTION ibx_text_array(j jsonb) RETURNS text[]
LANGUAGE sql IMMUTABLE AS $$
	SELECT coalesce(array_agg(x ORDER BY x), '{}')
	FROM jsonb_array_elements_text(coalesce(j, '[]'::jsonb)) AS x
$$;

-- Store a checked hospital listing in one transaction with its message-log
-- row.  Returns the listing version: a new one when the listing changed,
-- the current one when it is identical (republishing is idempotent).
CREATE FUNCTION ibx_store_hospital_listing(
	p_code text, p_doc jsonb, p_sequence bigint, p_payload_type integer,
	p_envelope bytea, p_status integer, p_outcome text)
RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
	v_current integer;
	v_doc jsonb;
	v_msg bigint;
	v_version integer;
BEGIN
	INSERT INTO organisations (code, role) VALUES (p_code, 'hospital')
	ON CONFLICT (code) DO NOTHING;
	PERFORM 1 FROM organisations WHERE code = p_code FOR UPDATE;

	INSERT INTO message_log (sender_id, sequence, payload_type, digest,
	                         status, outcome, envelope)
	VALUES (p_code, p_sequence, p_payload_type, sha256(p_envelope),
	        p_status, p_outcome, p_envelope)
	RETURNING id INTO v_msg;
	UPDATE organisations SET last_sequence = greatest(last_sequence, p_sequence)
	WHERE code = p_code;

	SELECT version, doc INTO v_current, v_doc
	FROM listing_versions WHERE org_code = p_code AND valid_to IS NULL;
	IF v_doc IS NOT NULL AND v_doc = p_doc THEN
		RETURN v_current;
	END IF;
	v_version := coalesce(v_current, 0) + 1;
	UPDATE listing_versions SET valid_to = now()
	WHERE org_code = p_code AND valid_to IS NULL;
	INSERT INTO listing_versions (org_code, version, doc, message_id)
	VALUES (p_code, v_version, p_doc, v_msg);

	INSERT INTO hospital_listings AS h (org_code, version, name_ja, name_en,
		prefecture, departments, treatments, languages, accreditations,
		accepts_countries, remote_second_opinion, beds, lat, lon, doc,
		updated_at)
	VALUES (p_code, v_version, p_doc->'name'->>'ja', p_doc->'name'->>'en',
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
	RETURN v_version;
END
$$;
