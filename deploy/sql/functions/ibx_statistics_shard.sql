-- ibx_statistics_shard (first defined by migration 007).

CREATE OR REPLACE FUNCTION ibx_statistics_shard(p_code text) RETURNS smallint
LANGUAGE sql IMMUTABLE AS $$ SELECT (abs(hashtext(p_code)) % 16)::smallint $$;
