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




-- Every function the intake calls is SECURITY DEFINER with search_path
-- pinned, and only the intake's role may EXECUTE it: each says so in its
-- file under deploy/sql/functions/, re-applied on every migrate (an ALTER
-- here would be undone by the next CREATE OR REPLACE).

-- The API's reads: the roll-ups (007) were not granted.
GRANT SELECT ON statistics_rollup, statistics_rollup_sets TO inbound_api;
-- ibx_token_lookup is the API's, ibx_audit_record the audit writer's: see
-- their files.
