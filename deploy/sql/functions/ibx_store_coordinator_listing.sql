-- ibx_store_coordinator_listing (first defined by migration 006).

CREATE OR REPLACE FUNCTION ibx_store_coordinator_listing(p_code text, p_doc jsonb,
	p_sequence bigint, p_envelope bytea)
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
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

-- The intake role only (027): SECURITY DEFINER, search_path pinned.
REVOKE ALL ON FUNCTION ibx_store_coordinator_listing(text, jsonb, bigint, bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ibx_store_coordinator_listing(text, jsonb, bigint, bytea) TO inbound_intake;
