-- 060: people's accounts at the hub (issue 17): ministry, coordinators'
-- and hospitals' staff, each bound to its role and organisation; a
-- password (Argon2id, hashed by the hub with libsodium: only the encoded
-- hash is stored) and a TOTP second factor (RFC 6238); sessions (only the
-- SHA-256 of the cookie's 256-bit id is stored); failed sign-ins counted
-- per account and per client address; and coordinators' shortlists.
-- Time-outs and lock lengths come from the hub (--session-idle,
-- --session-max, --signin-lock) as parameters; the clock is the
-- database's.

CREATE TABLE accounts (
	id bigserial PRIMARY KEY,
	login text NOT NULL UNIQUE CHECK (login ~ '^[a-z0-9][a-z0-9._@-]{2,63}$'),
	role text NOT NULL CHECK (role IN ('ministry', 'coordinator', 'hospital')),
	org_code text REFERENCES organisations (code),
	display_name text CHECK (length(display_name) <= 200),
	password_hash text NOT NULL CHECK (password_hash LIKE '$argon2id$%'),
	-- The TOTP key (20 random bytes); NULL until an enrolment starts.
	totp_secret bytea CHECK (length(totp_secret) BETWEEN 16 AND 64),
	totp_confirmed_at timestamptz,
	-- The newest time step accepted: a code is good once (RFC 6238 5.2).
	totp_last_step bigint NOT NULL DEFAULT 0,
	-- A one-time enrolment code (its SHA-256), from inboundctl user
	-- create or reset; consumed when the QR code is shown.
	enrolment_hash bytea CHECK (length(enrolment_hash) = 32),
	enrolment_expires_at timestamptz,
	created_at timestamptz NOT NULL DEFAULT now(),
	last_signin_at timestamptz,
	disabled_at timestamptz,
	CHECK ((role = 'ministry') = (org_code IS NULL))
);

CREATE TABLE account_sessions (
	id bigserial PRIMARY KEY,
	session_hash bytea NOT NULL UNIQUE CHECK (length(session_hash) = 32),
	csrf_hash bytea NOT NULL CHECK (length(csrf_hash) = 32),
	account_id bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	address text NOT NULL,
	created_at timestamptz NOT NULL DEFAULT now(),
	last_seen_at timestamptz NOT NULL DEFAULT now(),
	ended_at timestamptz,
	end_reason text
);
CREATE INDEX account_sessions_account ON account_sessions (account_id)
	WHERE ended_at IS NULL;

-- Failed sign-ins by account name (known or not, so that a lock says
-- nothing about which names exist) and by client address.
CREATE TABLE signin_throttle (
	kind text NOT NULL CHECK (kind IN ('account', 'address')),
	key text NOT NULL CHECK (length(key) <= 128),
	failures integer NOT NULL DEFAULT 0,
	last_failure_at timestamptz NOT NULL DEFAULT now(),
	locked_until timestamptz,
	PRIMARY KEY (kind, key)
);

CREATE TABLE shortlists (
	account_id bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	org_code text NOT NULL REFERENCES organisations (code),
	added_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (account_id, org_code)
);











REVOKE ALL ON accounts, account_sessions, signin_throttle, shortlists FROM inbound_api;
-- Each function is the API role's only: see deploy/sql/functions/.
