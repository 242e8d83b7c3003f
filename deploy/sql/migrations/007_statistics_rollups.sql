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

CREATE FUNCTION ibx_statistics_shard(p_code text) RETURNS smallint
LANGUAGE sql IMMUTABLE AS $$ SELECT (abs(hashtext(p_code)) % 16)::smallint $$;

-- Apply one submission to the roll-ups: add the cells of submission p_new
-- and take away those of p_old (NULL: none), both of hospital p_code for
-- period p_period.  Keys are locked in one order, so concurrent
-- submissions of the same shard wait, not deadlock.  PL/pgSQL, so its
-- plans are kept for the session.
CREATE FUNCTION ibx_statistics_rollup_apply(p_code text, p_period date,
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

-- Rebuild every roll-up from the current cells (identical to what the
-- ingest keeps), in one pass over the cells with the grouping sets of the
-- roll-up sets.  Takes the tables' locks; for migrations, after adding a
-- set, and after loading cells by other means.
CREATE FUNCTION ibx_statistics_rollup_refresh() RETURNS void
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

-- ibx_store_statistics as in 003, with the same arguments and results, and
-- two changes: the import summary is one aggregate over the old and new
-- cells (no join whose plan could turn into nested loops), and the
-- roll-ups change with the cells.
CREATE OR REPLACE FUNCTION ibx_store_statistics(
	p_code text, p_period text, p_nil boolean, p_level text,
	p_nat text[], p_purpose text[], p_icd text[], p_age text[], p_sex text[],
	p_chan text[], p_org text[], p_rso text[], p_visa text[], p_chapter smallint[],
	p_patients bigint[], p_episodes bigint[], p_inp bigint[],
	p_visits bigint[], p_days bigint[], p_charge bigint[],
	p_sequence bigint, p_envelope bytea,
	OUT imported integer, OUT updated integer, OUT unchanged integer,
	OUT deleted integer)
LANGUAGE plpgsql AS $$
DECLARE
	v_period date := to_date(p_period || '-01', 'YYYY-MM-DD');
	v_msg bigint;
	v_prev bigint;
	v_prev_nil boolean;
	v_prev_level text;
	v_sub bigint;
BEGIN
	PERFORM ibx_accept_message(p_code, 'hospital', p_sequence);
	INSERT INTO message_log (sender_id, sequence, payload_type, digest,
	                         status, outcome, envelope)
	VALUES (p_code, p_sequence, 3, sha256(p_envelope), 1, 'accepted', p_envelope)
	RETURNING id INTO v_msg;

	SELECT id, nil_report, icd10_level INTO v_prev, v_prev_nil, v_prev_level
	FROM statistics_submissions
	WHERE org_code = p_code AND period = v_period AND superseded_at IS NULL
	FOR UPDATE;

	IF v_prev IS NULL THEN
		imported := coalesce(array_length(p_nat, 1), 0);
		updated := 0;
		unchanged := 0;
		deleted := 0;
	ELSE
		-- each cell key once per side (the spoke aggregates by key)
		SELECT count(*) FILTER (WHERE o IS NULL),
		       count(*) FILTER (WHERE o IS NOT NULL AND n IS NOT NULL AND o <> n),
		       count(*) FILTER (WHERE o IS NOT NULL AND n IS NOT NULL AND o = n),
		       count(*) FILTER (WHERE n IS NULL)
		INTO imported, updated, unchanged, deleted
		FROM (
			SELECT min(m) FILTER (WHERE side = 1) AS n,
			       min(m) FILTER (WHERE side = 2) AS o
			FROM (
				SELECT 1 AS side, x.nationality, x.purpose, x.icd10,
				       x.age_band, x.sex, x.referral_channel, x.referral_org,
				       x.rso, x.visa, ARRAY[x.patients, x.episodes, x.inp,
				       x.visits, x.days, x.charge] AS m
				FROM unnest(p_nat, p_purpose, p_icd, p_age, p_sex, p_chan,
					p_org, p_rso, p_visa, p_patients, p_episodes, p_inp,
					p_visits, p_days, p_charge) AS x(nationality, purpose,
					icd10, age_band, sex, referral_channel, referral_org,
					rso, visa, patients, episodes, inp, visits, days, charge)
				UNION ALL
				SELECT 2, nationality, purpose, icd10, age_band, sex,
				       referral_channel, referral_org,
				       remote_second_opinion_first, medical_stay_visa,
				       ARRAY[patients, episodes, inpatient_episodes,
				       outpatient_visits, inpatient_days, charge_jpy]
				FROM statistics_cells
				WHERE submission_id = v_prev AND period = v_period
			) b
			GROUP BY nationality, purpose, icd10, age_band, sex,
				referral_channel, referral_org, rso, visa
		) k;
	END IF;

	IF v_prev IS NOT NULL AND imported = 0 AND updated = 0 AND deleted = 0
	   AND v_prev_nil = p_nil AND v_prev_level = p_level THEN
		UPDATE message_log SET reason = 'unchanged: submission ' || v_prev
		WHERE id = v_msg;
		RETURN;
	END IF;

	IF v_prev IS NOT NULL THEN
		UPDATE statistics_submissions SET superseded_at = now() WHERE id = v_prev;
		UPDATE statistics_cells SET current = false
		WHERE submission_id = v_prev AND period = v_period;
	END IF;
	INSERT INTO statistics_submissions (org_code, period, nil_report, icd10_level,
		n_cells, imported, updated, unchanged, deleted, message_id)
	VALUES (p_code, v_period, p_nil, p_level, coalesce(array_length(p_nat, 1), 0),
		imported, updated, unchanged, deleted, v_msg)
	RETURNING id INTO v_sub;
	INSERT INTO statistics_cells (submission_id, org_code, period, current,
		nationality, purpose, icd10, icd10_chapter, age_band, sex,
		referral_channel, referral_org, remote_second_opinion_first,
		medical_stay_visa, patients, episodes, inpatient_episodes,
		outpatient_visits, inpatient_days, charge_jpy)
	SELECT v_sub, p_code, v_period, true, n.nationality, n.purpose, n.icd10,
		n.chapter, n.age_band, n.sex, n.referral_channel, n.referral_org,
		n.rso, n.visa, n.patients, n.episodes, n.inp, n.visits, n.days,
		n.charge
	FROM unnest(p_nat, p_purpose, p_icd, p_chapter, p_age, p_sex, p_chan, p_org,
		p_rso, p_visa, p_patients, p_episodes, p_inp, p_visits, p_days,
		p_charge) AS n(nationality, purpose, icd10, chapter, age_band, sex,
		referral_channel, referral_org, rso, visa, patients, episodes, inp,
		visits, days, charge);
	PERFORM ibx_statistics_rollup_apply(p_code, v_period, v_sub, v_prev);
	UPDATE message_log SET reason = 'submission ' || v_sub WHERE id = v_msg;
END
$$;

-- The roll-ups of the cells stored before this migration.
SELECT ibx_statistics_rollup_refresh();
