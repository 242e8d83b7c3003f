-- ibx_statistics_rollup_apply (first defined by migration 007).

-- Apply one submission to the roll-ups: add the cells of submission p_new
-- and take away those of p_old (NULL: none), both of hospital p_code for
-- period p_period.  Keys are locked in one order, so concurrent
-- submissions of the same shard wait, not deadlock.  PL/pgSQL, so its
-- plans are kept for the session.
CREATE OR REPLACE FUNCTION ibx_statistics_rollup_apply(p_code text, p_period date,
	p_new bigint, p_old bigint) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	v_shard smallint := ibx_statistics_shard(p_code);
	v_month text := to_char(p_period, 'YYYY-MM');
	v_quarter text := to_char(p_period, 'YYYY-"Q"Q');
	v_year text := to_char(p_period, 'YYYY');
BEGIN
	WITH c AS (
		SELECT 1 AS sign, nationality, purpose, patients, episodes,
		       outpatient_visits, inpatient_days, charge_jpy, record_key
		FROM statistics_cells WHERE submission_id = p_new AND period = p_period
		UNION ALL
		SELECT -1, nationality, purpose, patients, episodes,
		       outpatient_visits, inpatient_days, charge_jpy, record_key
		FROM statistics_cells WHERE submission_id = p_old AND period = p_period
	), g AS (
		SELECT (2 * (1 - GROUPING(nationality)) + 4 * (1 - GROUPING(purpose)))::integer AS dims,
		       coalesce(nationality, '') AS nationality, coalesce(purpose, '') AS purpose,
		       sum(sign)::integer AS cells, sum(sign * patients)::bigint AS patients,
		       sum(sign * episodes)::bigint AS episodes,
		       sum(sign * outpatient_visits)::bigint AS outpatient_visits,
		       sum(sign * inpatient_days)::bigint AS inpatient_days,
		       sum(sign * charge_jpy)::bigint AS charge_jpy,
		       (sum(sign * record_key) % 4294967296 + 4294967296)::bigint % 4294967296 AS record_keys
		FROM c GROUP BY GROUPING SETS ((), (nationality), (purpose), (nationality, purpose))
		HAVING count(*) > 0 -- () over no cells is one row of NULLs
	), d AS (
		SELECT s.id AS set_id,
		       CASE s.grain WHEN 'month' THEN v_month WHEN 'quarter' THEN v_quarter
		            WHEN 'year' THEN v_year ELSE '' END AS pkey, g.*
		FROM g JOIN statistics_rollup_sets s USING (dims)
	), h AS (
		INSERT INTO statistics_rollup_hospitals AS t (org_code, set_id, pkey,
			nationality, purpose, cells, patients, episodes, outpatient_visits,
			inpatient_days, charge_jpy, record_keys)
		SELECT p_code, set_id, pkey, nationality, purpose, cells, patients,
			episodes, outpatient_visits, inpatient_days, charge_jpy, record_keys
		FROM d ORDER BY set_id, pkey, nationality, purpose
		ON CONFLICT (org_code, set_id, pkey, nationality, purpose) DO UPDATE SET
			cells = t.cells + excluded.cells,
			patients = t.patients + excluded.patients,
			episodes = t.episodes + excluded.episodes,
			outpatient_visits = t.outpatient_visits + excluded.outpatient_visits,
			inpatient_days = t.inpatient_days + excluded.inpatient_days,
			charge_jpy = t.charge_jpy + excluded.charge_jpy,
			record_keys = (t.record_keys + excluded.record_keys) % 4294967296
		RETURNING set_id, pkey, nationality, purpose, t.cells AS after
	)
	INSERT INTO statistics_rollup AS r (set_id, pkey, nationality, purpose,
		shard, hospitals, patients, episodes, outpatient_visits,
		inpatient_days, charge_jpy, record_keys)
	SELECT d.set_id, d.pkey, d.nationality, d.purpose, v_shard,
	       (h.after > 0)::integer - (h.after - d.cells > 0)::integer,
	       d.patients, d.episodes, d.outpatient_visits, d.inpatient_days,
	       d.charge_jpy, d.record_keys
	FROM d JOIN h USING (set_id, pkey, nationality, purpose)
	ORDER BY d.set_id, d.pkey, d.nationality, d.purpose
	ON CONFLICT (set_id, pkey, nationality, purpose, shard) DO UPDATE SET
		hospitals = r.hospitals + excluded.hospitals,
		patients = r.patients + excluded.patients,
		episodes = r.episodes + excluded.episodes,
		outpatient_visits = r.outpatient_visits + excluded.outpatient_visits,
		inpatient_days = r.inpatient_days + excluded.inpatient_days,
		charge_jpy = r.charge_jpy + excluded.charge_jpy,
		record_keys = (r.record_keys + excluded.record_keys) % 4294967296;
	DELETE FROM statistics_rollup_hospitals WHERE org_code = p_code AND cells = 0;
END
$$;
