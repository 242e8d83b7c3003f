-- ibx_statistics_rollup_refresh (first defined by migration 007).

-- Rebuild every roll-up from the current cells (identical to what the
-- ingest keeps), in one pass over the cells with the grouping sets of the
-- roll-up sets.  Takes the tables' locks; for migrations, after adding a
-- set, and after loading cells by other means.
CREATE OR REPLACE FUNCTION ibx_statistics_rollup_refresh() RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	v_sets text;
	v_used text[];
	v_g text[];
	v_col text;
	i integer;
BEGIN
	TRUNCATE statistics_rollup_hospitals, statistics_rollup;
	SELECT string_agg('(' || concat_ws(', ',
			CASE grain WHEN 'month' THEN 'm' WHEN 'quarter' THEN 'q'
				WHEN 'year' THEN 'y' END,
			CASE WHEN dims & 2 <> 0 THEN 'nationality' END,
			CASE WHEN dims & 4 <> 0 THEN 'purpose' END) || ')', ', '),
	       array_remove(ARRAY[
			CASE WHEN bool_or(grain = 'month') THEN 'm' END,
			CASE WHEN bool_or(grain = 'quarter') THEN 'q' END,
			CASE WHEN bool_or(grain = 'year') THEN 'y' END,
			CASE WHEN bool_or(dims & 2 <> 0) THEN 'nationality' END,
			CASE WHEN bool_or(dims & 4 <> 0) THEN 'purpose' END], NULL)
	INTO v_sets, v_used FROM statistics_rollup_sets;
	IF v_sets IS NULL THEN
		RETURN;
	END IF;
	-- GROUPING(col) of the columns some set uses, 1 (not grouped) otherwise
	v_g := ARRAY['1', '1', '1', '1', '1'];
	FOR i IN 1..5 LOOP
		v_col := (ARRAY['m', 'q', 'y', 'nationality', 'purpose'])[i];
		IF v_col = ANY (v_used) THEN
			v_g[i] := format('GROUPING(%I)', v_col);
		END IF;
	END LOOP;
	EXECUTE format($q$
	WITH g AS (
		SELECT org_code,
		       CASE WHEN %1$s = 0 THEN 'month' WHEN %2$s = 0 THEN 'quarter'
		            WHEN %3$s = 0 THEN 'year' ELSE 'all' END AS grain,
		       (2 * (1 - %4$s) + 4 * (1 - %5$s))::integer AS dims,
		       coalesce(%6$s) AS pkey,
		       coalesce(%7$s, '') AS nationality, coalesce(%8$s, '') AS purpose,
		       count(*)::integer AS cells, sum(patients)::bigint AS patients,
		       sum(episodes)::bigint AS episodes,
		       sum(outpatient_visits)::bigint AS outpatient_visits,
		       sum(inpatient_days)::bigint AS inpatient_days,
		       sum(charge_jpy)::bigint AS charge_jpy,
		       (sum(record_key) %% 4294967296)::bigint AS record_keys
		FROM (SELECT c.*, to_char(period, 'YYYY-MM') AS m,
		             to_char(period, 'YYYY-"Q"Q') AS q, to_char(period, 'YYYY') AS y
		      FROM statistics_cells c WHERE current) c
		GROUP BY org_code, GROUPING SETS (%9$s)
	)
	INSERT INTO statistics_rollup_hospitals (org_code, set_id, pkey, nationality,
		purpose, cells, patients, episodes, outpatient_visits, inpatient_days,
		charge_jpy, record_keys)
	SELECT g.org_code, s.id, g.pkey, g.nationality, g.purpose, g.cells,
	       g.patients, g.episodes, g.outpatient_visits, g.inpatient_days,
	       g.charge_jpy, g.record_keys
	FROM g JOIN statistics_rollup_sets s USING (grain, dims)$q$,
		v_g[1], v_g[2], v_g[3], v_g[4], v_g[5],
		concat_ws(', ', CASE WHEN 'm' = ANY (v_used) THEN 'm' END,
			CASE WHEN 'q' = ANY (v_used) THEN 'q' END,
			CASE WHEN 'y' = ANY (v_used) THEN 'y' END, quote_literal('')),
		CASE WHEN 'nationality' = ANY (v_used) THEN 'nationality' ELSE 'NULL' END,
		CASE WHEN 'purpose' = ANY (v_used) THEN 'purpose' ELSE 'NULL' END,
		v_sets);
	INSERT INTO statistics_rollup (set_id, pkey, nationality, purpose, shard,
		hospitals, patients, episodes, outpatient_visits, inpatient_days,
		charge_jpy, record_keys)
	SELECT set_id, pkey, nationality, purpose, ibx_statistics_shard(org_code),
	       count(*), sum(patients), sum(episodes), sum(outpatient_visits),
	       sum(inpatient_days), sum(charge_jpy), sum(record_keys) % 4294967296
	FROM statistics_rollup_hospitals
	GROUP BY set_id, pkey, nationality, purpose, ibx_statistics_shard(org_code);
END
$$;
