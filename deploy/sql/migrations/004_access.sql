-- 004: access for HTTP users: bearer tokens with roles, the hash-chained
-- audit log, reference series imported by the ministry, and the database
-- role the HTTP API connects as, which can read only what it serves.

CREATE TABLE api_tokens (
	id bigserial PRIMARY KEY,
	token_hash bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32), -- SHA-256
	role text NOT NULL CHECK (role IN ('ministry', 'coordinator', 'hospital')),
	org_code text REFERENCES organisations (code),
	label text,
	created_at timestamptz NOT NULL DEFAULT now(),
	expires_at timestamptz,
	revoked_at timestamptz,
	CHECK ((role = 'hospital') = (org_code IS NOT NULL))
);

-- Every API call.  Each entry's hash covers its fields and the previous
-- entry's hash, so a changed or deleted entry breaks the chain
-- (inboundctl audit verify); audit_head keeps the newest hash so that even
-- removing the last entries is seen.
CREATE TABLE audit_log (
	id bigserial PRIMARY KEY,
	at timestamptz NOT NULL DEFAULT clock_timestamp(),
	token_id bigint,
	role text,
	org_code text,
	method text NOT NULL,
	path text NOT NULL,
	params text NOT NULL,
	status integer NOT NULL,
	cells integer NOT NULL,
	prev_hash bytea NOT NULL,
	hash bytea NOT NULL
);
CREATE TABLE audit_head (
	one boolean PRIMARY KEY DEFAULT true CHECK (one),
	last_id bigint NOT NULL,
	hash bytea NOT NULL
);

-- The text an audit hash covers; inboundctl audit verify rebuilds it from
-- the same columns.
CREATE FUNCTION ibx_audit_text(p_id bigint, p_at timestamptz, p_token bigint,
	p_role text, p_org text, p_method text, p_path text, p_params text,
	p_status integer, p_cells integer)
RETURNS text LANGUAGE sql IMMUTABLE AS $$
	SELECT concat_ws('|', p_id,
		(extract(epoch FROM p_at) * 1000000)::bigint,
		coalesce(p_token::text, '-'), coalesce(p_role, '-'),
		coalesce(p_org, '-'), p_method, p_path, p_params, p_status, p_cells)
$$;

-- Append one entry (serialised by a lock so the chain has one order).
CREATE FUNCTION ibx_audit_append(p_token bigint, p_role text, p_org text,
	p_method text, p_path text, p_params text, p_status integer,
	p_cells integer)
RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
	v_prev bytea;
	v_id bigint;
	v_at timestamptz := clock_timestamp();
	v_hash bytea;
BEGIN
	PERFORM pg_advisory_xact_lock(1229084750);
	SELECT hash INTO v_prev FROM audit_head;
	v_prev := coalesce(v_prev, '\x'::bytea);
	v_id := nextval('audit_log_id_seq');
	v_hash := sha256(v_prev || convert_to(ibx_audit_text(v_id, v_at, p_token,
		p_role, p_org, p_method, p_path, p_params, p_status, p_cells), 'UTF8'));
	INSERT INTO audit_log (id, at, token_id, role, org_code, method, path,
		params, status, cells, prev_hash, hash)
	VALUES (v_id, v_at, p_token, p_role, p_org, p_method, p_path, p_params,
		p_status, p_cells, v_prev, v_hash);
	INSERT INTO audit_head (one, last_id, hash) VALUES (true, v_id, v_hash)
	ON CONFLICT (one) DO UPDATE SET last_id = EXCLUDED.last_id, hash = EXCLUDED.hash;
END
$$;

-- A token's role and organisation, when it is valid now.
CREATE FUNCTION ibx_token_lookup(p_hash bytea)
RETURNS TABLE (id bigint, role text, org_code text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
	SELECT id, role, org_code FROM api_tokens
	WHERE token_hash = p_hash AND revoked_at IS NULL
	  AND (expires_at IS NULL OR expires_at > now())
$$;

-- Reference series from outside the exchange (medical stay visas issued,
-- say), by year or month, optionally by nationality.
CREATE TABLE reference_series (
	name text NOT NULL CHECK (name ~ '^[a-z][a-z0-9_]{0,62}$'),
	period text NOT NULL CHECK (period ~ '^[0-9]{4}(-[0-9]{2})?$'),
	nationality text NOT NULL DEFAULT '',  -- '' for all nationalities
	value numeric NOT NULL CHECK (value >= 0),
	imported_at timestamptz NOT NULL DEFAULT now(),
	source text,
	PRIMARY KEY (name, period, nationality)
);

-- The role the HTTP API connects as: it reads listings, statistics and
-- series, and writes nothing but audit entries (through the function).
-- Roles belong to the cluster: several databases (tests, hubs) may create
-- it at once, so a concurrent creation is not an error.
DO $$
BEGIN
	CREATE ROLE inbound_api NOLOGIN;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
	NULL;
END
$$;
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM inbound_api;
GRANT SELECT ON hospital_listings, listing_versions, statistics_cells,
	statistics_submissions, reference_series, organisations, settings
	TO inbound_api;
GRANT EXECUTE ON FUNCTION ibx_audit_append(bigint, text, text, text, text, text, integer, integer),
	ibx_token_lookup(bytea), ibx_completeness(date) TO inbound_api;
