-- 040: the national hospital list.
--  * institution_register: the regional health bureaus' institution-code
--    register (コード内容別医療機関一覧表), loaded by
--    `inboundctl register import`; a hospital listing whose organisation
--    code is not in it is shown as unregistered (API: "registered").
--    Repeated rows of the register are merged into one, counted in rows.
--  * ibx_listing_search_text: the text q= searches: the names in every
--    language a listing carries, the romaji readings and the address, in
--    lower case, with a trigram index over the current listings.
CREATE TABLE institution_register (
	org_code text PRIMARY KEY CHECK (org_code ~ '^[0-9]{2}1[0-9]{7}$'),
	name_ja text NOT NULL,
	postal_code text,
	address text,
	prefecture text NOT NULL,
	rows integer NOT NULL DEFAULT 1,	-- register rows merged into this one
	imported_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX institution_register_prefecture ON institution_register (prefecture);
GRANT SELECT ON institution_register TO inbound_api;

-- The search text of a listing (functions/ibx_listing_search_text.sql),
-- indexed for q=; the index needs the function, so it is made after the
-- functions are applied.
-- ibx:after-functions
CREATE INDEX hospital_listings_search ON hospital_listings
	USING gin (ibx_listing_search_text(doc) gin_trgm_ops);
