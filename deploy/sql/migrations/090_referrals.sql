-- 090: the referral channel's store and forward (issue 15,
-- docs/referrals.md).
--
-- The hub keeps what it needs to forward and to measure, never a package
-- in clear: each receiving organisation's key announcements (whole signed
-- envelopes, handed to referrers unchanged), each referral's metadata and
-- its signed envelope (which carries the sealed content key: ciphertext
-- only), the ciphertext chunks until the receiver has them all (or the
-- retention period ends), and every signed status.  The functions that
-- write and read these are in deploy/sql/functions/ibx_referral_*.sql.
--
-- Errors the functions raise (SQLSTATE, caught by hub/intake):
--   IBX01  sequence not greater than the last accepted (replay)
--   IBX02  sender not enrolled in its role
--   IBX10  refused for good, the reason in the message (final invalid)
--   IBX11  the sender is not the party entitled to this (role forbidden)

-- A partner: a hospital abroad that sends referrals (deploy/pki/issue.sh).
ALTER TABLE organisations DROP CONSTRAINT IF EXISTS organisations_role_check;
ALTER TABLE organisations ADD CONSTRAINT organisations_role_check
	CHECK (role IN ('hospital', 'coordinator', 'partner'));

-- A partner's minimal listing (inboundctl partner set): who it is, where,
-- which languages its staff write in.
CREATE TABLE partner_listings (
	org_code text PRIMARY KEY REFERENCES organisations (code),
	name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
	country text NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
	languages text[] NOT NULL DEFAULT '{}',
	updated_at timestamptz NOT NULL DEFAULT now()
);

-- Key announcements (EncryptionKey envelopes), several per organisation:
-- the newest is the one to seal to; older ones stay for packages in
-- flight.
CREATE TABLE referral_keys (
	org_code text NOT NULL REFERENCES organisations (code),
	key_id text NOT NULL CHECK (key_id ~ '^[0-9a-f]{16}$'),
	public_key bytea NOT NULL CHECK (length(public_key) = 32),
	created_at_ms bigint NOT NULL,
	use_until_ms bigint NOT NULL DEFAULT 0,
	envelope bytea NOT NULL,    -- the announcement exactly as signed
	received_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (org_code, key_id)
);

-- States: 'receiving' (the hub's, until every chunk is stored), then the
-- names of inbound.v1.ReferralState in lower case (sent, delivered,
-- acknowledged, declined, quote, opinion_returned, visit_scheduled,
-- visited, withdrawn).  Which party may move a referral from which state
-- to which is proto/domain's table (refcore); the store is a
-- compare-and-set on the state the intake checked it against.
CREATE TABLE referrals (
	referral_id text PRIMARY KEY CHECK (referral_id ~ '^[0-9a-f]{32}$'),
	referrer text NOT NULL REFERENCES organisations (code),
	receiver text NOT NULL REFERENCES organisations (code),
	key_id text NOT NULL,
	purpose text NOT NULL,
	department text,
	treatment text,
	nationality text,
	age_band text,
	languages text[] NOT NULL DEFAULT '{}',
	urgency text,
	package_bytes bigint NOT NULL CHECK (package_bytes >= 0),
	chunk_count integer NOT NULL CHECK (chunk_count > 0),
	chunks_stored integer NOT NULL DEFAULT 0,
	answers_referral_id text REFERENCES referrals (referral_id),
	state text NOT NULL DEFAULT 'receiving',
	envelope bytea NOT NULL,    -- the Referral exactly as signed
	digest bytea NOT NULL,      -- SHA-256 of envelope
	created_at timestamptz NOT NULL DEFAULT now(),
	sent_at timestamptz,        -- every chunk stored
	delivered_at timestamptz,
	first_answer_at timestamptz, -- acknowledged, declined, quote, opinion
	opinion_at timestamptz,
	updated_at timestamptz NOT NULL DEFAULT now(),
	-- when and why the ciphertext left the hub: 'delivered' (the
	-- receiver has it all), 'withdrawn' (by the referrer) or
	-- 'retention' (inboundctl referrals purge)
	chunks_deleted_at timestamptz,
	chunks_deleted_reason text
		CHECK (chunks_deleted_reason IN ('delivered', 'withdrawn', 'retention'))
);
CREATE INDEX referrals_receiver ON referrals (receiver, created_at);
CREATE INDEX referrals_referrer ON referrals (referrer, created_at);

-- Ciphertext chunks, one row each, stored once by (referral_id, idx).
-- Ciphertext does not compress: kept out of line, uncompressed.
CREATE TABLE referral_chunks (
	referral_id text NOT NULL REFERENCES referrals (referral_id),
	idx integer NOT NULL CHECK (idx >= 0),
	digest bytea NOT NULL,      -- SHA-256 of the ciphertext
	envelope bytea NOT NULL,    -- the ReferralChunk exactly as signed
	stored_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (referral_id, idx)
);
ALTER TABLE referral_chunks ALTER COLUMN envelope SET STORAGE EXTERNAL;

-- The inbox feed: a referral once every chunk is stored, and every
-- status, in the order the hub took them; id is the InboxQuery cursor.
CREATE TABLE referral_events (
	id bigserial PRIMARY KEY,
	referral_id text NOT NULL REFERENCES referrals (referral_id),
	kind text NOT NULL CHECK (kind IN ('referral', 'status')),
	state text NOT NULL,
	sender text NOT NULL,
	reason_code text,
	price_min_jpy bigint,
	price_max_jpy bigint,
	earliest_date date,
	report_referral_id text,
	visit_date date,
	envelope bytea NOT NULL,    -- exactly as its sender signed it
	digest bytea NOT NULL,
	at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX referral_events_referral ON referral_events (referral_id, id);
CREATE UNIQUE INDEX referral_events_digest ON referral_events (digest);

-- The API reads metadata only: never an envelope or a chunk.
GRANT SELECT (referral_id, referrer, receiver, purpose, department,
	treatment, nationality, age_band, languages, urgency, package_bytes,
	chunk_count, chunks_stored, answers_referral_id, state, created_at,
	sent_at, delivered_at, first_answer_at, opinion_at, updated_at,
	chunks_deleted_at, chunks_deleted_reason) ON referrals TO inbound_api;
GRANT SELECT ON partner_listings TO inbound_api;
