-- 080: the clipped sums of each cell (issue 13; docs/disclosure-control.md
-- section 2).
--
-- The release used to clip each cell's visits, days and charge at the
-- per-patient bound times its patients.  That bounds a cell, not a
-- patient: beside patients with near-zero sums, one patient could move a
-- clipped cell sum by up to patients x the bound.  The spoke now clips
-- each patient's part of a cell at the bound (16 visits, 31 days,
-- 3,000,000 JPY) and sends those sums beside the exact ones; the release
-- measures them, and a hospital's own figures stay exact.  Cells stored
-- before this migration have none (NULL): the release clips those at the
-- hub as before until the hospital sends the month again.
ALTER TABLE statistics_cells
	ADD COLUMN outpatient_visits_clipped bigint,
	ADD COLUMN inpatient_days_clipped bigint,
	ADD COLUMN charge_jpy_clipped bigint,
	ADD CONSTRAINT statistics_cells_clipped CHECK (
		outpatient_visits_clipped BETWEEN 0 AND least(outpatient_visits, 16 * patients)
		AND inpatient_days_clipped BETWEEN 0 AND least(inpatient_days, 31 * patients)
		AND charge_jpy_clipped BETWEEN 0 AND least(charge_jpy, 3000000 * patients));

-- ibx_store_statistics takes the three clipped columns (its file).
DROP FUNCTION IF EXISTS ibx_store_statistics(text, text, boolean, text, text[], text[], text[], text[], text[], text[], text[], text[], text[], smallint[], bigint[], bigint[], bigint[], bigint[], bigint[], bigint[], bigint, bytea);
