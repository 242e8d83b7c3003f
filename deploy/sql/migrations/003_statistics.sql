-- 003: anonymised case statistics.
--
-- A submission is one hospital's cells for one reporting period.  A new
-- submission for the same (hospital, period) replaces the previous one
-- (DHIS2-style) but keeps it: the old submission is marked superseded and
-- its cells no longer current.  Resending identical content stores nothing
-- new.  Cells are partitioned by year of the period.

CREATE TABLE statistics_submissions (
	id bigserial PRIMARY KEY,
	org_code text NOT NULL REFERENCES organisations (code),
	period date NOT NULL CHECK (extract(day FROM period) = 1), -- first day of the month
	nil_report boolean NOT NULL,
	icd10_level text NOT NULL CHECK (icd10_level IN ('chapter', 'category')),
	n_cells integer NOT NULL,
	-- the import summary returned in the Ack
	imported integer NOT NULL DEFAULT 0,
	updated integer NOT NULL DEFAULT 0,
	unchanged integer NOT NULL DEFAULT 0,
	deleted integer NOT NULL DEFAULT 0,
	received_at timestamptz NOT NULL DEFAULT now(),
	message_id bigint NOT NULL REFERENCES message_log (id),
	superseded_at timestamptz
);
CREATE UNIQUE INDEX statistics_submissions_current
	ON statistics_submissions (org_code, period) WHERE superseded_at IS NULL;
CREATE INDEX statistics_submissions_period ON statistics_submissions (period, org_code);

CREATE TABLE statistics_cells (
	submission_id bigint NOT NULL,
	org_code text NOT NULL,
	period date NOT NULL,
	current boolean NOT NULL,
	nationality text NOT NULL,
	purpose text NOT NULL,
	icd10 text NOT NULL,
	icd10_chapter smallint NOT NULL CHECK (icd10_chapter BETWEEN 1 AND 22),
	age_band text NOT NULL,
	sex text NOT NULL,
	referral_channel text NOT NULL,
	referral_org text NOT NULL,
	remote_second_opinion_first text NOT NULL,
	medical_stay_visa text NOT NULL,
	patients bigint NOT NULL CHECK (patients >= 1),
	episodes bigint NOT NULL CHECK (episodes >= patients),
	inpatient_episodes bigint NOT NULL CHECK (inpatient_episodes BETWEEN 0 AND episodes),
	outpatient_visits bigint NOT NULL CHECK (outpatient_visits >= 0),
	inpatient_days bigint NOT NULL CHECK (inpatient_days >= 0),
	charge_jpy bigint NOT NULL CHECK (charge_jpy >= 0),
	-- the record key of the cell-key method (hub/stats/disclosure.c): uniform
	-- on [0, 2^32), drawn once when the cell is stored
	record_key bigint NOT NULL DEFAULT floor(random() * 4294967296)::bigint
) PARTITION BY RANGE (period);

DO $$
BEGIN
	FOR y IN 2000..2040 LOOP
		EXECUTE format('CREATE TABLE statistics_cells_%s PARTITION OF statistics_cells'
			' FOR VALUES FROM (%L) TO (%L)', y, make_date(y, 1, 1), make_date(y + 1, 1, 1));
	END LOOP;
END
$$;
CREATE INDEX statistics_cells_submission ON statistics_cells (submission_id);
CREATE INDEX statistics_cells_current ON statistics_cells (period, nationality) WHERE current;

-- When a period's report is due: day N of the following month (default
-- 15), set by the ministry.
CREATE TABLE settings (
	name text PRIMARY KEY,
	value text NOT NULL
);
INSERT INTO settings VALUES ('reporting_deadline_day', '15');

