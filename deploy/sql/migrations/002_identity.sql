-- 002: enrolled certificates, and the checks that make storing a message
-- and accepting its sequence one atomic step.
--
-- An organisation is enrolled by inboundctl enrol with the certificate the
-- national CA issued it; the hub accepts envelopes only under an enrolled,
-- unrevoked certificate whose subject names the sender.

CREATE TABLE certificates (
	fingerprint bytea PRIMARY KEY CHECK (length(fingerprint) = 32), -- SHA-256 of DER
	org_code text NOT NULL REFERENCES organisations (code),
	der bytea NOT NULL,
	not_before timestamptz NOT NULL,
	not_after timestamptz NOT NULL,
	enrolled_at timestamptz NOT NULL DEFAULT now(),
	revoked_at timestamptz
);
CREATE INDEX certificates_org ON certificates (org_code);

ALTER TABLE organisations ADD COLUMN name text;

-- A listing may now only come from an enrolled hospital, and its sequence
-- must be new: replace the function of 001 with one that checks both inside
-- the transaction that stores the listing (FOR UPDATE on the sender's row
-- serialises concurrent messages from one sender).
--
-- Errors raised (SQLSTATE, caught by the hub):
--   IBX01  sequence not greater than the last accepted (replay)
--   IBX02  sender not enrolled as a hospital
DROP FUNCTION ibx_store_hospital_listing(text, jsonb, bigint, integer, bytea, integer, text);

CREATE FUNCTION ibx_accept_message(p_code text, p_role text, p_sequence bigint)
RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	v_role text;
	v_last bigint;
BEGIN
	SELECT role, last_sequence INTO v_role, v_last
	FROM organisations WHERE code = p_code FOR UPDATE;
	IF v_role IS NULL OR v_role <> p_role THEN
		RAISE EXCEPTION 'sender % is not enrolled as a %', p_code, p_role
			USING ERRCODE = 'IBX02';
	END IF;
	IF p_sequence <= v_last THEN
		RAISE EXCEPTION 'sequence % is not greater than the last accepted %',
			p_sequence, v_last USING ERRCODE = 'IBX01';
	END IF;
	UPDATE organisations SET last_sequence = p_sequence WHERE code = p_code;
END
$$;

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
	PERFORM ibx_accept_message(p_code, 'hospital', p_sequence);

	INSERT INTO message_log (sender_id, sequence, payload_type, digest,
	                         status, outcome, envelope)
	VALUES (p_code, p_sequence, p_payload_type, sha256(p_envelope),
	        p_status, p_outcome, p_envelope)
	RETURNING id INTO v_msg;

	SELECT version, doc INTO v_current, v_doc
	FROM listing_versions WHERE org_code = p_code AND valid_to IS NULL;
	IF v_doc IS NOT NULL AND v_doc = p_doc THEN
		UPDATE message_log SET reason = 'unchanged: version ' || v_current
		WHERE id = v_msg;
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

-- The original outcome of an accepted message, for a spoke that sends the
-- same envelope again (its Ack was lost): the listing version it produced.
CREATE FUNCTION ibx_accepted_version(p_code text, p_sequence bigint, p_digest bytea)
RETURNS integer
LANGUAGE sql STABLE AS $$
	SELECT coalesce(
		(SELECT v.version FROM listing_versions v WHERE v.message_id = m.id),
		substring(m.reason FROM 'unchanged: version ([0-9]+)')::integer, 0)
	FROM message_log m
	WHERE m.sender_id = p_code AND m.sequence = p_sequence
	  AND m.digest = p_digest AND m.status = 1
	ORDER BY m.id LIMIT 1
$$;
