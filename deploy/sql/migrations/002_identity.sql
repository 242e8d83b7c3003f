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
-- must be new: the function checks both inside the transaction that
-- stores the listing (FOR UPDATE on the sender's row
-- serialises concurrent messages from one sender).
--
-- Errors raised (SQLSTATE, caught by the hub):
--   IBX01  sequence not greater than the last accepted (replay)
--   IBX02  sender not enrolled as a hospital
DROP FUNCTION IF EXISTS ibx_store_hospital_listing(text, jsonb, bigint, integer, bytea, integer, text);

-- ibx_accept_message: deploy/sql/functions/ibx_accept_message.sql

-- ibx_store_hospital_listing: deploy/sql/functions/ibx_store_hospital_listing.sql

-- ibx_accepted_version: deploy/sql/functions/ibx_accepted_version.sql
