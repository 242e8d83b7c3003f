-- 028: every new API token expires (issue 14, finding 6).  inboundctl
-- gives 90 days unless told otherwise and refuses more than 365
-- (hub/api/auth.h); this is the database's own rule for any other
-- writer.  Tokens made before keep their expiry (NOT VALID): revoke
-- unbounded ones with inboundctl token revoke and issue new ones.
ALTER TABLE api_tokens ADD CONSTRAINT api_tokens_expire
	CHECK (expires_at IS NOT NULL) NOT VALID;
