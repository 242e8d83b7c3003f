-- ibx_store_statistics (first defined by migration 003).

-- Store a checked submission in one transaction with its message-log row.
-- Cells arrive as one array per column.  Returns the import summary, one
-- aggregate over the old and new cells (no join whose plan could turn into
-- nested loops); the roll-ups change with the cells (007).  Raises
-- IBX01/IBX02 through ibx_accept_message.  p_visits_clip, p_days_clip and
-- p_charge_clip are the sums with each patient's part clipped at the
-- release's bound (080): what the release measures; they count in the
-- comparison with the previous submission like every measure.
CREATE OR REPLACE FUNCTION ibx_store_statistics(
	p_code text, p_period text, p_nil boolean, p_level text,
	p_nat text[], p_purpose text[], p_icd text[], p_age text[], p_sex text[],
	p_chan text[], p_org text[], p_rso text[], p_visa text[], p_chapter smallint[],
	p_patients bigint[], p_episodes bigint[], p_inp bigint[],
	p_visits bigint[], p_days bigint[], p_charge bigint[],
	p_visits_clip bigint[], p_days_clip bigint[], p_charge_clip bigint[],
	p_sequence bigint, p_envelope bytea,
	OUT imported integer, OUT updated integer, OUT unchanged integer,
	OUT deleted integer)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
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
				       x.visits, x.days, x.charge, x.visits_clip,
				       x.days_clip, x.charge_clip] AS m
				FROM unnest(p_nat, p_purpose, p_icd, p_age, p_sex, p_chan,
					p_org, p_rso, p_visa, p_patients, p_episodes, p_inp,
					p_visits, p_days, p_charge, p_visits_clip, p_days_clip,
					p_charge_clip) AS x(nationality, purpose,
					icd10, age_band, sex, referral_channel, referral_org,
					rso, visa, patients, episodes, inp, visits, days, charge,
					visits_clip, days_clip, charge_clip)
				UNION ALL
				SELECT 2, nationality, purpose, icd10, age_band, sex,
				       referral_channel, referral_org,
				       remote_second_opinion_first, medical_stay_visa,
				       ARRAY[patients, episodes, inpatient_episodes,
				       outpatient_visits, inpatient_days, charge_jpy,
				       outpatient_visits_clipped, inpatient_days_clipped,
				       charge_jpy_clipped]
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
		outpatient_visits, inpatient_days, charge_jpy,
		outpatient_visits_clipped, inpatient_days_clipped, charge_jpy_clipped)
	SELECT v_sub, p_code, v_period, true, n.nationality, n.purpose, n.icd10,
		n.chapter, n.age_band, n.sex, n.referral_channel, n.referral_org,
		n.rso, n.visa, n.patients, n.episodes, n.inp, n.visits, n.days,
		n.charge, n.visits_clip, n.days_clip, n.charge_clip
	FROM unnest(p_nat, p_purpose, p_icd, p_chapter, p_age, p_sex, p_chan, p_org,
		p_rso, p_visa, p_patients, p_episodes, p_inp, p_visits, p_days,
		p_charge, p_visits_clip, p_days_clip, p_charge_clip)
		AS n(nationality, purpose, icd10, chapter, age_band, sex,
		referral_channel, referral_org, rso, visa, patients, episodes, inp,
		visits, days, charge, visits_clip, days_clip, charge_clip);
	PERFORM ibx_statistics_rollup_apply(p_code, v_period, v_sub, v_prev);
	UPDATE message_log SET reason = 'submission ' || v_sub WHERE id = v_msg;
END
$$;

-- The intake role only (027): SECURITY DEFINER, search_path pinned.
REVOKE ALL ON FUNCTION ibx_store_statistics(text, text, boolean, text, text[], text[], text[], text[], text[], text[], text[], text[], text[], smallint[], bigint[], bigint[], bigint[], bigint[], bigint[], bigint[], bigint[], bigint[], bigint[], bigint, bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ibx_store_statistics(text, text, boolean, text, text[], text[], text[], text[], text[], text[], text[], text[], text[], smallint[], bigint[], bigint[], bigint[], bigint[], bigint[], bigint[], bigint[], bigint[], bigint[], bigint, bytea) TO inbound_intake;
