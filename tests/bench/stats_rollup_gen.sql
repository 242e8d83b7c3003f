-- Figure 5 data (tests/bench/run.sh): :hospitals hospitals x :months months
-- of statistics ending 2025-12, :per cells each, in the shape the ingest
-- stores (one current submission per hospital and month, its cells, random
-- record keys), straight into the tables; the roll-ups are then built by
-- ibx_statistics_rollup_refresh, which gives what the ingest would keep.
-- Mixes: nationality weighted like the visitors (CN, VN, US, KR, TW, ...),
-- five purposes, 22 chapters, ten age bands, two sexes.
\set ON_ERROR_STOP on
INSERT INTO organisations (code, role)
SELECT '98' || lpad(h::text, 8, '0'), 'hospital' FROM generate_series(1, :hospitals) h
ON CONFLICT DO NOTHING;
INSERT INTO message_log (sender_id, sequence, payload_type, digest, status, outcome)
VALUES ('bench', 0, 3, '\x00', 1, 'bench');
INSERT INTO statistics_submissions (org_code, period, nil_report, icd10_level,
	n_cells, imported, message_id)
SELECT '98' || lpad(h::text, 8, '0'), (date '2025-12-01' - make_interval(months => m))::date,
       false, 'chapter', :per, :per, (SELECT max(id) FROM message_log)
FROM generate_series(1, :hospitals) h, generate_series(0, :months - 1) m;
INSERT INTO statistics_cells (submission_id, org_code, period, current,
	nationality, purpose, icd10, icd10_chapter, age_band, sex,
	referral_channel, referral_org, remote_second_opinion_first,
	medical_stay_visa, patients, episodes, inpatient_episodes,
	outpatient_visits, inpatient_days, charge_jpy)
SELECT s.id, s.org_code, s.period, true,
       (ARRAY['CN','CN','CN','CN','VN','VN','US','US','KR','KR','TW','RU','TH','PH','ID','MN','GB','AU','SG','IN'])[1 + (k * 7 + (s.id % 13)::int) % 20],
       (ARRAY['treatment','treatment','health_checkup','second_opinion','follow_up','other'])[1 + (k + (s.id % 5)::int) % 6],
       ch::text, ch::smallint,
       (ARRAY['0-9','10-19','20-29','30-39','40-49','50-59','60-69','70-79','80-89','90+'])[1 + (k * 3 + (s.id % 7)::int) % 10],
       CASE WHEN k % 2 = 0 THEN 'female' ELSE 'male' END,
       'direct', '', 'no', 'no', p, p + 1, 0, p, 0, p * 350000
FROM statistics_submissions s, generate_series(1, :per) k,
     LATERAL (SELECT 1 + ((k * 5 + s.id) % 22)::int AS ch, 1 + ((s.id * 31 + k * 17) % 40) AS p) x
WHERE s.org_code LIKE '98%';
SELECT ibx_statistics_rollup_refresh();
ANALYZE;
