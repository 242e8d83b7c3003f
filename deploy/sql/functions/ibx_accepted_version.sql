-- ibx_accepted_version (first defined by migration 002).

-- The original outcome of an accepted message, for a spoke that sends the
-- same envelope again (its Ack was lost): the listing version it produced.
CREATE OR REPLACE FUNCTION ibx_accepted_version(p_code text, p_sequence bigint, p_digest bytea)
RETURNS integer
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
	SELECT coalesce(
		(SELECT v.version FROM listing_versions v WHERE v.message_id = m.id),
		substring(m.reason FROM 'unchanged: version ([0-9]+)')::integer, 0)
	FROM message_log m
	WHERE m.sender_id = p_code AND m.sequence = p_sequence
	  AND m.digest = p_digest AND m.status = 1
	ORDER BY m.id LIMIT 1
$$;

-- The intake role only (027): SECURITY DEFINER, search_path pinned.
REVOKE ALL ON FUNCTION ibx_accepted_version(text, bigint, bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ibx_accepted_version(text, bigint, bytea) TO inbound_intake;
