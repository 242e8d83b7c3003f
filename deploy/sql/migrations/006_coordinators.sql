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

-- ibx_store_listing_version: deploy/sql/functions/ibx_store_listing_version.sql

-- ibx_store_coordinator_listing: deploy/sql/functions/ibx_store_coordinator_listing.sql

-- ibx_store_hospital_listing: deploy/sql/functions/ibx_store_hospital_listing.sql
