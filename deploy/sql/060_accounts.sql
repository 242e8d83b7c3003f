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

-- The longer of the account's and the address's locks, in whole seconds
-- (0 when neither is locked), and which one it is.
CREATE FUNCTION ibx_signin_lock(p_login text, p_address text)
RETURNS TABLE (kind text, seconds integer)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
	SELECT coalesce(max(t.kind), 'none'),
		coalesce(ceil(max(extract(epoch FROM t.locked_until - now())))::integer, 0)
	FROM (SELECT s.kind, s.locked_until FROM signin_throttle s
	      WHERE ((s.kind = 'account' AND s.key = p_login)
		  OR (s.kind = 'address' AND s.key = p_address))
		AND s.locked_until > now()
	      ORDER BY s.locked_until DESC LIMIT 1) t
$$;

-- One failure of p_login from p_address.  Each key locks once its
-- failures reach its threshold (p_account_after for a name, p_address_after
-- for an address), for p_base seconds doubled at each further failure, at
-- most a day; failures older than 15 minutes are forgotten unless locked.
-- Returns the lock now in force for the name, in seconds.
CREATE FUNCTION ibx_signin_failed(p_login text, p_address text,
	p_account_after integer, p_address_after integer, p_base integer)
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
	k record;
	v_failures integer;
	v_lock integer := 0;
BEGIN
	FOR k IN SELECT * FROM (VALUES ('account', left(p_login, 128), p_account_after),
		('address', left(p_address, 128), p_address_after)) AS x(kind, key, after)
	LOOP
		INSERT INTO signin_throttle AS s (kind, key, failures)
		VALUES (k.kind, k.key, 1)
		ON CONFLICT (kind, key) DO UPDATE SET
			failures = CASE WHEN s.last_failure_at < now() - interval '15 minutes'
					 AND coalesce(s.locked_until, '-infinity') < now()
				THEN 1 ELSE s.failures + 1 END,
			last_failure_at = now()
		RETURNING failures INTO v_failures;
		IF v_failures >= k.after THEN
			UPDATE signin_throttle SET locked_until = now() + least(86400,
				p_base * power(2, least(v_failures - k.after, 16))) * interval '1 second'
			WHERE kind = k.kind AND key = k.key;
			IF k.kind = 'account' THEN
				v_lock := least(86400, p_base * power(2, least(v_failures - k.after, 16)))::integer;
			END IF;
		END IF;
	END LOOP;
	RETURN v_lock;
END
$$;

-- What the hub needs to check a sign-in: the account's password hash and
-- second factor.  No row for an unknown or disabled name.
CREATE FUNCTION ibx_account_for_signin(p_login text)
RETURNS TABLE (id bigint, role text, org_code text, password_hash text,
	totp_secret bytea, totp_confirmed boolean, totp_last_step bigint,
	enrolment_hash bytea, enrolment_valid boolean)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
	SELECT id, role, org_code, password_hash, totp_secret,
		totp_confirmed_at IS NOT NULL, totp_last_step, enrolment_hash,
		enrolment_hash IS NOT NULL AND enrolment_expires_at > now()
	FROM accounts WHERE login = p_login AND disabled_at IS NULL
$$;

-- Start a TOTP enrolment: the one-time code (its hash p_code_hash) is
-- consumed and the new key stored, unconfirmed until the first code from
-- it signs in.  False when the code does not match or has expired.
CREATE FUNCTION ibx_account_enrol(p_id bigint, p_code_hash bytea, p_secret bytea)
RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
	UPDATE accounts SET totp_secret = p_secret, totp_confirmed_at = NULL,
		totp_last_step = 0, enrolment_hash = NULL, enrolment_expires_at = NULL
	WHERE id = p_id AND disabled_at IS NULL AND enrolment_hash = p_code_hash
	  AND enrolment_expires_at > now();
	RETURN FOUND;
END
$$;

-- A sign-in that passed both factors: the code's time step p_step is
-- recorded (an older or equal step is refused: false), the enrolment
-- confirmed, the name's failures forgotten, and a session started.
CREATE FUNCTION ibx_signin_succeeded(p_id bigint, p_login text, p_step bigint,
	p_session_hash bytea, p_csrf_hash bytea, p_address text)
RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
	UPDATE accounts SET totp_last_step = p_step,
		totp_confirmed_at = coalesce(totp_confirmed_at, now()),
		last_signin_at = now()
	WHERE id = p_id AND disabled_at IS NULL AND totp_last_step < p_step;
	IF NOT FOUND THEN
		RETURN false;
	END IF;
	DELETE FROM signin_throttle WHERE kind = 'account' AND key = p_login;
	INSERT INTO account_sessions (session_hash, csrf_hash, account_id, address)
	VALUES (p_session_hash, p_csrf_hash, p_id, left(p_address, 128));
	RETURN true;
END
$$;

-- The account behind a session cookie (its SHA-256), when the session is
-- neither ended, idle for p_idle seconds, older than p_max seconds, nor its
-- account disabled; its last use moves to now.  A session found too old is
-- ended with the reason.
CREATE FUNCTION ibx_session_lookup(p_hash bytea, p_idle integer, p_max integer)
RETURNS TABLE (session_id bigint, account_id bigint, login text, role text,
	org_code text, csrf_hash bytea)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
	s account_sessions%ROWTYPE;
BEGIN
	SELECT * INTO s FROM account_sessions
	WHERE session_hash = p_hash AND ended_at IS NULL FOR UPDATE;
	IF NOT FOUND THEN
		RETURN;
	END IF;
	IF s.last_seen_at < now() - p_idle * interval '1 second' THEN
		UPDATE account_sessions SET ended_at = now(), end_reason = 'idle'
		WHERE id = s.id;
		RETURN;
	END IF;
	IF s.created_at < now() - p_max * interval '1 second' THEN
		UPDATE account_sessions SET ended_at = now(), end_reason = 'absolute'
		WHERE id = s.id;
		RETURN;
	END IF;
	UPDATE account_sessions SET last_seen_at = now() WHERE id = s.id;
	RETURN QUERY SELECT s.id, a.id, a.login, a.role, a.org_code, s.csrf_hash
		FROM accounts a WHERE a.id = s.account_id AND a.disabled_at IS NULL;
END
$$;

-- Sign out: end the session; true when there was one.
CREATE FUNCTION ibx_session_end(p_hash bytea)
RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
	UPDATE account_sessions SET ended_at = now(), end_reason = 'signed out'
	WHERE session_hash = p_hash AND ended_at IS NULL;
	RETURN FOUND;
END
$$;

-- A user's shortlist, newest first, with each hospital's name.
CREATE FUNCTION ibx_shortlist(p_account bigint)
RETURNS TABLE (org_code text, added_at timestamptz, listed boolean)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
	SELECT s.org_code, s.added_at,
		EXISTS (SELECT 1 FROM hospital_listings h WHERE h.org_code = s.org_code)
	FROM shortlists s WHERE s.account_id = p_account
	ORDER BY s.added_at DESC, s.org_code
$$;

-- Add a listed hospital to a user's shortlist (at most 50): 'added',
-- 'present', 'not listed' or 'full'.
CREATE FUNCTION ibx_shortlist_add(p_account bigint, p_code text)
RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM hospital_listings WHERE org_code = p_code) THEN
		RETURN 'not listed';
	END IF;
	IF EXISTS (SELECT 1 FROM shortlists WHERE account_id = p_account AND org_code = p_code) THEN
		RETURN 'present';
	END IF;
	PERFORM pg_advisory_xact_lock(1229084751, p_account::integer);
	IF (SELECT count(*) FROM shortlists WHERE account_id = p_account) >= 50 THEN
		RETURN 'full';
	END IF;
	INSERT INTO shortlists (account_id, org_code) VALUES (p_account, p_code)
	ON CONFLICT DO NOTHING;
	RETURN 'added';
END
$$;

CREATE FUNCTION ibx_shortlist_remove(p_account bigint, p_code text)
RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
	DELETE FROM shortlists WHERE account_id = p_account AND org_code = p_code;
	RETURN FOUND;
END
$$;

REVOKE ALL ON accounts, account_sessions, signin_throttle, shortlists FROM inbound_api;
GRANT EXECUTE ON FUNCTION ibx_signin_lock(text, text),
	ibx_signin_failed(text, text, integer, integer, integer),
	ibx_account_for_signin(text), ibx_account_enrol(bigint, bytea, bytea),
	ibx_signin_succeeded(bigint, text, bigint, bytea, bytea, text),
	ibx_session_lookup(bytea, integer, integer), ibx_session_end(bytea),
	ibx_shortlist(bigint), ibx_shortlist_add(bigint, text),
	ibx_shortlist_remove(bigint, text)
	TO inbound_api;
