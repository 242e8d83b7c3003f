-- A protected release for the search benchmarks (figure 4,
-- tests/bench/search_bench.sh): :months closed months up to last month, each
-- with the two per-hospital queries search reads (patients by hospital, and
-- by hospital x purpose over the six purposes), one row per hospital of
-- hospital_listings and cell, zeros included, as hub/stats/release.c stores
-- them.  The values are made up (no noise is drawn): only their shape and
-- number matter here.  psql -v months=96 -f search_release_gen.sql
\set ON_ERROR_STOP on
CREATE TEMP TABLE gen_months AS
SELECT (date_trunc('month', current_date) - make_interval(months => g))::date AS period
FROM generate_series(1, :months) g;
INSERT INTO release_months (period, measured_now, rho_num, rho_den, hospitals, coordinators)
SELECT period, current_date, 1, 12, (SELECT count(*) FROM hospital_listings), 0 FROM gen_months
ON CONFLICT DO NOTHING;
INSERT INTO release_queries (period, measure, dims, sensitivity, sigma2_num, sigma2_den,
	share_permille, cells)
SELECT period, 'patients', d.dims, 1, 1, 1, d.share, d.cells FROM gen_months,
	(VALUES ('hospital', 50, (SELECT count(*)::integer FROM hospital_listings)),
		('hospital,purpose', 20, 6 * (SELECT count(*)::integer FROM hospital_listings))) d (dims, share, cells)
ON CONFLICT DO NOTHING;
INSERT INTO release_values (period, measure, dims, key1, key2, noisy, value)
SELECT m.period, 'patients', 'hospital', h.org_code, '', v, v
FROM gen_months m, hospital_listings h,
	LATERAL (SELECT (hashtext(h.org_code || m.period) & 63)::bigint AS v) x
ON CONFLICT DO NOTHING;
INSERT INTO release_values (period, measure, dims, key1, key2, noisy, value)
SELECT m.period, 'patients', 'hospital,purpose', h.org_code, p, v, v
FROM gen_months m, hospital_listings h,
	unnest(ARRAY['follow_up', 'health_checkup', 'other', 'second_opinion', 'travel_emergency',
		'treatment']) p,
	LATERAL (SELECT (hashtext(h.org_code || m.period || p) & 15)::bigint AS v) x
ON CONFLICT DO NOTHING;
ANALYZE release_values;