-- Store a checked submission in one transaction with its message-log row.
-- Cells arrive as one array per column.  Returns the import summary.
-- Raises IBX01/IBX02 through ibx_accept_message.
CREATE FUNCTION ibx_store_statistics(
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
	v_old integer;
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
	SELECT count(*) INTO v_old FROM statistics_cells
	WHERE submission_id = v_prev AND period = v_period;

	WITH n AS (
		SELECT * FROM unnest(p_nat, p_purpose, p_icd, p_age, p_sex, p_chan,
			p_org, p_rso, p_visa, p_patients, p_episodes, p_inp, p_visits,
			p_days, p_charge) AS n(nationality, purpose, icd10, age_band, sex,
			referral_channel, referral_org, remote_second_opinion_first,
			medical_stay_visa, patients, episodes, inpatient_episodes,
			outpatient_visits, inpatient_days, charge_jpy)
	), o AS (
		SELECT * FROM statistics_cells
		WHERE submission_id = v_prev AND period = v_period
	)
	SELECT count(*) FILTER (WHERE o.submission_id IS NULL),
	       count(*) FILTER (WHERE o.submission_id IS NOT NULL AND
	           (n.patients, n.episodes, n.inpatient_episodes, n.outpatient_visits,
	            n.inpatient_days, n.charge_jpy) IS DISTINCT FROM
	           (o.patients, o.episodes, o.inpatient_episodes, o.outpatient_visits,
	            o.inpatient_days, o.charge_jpy)),
	       count(*) FILTER (WHERE o.submission_id IS NOT NULL AND
	           (n.patients, n.episodes, n.inpatient_episodes, n.outpatient_visits,
	            n.inpatient_days, n.charge_jpy) IS NOT DISTINCT FROM
	           (o.patients, o.episodes, o.inpatient_episodes, o.outpatient_visits,
	            o.inpatient_days, o.charge_jpy))
	INTO imported, updated, unchanged
	FROM n LEFT JOIN o USING (nationality, purpose, icd10, age_band, sex,
		referral_channel, referral_org, remote_second_opinion_first,
		medical_stay_visa);
	deleted := v_old - updated - unchanged;

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
	UPDATE message_log SET reason = 'submission ' || v_sub WHERE id = v_msg;
END
$$;

-- Reporting completeness of one period: every hospital listed at some time
-- during the period (or reporting for it), whether it reported (cells or nil), when its first
-- submission for the period arrived, and whether that was by the deadline.
CREATE FUNCTION ibx_completeness(p_period date)
RETURNS TABLE (org_code text, name_ja text, prefecture text, reported boolean,
	nil_report boolean, n_cells integer, first_received timestamptz,
	on_time boolean, deadline timestamptz)
LANGUAGE sql STABLE AS $$
	WITH d AS (
		SELECT (p_period + interval '1 month' +
			((SELECT value::integer FROM settings WHERE name = 'reporting_deadline_day') - 1)
			* interval '1 day' + interval '1 day')::timestamptz AS deadline
	), listed AS (
		-- listed at some time in the period, or reporting for it
		SELECT v.org_code
		FROM listing_versions v
		WHERE v.valid_from < p_period + interval '1 month'
		  AND (v.valid_to IS NULL OR v.valid_to >= p_period)
		UNION
		SELECT s.org_code FROM statistics_submissions s WHERE s.period = p_period
	), subs AS (
		SELECT s.org_code, min(s.received_at) AS first_received,
		       bool_or(s.nil_report AND s.superseded_at IS NULL) AS nil_report,
		       max(s.n_cells) FILTER (WHERE s.superseded_at IS NULL) AS n_cells
		FROM statistics_submissions s WHERE s.period = p_period
		GROUP BY s.org_code
	)
	SELECT l.org_code, h.name_ja, h.prefecture, s.org_code IS NOT NULL,
	       coalesce(s.nil_report, false), coalesce(s.n_cells, 0),
	       s.first_received, s.first_received <= d.deadline, d.deadline
	FROM listed l
	JOIN hospital_listings h ON h.org_code = l.org_code
	CROSS JOIN d
	LEFT JOIN subs s ON s.org_code = l.org_code
$$;
