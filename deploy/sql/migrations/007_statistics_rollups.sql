-- 007: statistics roll-ups, kept in the ingest's own transaction, and a
-- cheaper ingest.
--
-- A roll-up set is a grain (month, quarter, year, or all: the whole time)
-- and a set of dimensions (a bit mask with hub/stats/stat_table.c's dimension
-- numbers: 2 nationality, 4 purpose).  For every set the hub keeps
--
--  * statistics_rollup_hospitals: each hospital's contribution to each key
--    of the set (its current cells, their measures and record keys), and
--  * statistics_rollup: the same summed over the hospitals of a shard
--    (hash of the organisation code, 16 shards, so concurrent submissions
--    from different hospitals seldom wait for the same rows), with the
--    number of hospitals that contribute.
--
-- Distinct hospitals are not additive over keys, so a query is answered
-- from a set only when the set has exactly its grain and the dimensions it
-- groups or filters by (hub/stats/stat_table.c); shards partition the hospitals,
-- so summing shards is exact.  Record keys are kept modulo 2^32, which is
-- all the cell-key method uses (hub/stats/disclosure.h).
--
-- Both are changed by ibx_store_statistics in the submission's transaction
-- (never stale); ibx_statistics_rollup_refresh rebuilds them from the
-- current cells with identical contents (after adding a set, or loading
-- cells by other means).  A set's dimensions must be one of the grouping
-- sets of ibx_statistics_rollup_apply (none, nationality, purpose, both).

CREATE TABLE statistics_rollup_sets (
	id smallint PRIMARY KEY,
	grain text NOT NULL CHECK (grain IN ('month', 'quarter', 'year', 'all')),
	dims integer NOT NULL CHECK (dims IN (0, 2, 4, 6)),
	UNIQUE (grain, dims)
);
INSERT INTO statistics_rollup_sets VALUES
	(1, 'all', 0), (2, 'year', 0), (3, 'quarter', 0), (4, 'month', 0),
	(5, 'all', 2), (6, 'year', 2), (7, 'all', 4), (8, 'year', 4);

CREATE TABLE statistics_rollup_hospitals (
	org_code text NOT NULL,
	set_id smallint NOT NULL,
	pkey text NOT NULL,        -- the period as the cells path shows it, '' for all
	nationality text NOT NULL, -- '' when not in the set
	purpose text NOT NULL,     -- '' when not in the set
	cells integer NOT NULL,
	patients bigint NOT NULL,
	episodes bigint NOT NULL,
	outpatient_visits bigint NOT NULL,
	inpatient_days bigint NOT NULL,
	charge_jpy bigint NOT NULL,
	record_keys bigint NOT NULL, -- sum of record keys mod 2^32
	PRIMARY KEY (org_code, set_id, pkey, nationality, purpose)
);

CREATE TABLE statistics_rollup (
	set_id smallint NOT NULL,
	pkey text NOT NULL,
	nationality text NOT NULL,
	purpose text NOT NULL,
	shard smallint NOT NULL,
	hospitals integer NOT NULL, -- contributing hospitals; 0: no cells
	patients bigint NOT NULL,
	episodes bigint NOT NULL,
	outpatient_visits bigint NOT NULL,
	inpatient_days bigint NOT NULL,
	charge_jpy bigint NOT NULL,
	record_keys bigint NOT NULL,
	PRIMARY KEY (set_id, pkey, nationality, purpose, shard)
);

-- When the roll-ups answer queries: 'on', or 'off' to force every query to
-- the cells (the integration test compares both).
INSERT INTO settings VALUES ('statistics_rollups', 'on');

-- ibx_statistics_shard: deploy/sql/functions/ibx_statistics_shard.sql

-- ibx_statistics_rollup_apply: deploy/sql/functions/ibx_statistics_rollup_apply.sql

-- ibx_statistics_rollup_refresh: deploy/sql/functions/ibx_statistics_rollup_refresh.sql

-- Envelopes of statistics are large (about 80 bytes a cell); lz4 compresses
-- them several times faster than the default pglz.  Kept as is where the
-- server was built without lz4.
DO $$
BEGIN
	ALTER TABLE message_log ALTER COLUMN envelope SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported OR invalid_parameter_value THEN
	NULL;
END
$$;

-- ibx_store_statistics (deploy/sql/functions/ibx_store_statistics.sql) now
-- computes the import summary in one aggregate and keeps the roll-ups.

-- The roll-ups of the cells stored before this migration, once the
-- functions are in place: the part after the marker line below runs after
-- deploy/sql/functions, in the same transaction (hub/db/migrate.h).
-- ibx:after-functions
SELECT ibx_statistics_rollup_refresh();
