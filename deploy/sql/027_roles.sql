-- 027: least privilege for the hub's connections (issue 14, finding 4).
--
-- The hub ran intake and the API as a superuser.  Now each part has a
-- group role, and deploy/pg.sh (ibx_pg_roles) makes one login role in
-- each, none a superuser:
--
--   role            login        may
--   (owner)         ibx_owner    everything in this database: it runs
--                                these migrations and owns what they make
--   inbound_intake  ibx_intake   EXECUTE the intake's functions, nothing
--                                else: no table at all
--   inbound_api     ibx_api      SELECT what the API serves, EXECUTE the
--                                token lookup and completeness (004)
--   inbound_audit   ibx_audit    EXECUTE ibx_audit_record (026): append to
--                                the audit chain, read nothing
--
-- The intake's functions are SECURITY DEFINER (they run as their owner
-- with search_path pinned), and no one else may call them.  Functions that
-- are not SECURITY DEFINER run with the caller's rights and give nothing.
-- Roles belong to the cluster: several databases may create them at once.
DO $$
BEGIN
	CREATE ROLE inbound_intake NOLOGIN;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
	NULL;
END
$$;
DO $$
BEGIN
	CREATE ROLE inbound_audit NOLOGIN;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
	NULL;
END
$$;

-- The intake's reads and its refusal log, as functions.
CREATE FUNCTION ibx_intake_certificate(p_fingerprint bytea)
RETURNS TABLE (der bytea)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
	SELECT der FROM certificates WHERE fingerprint = p_fingerprint
$$;

CREATE FUNCTION ibx_intake_enrolment(p_fingerprint bytea)
RETURNS TABLE (org_code text, revoked boolean, role text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
	SELECT c.org_code, c.revoked_at IS NOT NULL, o.role
	FROM certificates c JOIN organisations o ON o.code = c.org_code
	WHERE c.fingerprint = p_fingerprint
$$;

CREATE FUNCTION ibx_intake_log_refusal(p_sender text, p_sequence bigint,
	p_payload_type integer, p_envelope bytea, p_status integer,
	p_outcome text, p_reason text)
RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = public AS $$
	INSERT INTO message_log (sender_id, sequence, payload_type, digest,
		status, outcome, reason)
	VALUES (p_sender, p_sequence, p_payload_type, sha256(p_envelope),
		p_status, p_outcome, p_reason)
$$;

-- Every function the intake calls: SECURITY DEFINER, EXECUTE for the
-- intake's role only.  (ALTER, not a new definition: the bodies stay in
-- their migrations.)
DO $$
DECLARE
	f regprocedure;
BEGIN
	FOR f IN SELECT p.oid::regprocedure FROM pg_proc p
		WHERE p.pronamespace = 'public'::regnamespace
		  AND p.proname IN ('ibx_store_hospital_listing',
			'ibx_store_coordinator_listing', 'ibx_store_statistics',
			'ibx_accepted_version', 'ibx_intake_certificate',
			'ibx_intake_enrolment', 'ibx_intake_log_refusal')
	LOOP
		EXECUTE format('ALTER FUNCTION %s SECURITY DEFINER SET search_path = public', f);
		EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', f);
		EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO inbound_intake', f);
	END LOOP;
END
$$;

-- The API's reads: the roll-ups (007) were not granted.
GRANT SELECT ON statistics_rollup, statistics_rollup_sets TO inbound_api;
REVOKE ALL ON FUNCTION ibx_token_lookup(bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ibx_token_lookup(bytea) TO inbound_api;

-- The audit writer.
GRANT EXECUTE ON FUNCTION ibx_audit_record(bigint, text, text, text, text,
	text, integer, integer, text) TO inbound_audit;
