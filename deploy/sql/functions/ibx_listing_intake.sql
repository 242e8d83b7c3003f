-- ibx_listing_intake (issue 18, target 2; no table of its own).

-- One listing envelope in one statement, one database round trip: the
-- enrolment check of the signing certificate (what ibx_intake_enrolment
-- answers and the hub used to ask in a statement of its own), then the
-- store (ibx_store_hospital_listing or ibx_store_coordinator_listing: the
-- replay check and sequence, the message-log row, the version history,
-- the search row).
--
-- Every error is caught, never raised: the body runs in its own
-- subtransaction (the EXCEPTION block), so a refused envelope leaves no
-- trace of its own and does not abort the transaction around it.  The hub
-- commits several intake workers' envelopes in one transaction (group
-- commit, hub/intake/batch.c), each through one call of this function:
-- each envelope's effects are all there or none (its subtransaction),
-- and all of them become durable at the one COMMIT, before any is
-- acknowledged.
--
-- Answers version (the listing version now current; NULL when refused),
-- and for a refusal its SQLSTATE (refusal_state) and message (refusal):
--   IBX03 the certificate is not enrolled at the hub
--   IBX04 it is enrolled to another organisation
--   IBX05 it is revoked at the hub
--   IBX02 the enrolled role differs from the certificate's, or the
--         organisation is not enrolled in p_role (ibx_accept_message)
--   IBX01 the sequence is not greater than the last accepted
--   anything else: the store's own error (a constraint, a deadlock, ...)
-- The messages of IBX02-IBX05 are the refusal texts the hub sends back.
CREATE OR REPLACE FUNCTION ibx_listing_intake(p_fingerprint bytea,
	p_code text, p_role text, p_payload_type integer, p_doc jsonb,
	p_sequence bigint, p_envelope bytea,
	OUT version integer, OUT refusal_state text, OUT refusal text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
	v_org text;
	v_revoked boolean;
	v_role text;
BEGIN
	BEGIN
		SELECT c.org_code, c.revoked_at IS NOT NULL, o.role
		INTO v_org, v_revoked, v_role
		FROM certificates c JOIN organisations o ON o.code = c.org_code
		WHERE c.fingerprint = p_fingerprint;
		IF NOT FOUND THEN
			RAISE EXCEPTION 'certificate: % is not enrolled at the hub',
				p_code USING ERRCODE = 'IBX03';
		END IF;
		IF v_org <> p_code THEN
			RAISE EXCEPTION 'certificate: enrolled to another organisation'
				USING ERRCODE = 'IBX04';
		END IF;
		IF v_revoked THEN
			RAISE EXCEPTION 'certificate: revoked at the hub'
				USING ERRCODE = 'IBX05';
		END IF;
		IF v_role <> p_role THEN
			RAISE EXCEPTION 'certificate: role % differs from the enrolled role %',
				p_role, v_role USING ERRCODE = 'IBX02';
		END IF;
		IF p_role = 'hospital' THEN
			version := ibx_store_hospital_listing(p_code, p_doc, p_sequence,
				p_payload_type, p_envelope, 1, 'accepted');
		ELSIF p_role = 'coordinator' THEN
			version := ibx_store_coordinator_listing(p_code, p_doc,
				p_sequence, p_envelope);
		ELSE
			RAISE EXCEPTION 'sender % is not enrolled as a lister (role %)',
				p_code, p_role USING ERRCODE = 'IBX02';
		END IF;
	EXCEPTION WHEN OTHERS THEN
		GET STACKED DIAGNOSTICS refusal_state = RETURNED_SQLSTATE,
			refusal = MESSAGE_TEXT;
		version := NULL;
	END;
END
$$;

-- The intake role only (027): SECURITY DEFINER, search_path pinned.
REVOKE ALL ON FUNCTION ibx_listing_intake(bytea, text, text, integer, jsonb, bigint, bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ibx_listing_intake(bytea, text, text, integer, jsonb, bigint, bytea) TO inbound_intake;
