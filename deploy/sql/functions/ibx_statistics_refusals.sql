-- ibx_statistics_refusals (first defined by migration 085).

-- The statistics envelopes the hub refused from one hospital, newest
-- first (at most p_limit, 1 to 200): when, the outcome's name and the
-- reason the spoke was told.  Only refusals made after the envelope's
-- signature and certificate verified (hub/intake/intake.c,
-- intake_statistics): a payload that does not decode (ACK_MALFORMED, 10,
-- "payload: ..."), a field refused (ACK_INVALID, 11), another
-- organisation's code (ACK_SENDER_MISMATCH, 25); so no one else can put a
-- refusal on a hospital's page by claiming its code.  PAYLOAD_CASE_
-- STATISTICS is 3 (proto/wire/inbound.proto).
CREATE OR REPLACE FUNCTION ibx_statistics_refusals(p_org text, p_limit integer)
RETURNS TABLE (received_at timestamptz, outcome text, reason text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
	SELECT m.received_at, m.outcome, coalesce(m.reason, '')
	FROM message_log m
	WHERE m.sender_id = p_org AND m.payload_type = 3
	  AND (m.status IN (11, 25)
	       OR (m.status = 10 AND m.reason LIKE 'payload:%'))
	ORDER BY m.received_at DESC, m.id DESC
	LIMIT least(greatest(p_limit, 1), 200)
$$;

-- The API role only (085).
REVOKE ALL ON FUNCTION ibx_statistics_refusals(text, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ibx_statistics_refusals(text, integer) TO inbound_api;
