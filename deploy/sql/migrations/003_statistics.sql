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

-- ibx_store_statistics: deploy/sql/functions/ibx_store_statistics.sql

-- ibx_completeness: deploy/sql/functions/ibx_completeness.sql
