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

-- ibx_audit_text: deploy/sql/functions/ibx_audit_text.sql

-- ibx_audit_append: deploy/sql/functions/ibx_audit_append.sql

-- ibx_token_lookup: deploy/sql/functions/ibx_token_lookup.sql

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
