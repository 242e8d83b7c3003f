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

-- ibx_text_array: deploy/sql/functions/ibx_text_array.sql

-- ibx_store_hospital_listing: deploy/sql/functions/ibx_store_hospital_listing.sql
