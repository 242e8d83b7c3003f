-- 025: statistics values are bounded, and roll-ups cannot overflow
-- (issue 14, finding 3).
--
-- One hospital sent charge_jpy near the int64 maximum: its cells were
-- stored, its shard's bigint roll-up overflowed, and every hospital of the
-- shard was told "retry later" for ever.  Now
--
--  * every cell's measures are bounded (the bounds of
--    proto/domain/statistics.h, IBX_STAT_*_MAX, which the hub checks before
--    it stores anything, and which these constraints repeat so that no
--    other writer can store more);
--  * the roll-ups' measure sums are numeric, which does not overflow: a
--    shard's sum over all hospitals and all periods has no bound of its
--    own.  The sums of one submission (at most 20,000 cells in bounds) stay
--    below 2^63, so ibx_statistics_rollup_apply's bigint sums of one
--    submission are exact;
--  * a deterministic database error is a final refusal with its reason
--    (hub/intake/store.c, hub_store_error_final), never "retry later".

ALTER TABLE statistics_cells
	ADD CONSTRAINT statistics_cells_bounds CHECK (
		patients <= 1000000 AND episodes <= 1000000
		AND inpatient_episodes <= episodes
		AND outpatient_visits <= 10000000
		AND inpatient_days <= 10000000
		AND charge_jpy <= 10000000000000);

ALTER TABLE statistics_rollup_hospitals
	ALTER COLUMN patients TYPE numeric,
	ALTER COLUMN episodes TYPE numeric,
	ALTER COLUMN outpatient_visits TYPE numeric,
	ALTER COLUMN inpatient_days TYPE numeric,
	ALTER COLUMN charge_jpy TYPE numeric;
ALTER TABLE statistics_rollup
	ALTER COLUMN patients TYPE numeric,
	ALTER COLUMN episodes TYPE numeric,
	ALTER COLUMN outpatient_visits TYPE numeric,
	ALTER COLUMN inpatient_days TYPE numeric,
	ALTER COLUMN charge_jpy TYPE numeric;
